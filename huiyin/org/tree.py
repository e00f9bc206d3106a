"""Bodies of the organisation tree: who acts for a unit, and who stands above it.

《信访工作条例》 has a matter handled, and its reply issued, by an organ or unit (办理机关、单位); a
review (复查) is made by the organ or unit one level above the one that handled it (Art. 35) and a
re-review (复核) by the one above the reviewer (Art. 36). In an enterprise such a body is one that
holds a seal and can decide: the group, a company or a branch (a plant, a mine). A department
(人力资源部, 信访办公室) handles a matter on behalf of the company or branch it belongs to and is not
a level of its own. The reply letters (`documents.letters`) and the assignment of a review
(`workflow.review`) both read the tree through these functions, so the body a letter names for the
next stage is the body the next stage is assigned to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from huiyin.org.models import OrgUnit, UnitKind

# The kinds of unit that act in their own name.
BODY_KINDS = frozenset({UnitKind.GROUP, UnitKind.COMPANY, UnitKind.BRANCH})


def unit_chain(unit: OrgUnit) -> list[OrgUnit]:
    """Return `unit`'s ancestors from the root down to `unit` itself (one query)."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id] or [unit]


def unit_names() -> dict[int, tuple[str, str]]:
    """Every unit's name and kind by primary key (one query): to label many units along their paths."""
    return {pk: (name, kind) for pk, name, kind in OrgUnit.objects.values_list("pk", "name", "kind")}


def reading_order(unit: OrgUnit, names: Mapping[int, tuple[str, str]]) -> tuple[tuple[int, int], ...]:
    """A sort key that lists the tree as it is read: each unit, then its own departments, then the companies or
    branches below it, each with theirs. Ordered by `path` alone (primary keys), a group's departments created after
    its companies came after every company's units (found in a walk-through: 衡兴能源集团有限公司 · 财务部 after
    all of 衡兴煤业). `names`: from `unit_names`."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return tuple((1 if names.get(pk, ("", ""))[1] in BODY_KINDS else 0, pk) for pk in ids)


def in_reading_order(units: Iterable[OrgUnit], names: Mapping[int, tuple[str, str]] | None = None) -> list[OrgUnit]:
    """`units` sorted by `reading_order` (one query for the names when `names` is not given)."""
    names = unit_names() if names is None else names
    return sorted(units, key=lambda unit: reading_order(unit, names))


def unit_label(unit: OrgUnit, names: Mapping[int, tuple[str, str]] | None = None) -> str:
    """The unit named along its path: "衡兴煤业 · 人力资源部", not a bare 人力资源部 that each company has.

    Below a company (or a branch directly under the group) the company says where, and the group is left
    out; a department of the group itself is named with the group ("衡兴集团 · 人力资源部"), since the
    companies have one of the same name. The group and the companies are named alone. `names`: from
    `unit_names`."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    if len(ids) < 2:
        return unit.name
    if names is None:
        names = {u.pk: (u.name, u.kind) for u in unit_chain(unit)}
    top = names.get(ids[1])
    chain = ids[1:] if top is not None and top[1] in BODY_KINDS else ids
    if len(chain) < 2:
        return unit.name
    return " · ".join(names[pk][0] for pk in chain if pk in names) or unit.name


def _bodies(unit: OrgUnit) -> list[OrgUnit]:
    return [u for u in unit_chain(unit) if u.kind in BODY_KINDS]


def handling_body(unit: OrgUnit) -> OrgUnit:
    """Return the body that acts for `unit`: `unit` itself if it is a body, else its nearest body ancestor.

    The group is the body of its own departments only: a department of a company acts for the company,
    never for the group merely because the group is at the root of the tree.
    """
    bodies = _bodies(unit)
    return bodies[-1] if bodies else unit


def counterpart_in(body: OrgUnit, unit: OrgUnit) -> OrgUnit | None:
    """`body`'s own department of the same name as the department `unit` (the 纪委办公室 one level up), if any."""
    if unit.kind != UnitKind.DEPARTMENT:
        return None
    return OrgUnit.objects.filter(parent=body, name=unit.name).first()


def office_takes_up(unit: OrgUnit, body: OrgUnit, acting: OrgUnit | None = None) -> bool:
    """Whether a petition office in `unit` takes up work that is `body`'s: `body` is the body acting for `unit`
    (`handling_body`) or lies under it. `acting` saves looking that body up again for every item of a list."""
    return body.is_within(acting or handling_body(unit))


def superior_body(unit: OrgUnit) -> OrgUnit | None:
    """Return the body one level above the body that acts for `unit`; None at the top of the tree.

    This is where a review of a matter `unit` handled goes (Art. 35), and a re-review of its review (Art. 36).
    """
    bodies = _bodies(unit)
    return bodies[-2] if len(bodies) > 1 else None


def keeps_whole_organisation(user) -> bool:
    """Whether `user` keeps what is kept for the whole organisation (organisation-wide routes, the category
    list): a superuser, or staff of the top of the tree."""
    return bool(user.is_superuser or (user.unit_id is not None and user.unit.depth == 0))
