"""The unit and user admin pages: units listed as a tree, and a unit never placed under itself."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from huiyin.org.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def _form(model, obj, data):
    request = RequestFactory().post("/")
    request.user = User.objects.filter(username="root").first() or User.objects.create_superuser(
        "root", password="pw-Huiyin-2026"
    )
    admin = site._registry[model]
    return admin.get_form(request, obj=obj, change=True)(data=data, instance=obj)


def _unit_data(unit, parent):
    return {
        "name": unit.name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": parent.pk if parent else "",
        "is_petition_office": "",
    }


@pytest.mark.parametrize("below", ["a", "a_plant", "a_workshop"])
def test_a_unit_cannot_be_moved_under_itself(org, below):
    """Found in a walk-through: the admin answered 500 (unit_move's ValueError). Now a form error, nothing moved."""
    form = _form(OrgUnit, org["a"], _unit_data(org["a"], org[below]))
    assert not form.is_valid()
    assert form.errors["parent"] == ["单位不能放在其自身或其下属单位之下。"]
    assert OrgUnit.objects.get(pk=org["a"].pk).parent_id == org["group"].pk


def test_a_unit_may_move_elsewhere(org):
    form = _form(OrgUnit, org["a_workshop"], _unit_data(org["a_workshop"], org["a"]))
    assert form.is_valid(), form.errors


def test_unit_drop_downs_are_the_tree(org, clerk):
    """Every company has a 信访办 or 人力资源部: a flat list of names cannot tell them apart."""
    for model, obj, name in ((OrgUnit, org["a_plant"], "parent"), (User, clerk, "unit")):
        field = _form(model, obj, None).fields[name]
        labels = [label for _value, label in field.choices][1:]
        assert labels[:4] == ["测试集团", "甲公司", "甲公司 · 甲公司信访办", "甲公司 · 甲公司一厂"]
        assert "乙公司 · 乙公司信访办" in labels
