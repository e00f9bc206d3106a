"""Units named so that they can be told apart: ``{% load org_tags %}{% unit_label case.handling_unit %}``."""

from django import template

from huiyin.org.models import OrgUnit
from huiyin.org.tree import unit_label as _label
from huiyin.org.tree import unit_names

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_label(context, unit: OrgUnit | None, empty: str = "—") -> str:
    """The unit as "衡兴煤业 · 人力资源部" (its company and itself): every company has a 人力资源部.

    The names are read once per template render (one query), however many rows the page lists.
    """
    if unit is None:
        return empty
    names = context.render_context.get("org_unit_names")
    if names is None:
        names = context.render_context["org_unit_names"] = unit_names()
    return _label(unit, names)
