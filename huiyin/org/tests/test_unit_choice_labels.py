"""Unit drop-downs on the staff forms name each unit along its path, in the tree's order, at no query per option.

Found in a walk-through: the office's assign (交办) form showed the chosen unit as a bare "人力资源部", and six
units bear that name."""

from __future__ import annotations

import re
from html import unescape

import pytest

from huiyin.cases.forms import AssignForm
from huiyin.intake.forms import RegisterForm
from huiyin.org.forms import UnitChoiceField
from huiyin.org.models import OrgUnit
from huiyin.org.services import unit_create


@pytest.fixture
def hr(org):
    """A 人力资源部 in the group, in each company and in 一厂."""
    return {
        key: unit_create(name="人力资源部", code=f"{org[key].code}-HR", kind="department", parent=org[key])
        for key in ("group", "a", "b", "a_plant")
    }


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), unescape(label))
        for value, selected, label in re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', html)
    ]


def test_the_assign_form_names_the_chosen_unit_with_its_company(office, make_case, hr):
    case = make_case()
    form = AssignForm(case=case, user=office, initial={"handling_unit": hr["a"].pk})

    options = _options(str(form["handling_unit"]))

    assert (str(hr["a"].pk), True, "甲公司 · 人力资源部") in options
    assert (str(hr["a_plant"].pk), False, "甲公司 · 甲公司一厂 · 人力资源部") in options
    labels = [label for _value, _selected, label in options if label]
    assert len(labels) == len(set(labels)), labels  # no two alike


def test_units_are_listed_in_the_trees_order(clerk, org, hr):
    """The unit concerned lists the whole organisation: each unit follows its parent, and a company's units
    come together, before the next company."""
    field = RegisterForm(user=clerk).fields["target_unit"]
    units = [field.queryset.get(pk=value.value) for value, _label in list(field.choices)[1:]]

    assert units[0] == org["group"]
    for i, unit in enumerate(units):
        if unit.parent_id is not None:
            assert unit.parent in units[:i], unit
    in_a = [i for i, unit in enumerate(units) if unit.is_within(org["a"])]
    assert in_a == list(range(in_a[0], in_a[0] + len(in_a)))
    assert field.label_from_instance(hr["b"]) == "乙公司 · 人力资源部"


def test_labels_cost_no_query_per_option(org, hr, django_assert_num_queries):
    field = UnitChoiceField(queryset=OrgUnit.objects.all())
    # list() counts the options first; then the units, and the names along their paths
    with django_assert_num_queries(3):
        few = list(field.choices)
    for i in range(20):
        unit_create(name=f"车间{i}", code=f"A-W{i}", kind="department", parent=org["a_plant"])
    field = UnitChoiceField(queryset=OrgUnit.objects.all())
    with django_assert_num_queries(3):
        many = list(field.choices)
    assert len(many) == len(few) + 20


def test_a_forms_copy_of_the_field_reads_the_names_afresh(org):
    """A unit renamed between two pages is named anew on the second."""
    field = UnitChoiceField(queryset=OrgUnit.objects.all())
    list(field.choices)
    OrgUnit.objects.filter(pk=org["a"].pk).update(name="甲公司（新）")
    fresh = RegisterForm.base_fields["target_unit"].__deepcopy__({})
    fresh.queryset = OrgUnit.objects.all()
    assert "甲公司（新） · 甲公司信访办" in [label for _value, label in fresh.choices]


def test_a_units_own_departments_come_before_the_companies_below_it(clerk, org, hr):
    """Found in a walk-through: the group's 财务部, made after its companies, came after every company's units (the
    order was by primary key), and 纪委办公室 after 乙公司's. Each unit's own departments now come first."""
    finance = unit_create(name="财务部", code="G-FIN", kind="department", parent=org["group"])
    field = RegisterForm(user=clerk).fields["target_unit"]
    units = [field.queryset.get(pk=value.value) for value, _label in list(field.choices)[1:]]

    assert units[:3] == [org["group"], hr["group"], finance]
    assert units.index(finance) < units.index(org["a"]) < units.index(org["b"])
    # Inside 甲公司 as well: its 人力资源部 before its plant and the plant's units.
    assert units.index(hr["a"]) < units.index(org["a_plant"]) < units.index(hr["a_plant"])
