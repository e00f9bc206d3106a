"""Which rule applies to which case, and when its clocks run out.

A category without a rule of its own follows its parent's rule, then the default rule; without a
default rule row, the built-in defaults (10 years archive, 3 years personal data, review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from huiyin.retention.models import DEFAULT_ARCHIVE_YEARS, DEFAULT_PERSONAL_DATA_YEARS, ArchiveAction, RetentionRule

# A case is closed in the sense of retention when nothing more happens on it by itself.
CLOSED_STATES = ("closed", "final", "redirected", "forwarded", "not_accepted")


def add_years(moment, years: int):
    """`moment` moved by `years` (negative: back); 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


@dataclass(frozen=True)
class Policy:
    archive_years: int | None  # None: kept permanently
    personal_data_years: int
    archive_action: str
    rule_id: int | None
    label: str  # the category code the rule belongs to, or "default"
    shortening_from: datetime | None = None  # a shorter rule waiting out its notice period until then

    def values(self) -> dict:
        """The periods alone, as stored in `RetentionRule.longer`."""
        return {
            "archive_years": self.archive_years,
            "personal_data_years": self.personal_data_years,
            "archive_action": self.archive_action,
        }

    def shortened_by(self, other: Policy) -> bool:
        """Whether `other` would keep anything for less time than this policy, or destroy what it reviews."""
        archive_shorter = other.archive_years is not None and (
            self.archive_years is None or other.archive_years < self.archive_years
        )
        return (
            archive_shorter
            or other.personal_data_years < self.personal_data_years
            or (self.archive_action == ArchiveAction.REVIEW and other.archive_action == ArchiveAction.DESTROY)
        )

    def personal_data_due(self, closed: date) -> date:
        return add_years(closed, self.personal_data_years)

    def archive_due(self, closed: date) -> date | None:
        return None if self.archive_years is None else add_years(closed, self.archive_years)


BUILT_IN = Policy(DEFAULT_ARCHIVE_YEARS, DEFAULT_PERSONAL_DATA_YEARS, ArchiveAction.REVIEW, None, "default")


def rule_policy(rule: RetentionRule, label: str, now: datetime | None = None) -> Policy:
    """The policy of a rule at `now`: while a shortening waits out its notice period, the longer of the
    earlier periods and the rule's own."""
    own = Policy(rule.archive_years, rule.personal_data_years, rule.archive_action, rule.pk, label)
    now = now or timezone.now()
    if not rule.longer or rule.longer_until is None or rule.longer_until <= now:
        return own
    before = rule.longer
    archive = (
        None
        if own.archive_years is None or before["archive_years"] is None
        else max(own.archive_years, before["archive_years"])
    )
    review = ArchiveAction.REVIEW in (own.archive_action, before["archive_action"])
    return Policy(
        archive,
        max(own.personal_data_years, before["personal_data_years"]),
        ArchiveAction.REVIEW if review else ArchiveAction.DESTROY,
        rule.pk,
        label,
        shortening_from=rule.longer_until,
    )


def policies(now: datetime | None = None, *, without: int | None = None) -> tuple[Policy, dict[int, Policy]]:
    """The default policy and the effective policy of every category at `now` (two queries); `without`
    leaves one rule out (what would apply once it is removed)."""
    from huiyin.cases.models import Category

    now = now or timezone.now()
    rules = {r.category_id: r for r in RetentionRule.objects.exclude(pk=without)}
    default = rule_policy(rules[None], "default", now) if None in rules else BUILT_IN
    categories = {c.pk: c for c in Category.objects.only("pk", "code", "parent_id")}
    result: dict[int, Policy] = {}

    def resolve(pk: int, seen: frozenset[int] = frozenset()) -> Policy:
        if pk in result:
            return result[pk]
        category = categories[pk]
        if pk in rules:
            policy = rule_policy(rules[pk], category.code, now)
        elif category.parent_id in categories and category.parent_id not in seen:
            policy = resolve(category.parent_id, seen | {pk})
        else:
            policy = default
        result[pk] = policy
        return policy

    for pk in categories:
        resolve(pk)
    return default, result


def policy_for(category_id: int | None, table: tuple[Policy, dict[int, Policy]] | None = None) -> Policy:
    default, by_category = table or policies()
    return by_category.get(category_id, default) if category_id is not None else default


def cutoff_q(*, now: datetime, years_of, table: tuple[Policy, dict[int, Policy]] | None = None) -> Q:
    """Cases closed long enough ago under their policy: `closed_at` before now minus `years_of(policy)` years.

    One OR-ed condition per distinct number of years, so the database does the selection.
    `years_of` returns None for "never" (a permanent archive).
    """
    default, by_category = table or policies()
    groups: dict[int, list[int]] = {}
    never: list[int] = []
    for pk, policy in by_category.items():
        years = years_of(policy)
        (never if years is None else groups.setdefault(years, [])).append(pk)
    condition = Q(pk__in=[])
    default_years = years_of(default)
    for years, ids in groups.items():
        condition |= Q(category_id__in=ids, closed_at__lte=add_years(now, -years))
    if default_years is not None:
        # Without a category, or in a category created since the table was read: the default rule.
        condition |= (Q(category__isnull=True) | ~Q(category_id__in=list(by_category))) & Q(
            closed_at__lte=add_years(now, -default_years)
        )
    return condition & Q(status__in=CLOSED_STATES, closed_at__isnull=False)
