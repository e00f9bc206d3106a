"""Rule profiles: the statutory time limits as data.

A :class:`Profile` maps a rule code (``"register"``, ``"handle"``, ...) to a :class:`Rule`: a number
of days, whether they are calendar or working days, the article that sets the limit, and labels
in Chinese and English. Provinces and enterprises may *shorten* limits, never lengthen them: a
derived profile is built from a parent plus overrides (:meth:`Profile.derive`,
:meth:`Profile.from_dict` with a parent), and any lengthening is rejected with :class:`ProfileError`.

Every profile defines all :data:`CORE_RULE_CODES`, so a caller can ask any profile for any of them.

This module has no Django import.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from huiyin.clock.errors import Problem, ProfileError, gettext_noop

__all__ = [
    "CORE_RULE_CODES",
    "DISCIPLINE",
    "EXTENSION_RULE",
    "KNOWN_RULE_CODES",
    "NATIONAL_2022",
    "PROFILES",
    "Profile",
    "ProfileError",
    "Rule",
    "Unit",
    "get_profile",
]


class Unit(enum.StrEnum):
    """How the days of a rule are counted."""

    CALENDAR = "calendar"
    WORKING = "working"


# The units as words in problems ("45 calendar days"), marked for translation by the user interface.
UNIT_WORDS = (gettext_noop("calendar"), gettext_noop("working"))


#: Rule codes every profile defines (so callers may ask any profile for any of them).
CORE_RULE_CODES: tuple[str, ...] = (
    "register",
    "object",
    "handle",
    "extend",
    "review_request",
    "review_decide",
    "recheck_request",
    "recheck_decide",
)
#: Every rule code a profile may define: the core codes plus lane-specific ones.
KNOWN_RULE_CODES: tuple[str, ...] = (*CORE_RULE_CODES, "feedback")
#: The rule whose ``days`` is the longest extension a profile allows.
EXTENSION_RULE = "extend"

_MAX_DAYS = 3650
_RULE_FIELDS = ("days", "unit", "article", "label_zh", "label_en")


@dataclass(frozen=True, slots=True)
class Rule:
    """One time limit: ``days`` counted in ``unit``, set by ``article``, labelled for people."""

    code: str
    days: int
    unit: Unit
    article: str
    label_zh: str
    label_en: str

    def __post_init__(self) -> None:
        if self.code not in KNOWN_RULE_CODES:
            raise ProfileError(
                Problem(
                    gettext_noop("unknown rule code {code!r}; known codes: {codes}"),
                    {"code": self.code, "codes": ", ".join(KNOWN_RULE_CODES)},
                )
            )
        days = self.days
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= _MAX_DAYS:
            raise ProfileError(
                Problem(
                    gettext_noop("rule {code!r}: days must be a whole number from 1 to {max}, not {days!r}"),
                    {"code": self.code, "max": _MAX_DAYS, "days": days},
                )
            )
        try:
            object.__setattr__(self, "unit", Unit(self.unit))
        except ValueError:
            raise ProfileError(
                Problem(
                    gettext_noop("rule {code!r}: unit must be 'calendar' or 'working', not {unit!r}"),
                    {"code": self.code, "unit": self.unit},
                )
            ) from None
        for name in ("article", "label_zh", "label_en"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ProfileError(
                    Problem(
                        gettext_noop("rule {code!r}: {field} must be non-empty text, not {value!r}"),
                        {"code": self.code, "field": name, "value": value},
                    )
                )

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (without the code, which is the key in a profile's ``rules``)."""
        return {
            "days": self.days,
            "unit": self.unit.value,
            "article": self.article,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of rules; ``parent`` names the profile it was derived from, if any."""

    name: str
    label_zh: str
    label_en: str
    rules: Mapping[str, Rule] = field(hash=False)
    parent: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ProfileError(f"a profile needs a non-empty name, not {self.name!r}")
        rules: dict[str, Rule] = {}
        for code, rule in dict(self.rules).items():
            if not isinstance(rule, Rule):
                raise ProfileError(f"profile {self.name!r}: rule {code!r} must be a Rule, not {type(rule).__name__}")
            if code != rule.code:
                raise ProfileError(f"profile {self.name!r}: rule keyed {code!r} has code {rule.code!r}")
            rules[code] = rule
        missing = [code for code in CORE_RULE_CODES if code not in rules]
        if missing:
            raise ProfileError(
                Problem(
                    gettext_noop("profile {name!r} lacks rules: {codes}"),
                    {"name": self.name, "codes": ", ".join(missing)},
                )
            )
        ordered = {code: rules[code] for code in KNOWN_RULE_CODES if code in rules}
        object.__setattr__(self, "rules", MappingProxyType(ordered))

    # -- queries -------------------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """The rule codes this profile defines, in canonical order."""
        return tuple(self.rules)

    def rule(self, code: str) -> Rule:
        """The rule ``code``; raises :class:`ProfileError` naming the known codes if it is unknown."""
        try:
            return self.rules[code]
        except (KeyError, TypeError):
            raise ProfileError(
                f"unknown rule {code!r} in profile {self.name!r}; known rules: {', '.join(self.rules)}"
            ) from None

    @property
    def max_extension_days(self) -> int:
        """The longest extension this profile allows (the days of its ``extend`` rule)."""
        return self.rules[EXTENSION_RULE].days

    # -- derivation ----------------------------------------------------------------------------

    def derive(
        self,
        *,
        name: str,
        overrides: Mapping[str, int | Mapping[str, Any]],
        label_zh: str | None = None,
        label_en: str | None = None,
    ) -> Profile:
        """A profile like this one with some limits shortened.

        ``overrides`` maps rule codes to a number of days or to a mapping with any of ``days``,
        ``unit``, ``article``, ``label_zh``, ``label_en``. A limit may be kept or shortened, never
        lengthened; a rule may switch from working days to at most as many calendar days (never
        longer), never from calendar to working days. Unknown codes or fields raise :class:`ProfileError`.
        """
        if not isinstance(overrides, Mapping):
            raise ProfileError(
                Problem(
                    gettext_noop("profile {name!r}: rule overrides must be a mapping, not {kind}"),
                    {"name": name, "kind": type(overrides).__name__},
                )
            )
        rules = dict(self.rules)
        problems: list[Problem] = []
        for code, change in overrides.items():
            base = self.rules.get(code)
            if base is None:
                problems.append(
                    Problem(
                        gettext_noop("unknown rule {code!r}: the parent profile {parent!r} defines {codes}"),
                        {"code": code, "parent": self.name, "codes": ", ".join(self.rules)},
                    )
                )
                continue
            try:
                rules[code] = _shortened(base, change, parent=self.name)
            except ProfileError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ProfileError(f"profile {name!r}: " + "; ".join(map(str, problems)), errors=problems)
        return Profile(
            name=name,
            label_zh=label_zh or f"{self.label_zh}（{name}）",
            label_en=label_en or f"{self.label_en} ({name})",
            rules=rules,
            parent=self.name,
        )

    # -- serialisation -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, parent: Profile | None = None) -> Profile:
        """Build a profile from data (e.g. JSON stored by an administrator).

        Form: ``{"name": ..., "label_zh": ..., "label_en": ..., "parent": "national-2022",
        "rules": {"handle": 45, "register": {"days": 10, "article": "..."}}}``.

        With a parent (given as ``parent=`` or named by ``"parent"`` among :data:`PROFILES`) the
        rules are overrides that may only shorten (see :meth:`derive`). Without one, every rule is
        given in full (``days``, ``unit``, ``article``, ``label_zh``, ``label_en``) and all core
        codes must be present. Raises :class:`ProfileError` on unknown codes or keys, lengthening,
        or malformed values.
        """
        if not isinstance(data, Mapping):
            raise ProfileError(
                Problem(gettext_noop("a profile must be a mapping, not {kind}"), {"kind": type(data).__name__})
            )
        unknown = sorted(set(data) - {"name", "label_zh", "label_en", "parent", "rules"})
        if unknown:
            raise ProfileError(
                Problem(gettext_noop("unknown keys in profile: {keys}"), {"keys": ", ".join(map(str, unknown))})
            )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ProfileError(Problem(gettext_noop("a profile needs a non-empty 'name'")))
        rules_data = data.get("rules", {})
        if not isinstance(rules_data, Mapping):
            raise ProfileError(
                Problem(
                    gettext_noop("profile {name!r}: 'rules' must be a mapping of rule code to days or rule"),
                    {"name": name},
                )
            )
        parent_name = data.get("parent")
        if parent is None and parent_name is not None:
            parent = get_profile(parent_name)
        elif parent is not None and parent_name is not None and parent_name != parent.name:
            raise ProfileError(
                Problem(
                    gettext_noop("profile {name!r} names parent {parent!r} but was given {given!r}"),
                    {"name": name, "parent": parent_name, "given": parent.name},
                )
            )
        if parent is not None:
            return parent.derive(
                name=name, overrides=rules_data, label_zh=data.get("label_zh"), label_en=data.get("label_en")
            )
        rules: dict[str, Rule] = {}
        for code, value in rules_data.items():
            if code not in KNOWN_RULE_CODES:
                raise ProfileError(
                    Problem(
                        gettext_noop("profile {name!r}: unknown rule {code!r}; known codes: {codes}"),
                        {"name": name, "code": code, "codes": ", ".join(KNOWN_RULE_CODES)},
                    )
                )
            if not isinstance(value, Mapping) or set(value) != set(_RULE_FIELDS):
                raise ProfileError(
                    Problem(
                        gettext_noop(
                            "profile {name!r}: rule {code!r} of a profile without parent needs exactly {fields}"
                        ),
                        {"name": name, "code": code, "fields": ", ".join(_RULE_FIELDS)},
                    )
                )
            rules[code] = Rule(code=code, **value)
        label_zh, label_en = data.get("label_zh"), data.get("label_en")
        if not isinstance(label_zh, str) or not isinstance(label_en, str) or not label_zh or not label_en:
            raise ProfileError(
                Problem(
                    gettext_noop("profile {name!r}: a profile without parent needs 'label_zh' and 'label_en'"),
                    {"name": name},
                )
            )
        return cls(name=name, label_zh=label_zh, label_en=label_en, rules=rules)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form with every rule in full; :meth:`from_dict` reads it back."""
        data: dict[str, Any] = {
            "name": self.name,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "rules": {code: rule.to_dict() for code, rule in self.rules.items()},
        }
        if self.parent is not None:
            data["parent"] = self.parent
        return data


def _shortened(base: Rule, change: int | Mapping[str, Any], *, parent: str) -> Rule:
    """``base`` with ``change`` applied, refusing anything that could lengthen the limit."""
    code = base.code
    if isinstance(change, Mapping):
        unknown = sorted(set(change) - set(_RULE_FIELDS))
        if unknown:
            raise ProfileError(
                Problem(
                    gettext_noop("rule {code!r}: unknown fields {fields}"),
                    {"code": code, "fields": ", ".join(map(str, unknown))},
                )
            )
        values = {**base.to_dict(), **change}
    else:
        values = {**base.to_dict(), "days": change}
    rule = Rule(code=code, **values)
    if base.unit is Unit.CALENDAR and rule.unit is Unit.WORKING:
        raise ProfileError(
            Problem(
                gettext_noop(
                    "rule {code!r}: cannot change {days} calendar days to working days "
                    "(that can lengthen the limit of {parent!r})"
                ),
                {"code": code, "days": base.days, "parent": parent},
            )
        )
    if rule.days > base.days:
        raise ProfileError(
            Problem(
                gettext_noop(
                    "rule {code!r}: {days} {unit} days is longer than the {base_days} {base_unit} days of "
                    "{parent!r}; a derived profile may only shorten limits"
                ),
                {
                    "code": code,
                    "days": rule.days,
                    "unit": rule.unit.value,
                    "base_days": base.days,
                    "base_unit": base.unit.value,
                    "parent": parent,
                },
            )
        )
    return rule


def _rules(*rows: tuple[str, int, Unit, str, str, str]) -> dict[str, Rule]:
    return {code: Rule(code, days, unit, article, zh, en) for code, days, unit, article, zh, en in rows}


_REG = "《信访工作条例》（2022）"

#: The 2022 Regulations on Petition Work (《信访工作条例》), the default profile.
NATIONAL_2022 = Profile(
    name="national-2022",
    label_zh="《信访工作条例》（2022）",
    label_en="Regulations on Petition Work (2022)",
    rules=_rules(
        (
            "register",
            15,
            Unit.CALENDAR,
            f"{_REG}第二十二条、第二十三条",
            "登记并转送、交办或告知",
            "Register and forward, or tell the petitioner",
        ),
        ("object", 5, Unit.WORKING, f"{_REG}第二十三条", "对转送、交办事项提出异议", "Object to a misrouted transfer"),
        ("handle", 60, Unit.CALENDAR, f"{_REG}第三十四条", "办理并出具处理意见", "Handle and reply"),
        ("extend", 30, Unit.CALENDAR, f"{_REG}第三十四条", "延长办理期限（最多）", "Extension of handling (maximum)"),
        ("review_request", 30, Unit.CALENDAR, f"{_REG}第三十五条", "请求复查", "Request a review"),
        ("review_decide", 30, Unit.CALENDAR, f"{_REG}第三十五条", "提出复查意见", "Decide the review"),
        ("recheck_request", 30, Unit.CALENDAR, f"{_REG}第三十六条", "请求复核", "Request a re-review"),
        (
            "recheck_decide",
            30,
            Unit.CALENDAR,
            f"{_REG}第三十六条",
            "提出复核意见（听证时间不计入）",
            "Decide the re-review (hearing time not counted)",
        ),
    ),
)

# Discipline lane (检举控告 to a discipline inspection and supervision body, 纪检监察).
#
# Source: 《纪检监察机关处理检举控告工作规则》, issued by the General Office of the CPC Central
# Committee on 21 January 2020 ("the 2020 Rules"):
#   - Art. 15: a report belonging to a higher-level commission is sent up within 5 working days of
#     receipt; Art. 16 ¶2: a lower-level body registers a report transferred to it and completes
#     acceptance or onward transfer within 5 working days of receipt.            -> object: 5 WD
#   - Chapter on named (实名) reports: the petition-and-report office tells a named reporter how the
#     report was accepted within 15 working days of receipt;                      -> register: 15 WD
#     the handling department feeds the result back within 15 working days of concluding the matter
#                                                                                 -> feedback: 15 WD
#     (article numbers of that chapter to be confirmed against the official text before citing them
#     in letters; the chapter is cited here).
#   - The 2020 Rules set no fixed limit for disposing of a report (谈话函询、初步核实、暂存待查、予以了结)
#     nor for the reporter's objection. So that no matter waits longer on this lane than on the
#     ordinary one, ``handle``/``extend`` keep the Regulations' 60 + at most 30 days as an outer bound
#     and the review/re-review rules keep 30/30/30/30 (they apply when a matter returns to the
#     ordinary review path). Enterprises shorten these in a derived profile.
_DIS = "《纪检监察机关处理检举控告工作规则》（2020）"

#: Discipline reports (检举控告) to a discipline inspection body; same codes plus ``feedback``.
DISCIPLINE = Profile(
    name="discipline",
    label_zh="纪检监察检举控告",
    label_en="Discipline inspection reports",
    rules=_rules(
        (
            "register",
            15,
            Unit.WORKING,
            f"{_DIS}实名检举控告受理情况告知",
            "告知实名检举控告人受理情况",
            "Tell a named reporter how the report was accepted",
        ),
        (
            "object",
            5,
            Unit.WORKING,
            f"{_DIS}第十五条、第十六条",
            "报送上级或完成受理、转办",
            "Send up, or complete acceptance or transfer",
        ),
        (
            "handle",
            60,
            Unit.CALENDAR,
            f"{_DIS}（未定时限，参照{_REG}第三十四条）",
            "处置并办结",
            "Dispose of the report and conclude",
        ),
        (
            "extend",
            30,
            Unit.CALENDAR,
            f"参照{_REG}第三十四条",
            "延长办理期限（最多）",
            "Extension of handling (maximum)",
        ),
        ("review_request", 30, Unit.CALENDAR, f"参照{_REG}第三十五条", "请求复查", "Request a review"),
        ("review_decide", 30, Unit.CALENDAR, f"参照{_REG}第三十五条", "提出复查意见", "Decide the review"),
        ("recheck_request", 30, Unit.CALENDAR, f"参照{_REG}第三十六条", "请求复核", "Request a re-review"),
        (
            "recheck_decide",
            30,
            Unit.CALENDAR,
            f"参照{_REG}第三十六条",
            "提出复核意见（听证时间不计入）",
            "Decide the re-review (hearing time not counted)",
        ),
        (
            "feedback",
            15,
            Unit.WORKING,
            f"{_DIS}实名检举控告处理结果反馈",
            "向实名检举控告人反馈处理结果",
            "Feed the result back to a named reporter",
        ),
    ),
)

#: Built-in profiles by name (read-only).
PROFILES: Mapping[str, Profile] = MappingProxyType({p.name: p for p in (NATIONAL_2022, DISCIPLINE)})


def get_profile(name: str) -> Profile:
    """The built-in profile called ``name``; raises :class:`ProfileError` naming the known ones."""
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise ProfileError(
            Problem(
                gettext_noop("unknown profile {name!r}; known profiles: {names}"),
                {"name": name, "names": ", ".join(PROFILES)},
            )
        ) from None
