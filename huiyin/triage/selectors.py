"""Reads of the triage pages. Every list of cases goes through `Case.objects.visible_to(user)`:
a case out of the user's scope never appears in a suggestion, a similar list, a hot issue or the
dispute register."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from huiyin.cases.models import Case, CaseLink, Category
from huiyin.cases.querysets import subtree_ids
from huiyin.cases.selectors import case_get_for_user
from huiyin.cases.states import CaseStatus, Compartment
from huiyin.nlp.similar import (
    CONTAINED_MIN_WORDS,
    DUPLICATE_SCORE,
    RELATED_SCORE,
    Containment,
    Shingles,
    as_shingles,
    contained_words,
    shared_words,
    similarity,
)
from huiyin.org.models import User
from huiyin.people.models import PetitionerKey
from huiyin.triage import engine
from huiyin.triage.models import (
    CaseFingerprint,
    CategoryKeywords,
    DisputeEntry,
    DisputeProgress,
    HotIssue,
    HotIssueCase,
    HotIssueNumber,
    HotIssueRun,
    SimilarityKey,
    Suggestion,
    TrainedModel,
    TrainingRun,
)
from huiyin.triage.services import (
    category_use_relations,
    lookup_keys,
    rank_score,
    representative_subjects,
    shared_words_ranked,
    word_frequencies,
)
from huiyin.triage.states import (
    DisputeLevel,
    DisputeStatus,
    SimilarKind,
    SuggestionKind,
    SuggestionStatus,
    TrainingStatus,
)

# A case by the same petitioner counts as a repeat petition from this score on (a design constant,
# like the nlp package's levels): sharing a few specific words is enough when the person is the same.
SAME_PETITIONER_SCORE = 0.1
# ... or when most words of the shorter text recur in the other (the overlap coefficient), with at
# least two words shared: a short follow-up ("再次反映国庆加班费问题") shares few words with the long
# letter it follows up, so its Jaccard index stays low. For the same petitioner only; the same issue
# raised by others keeps RELATED_SCORE.
SAME_PETITIONER_OVERLAP = 0.5
SAME_PETITIONER_MIN_SHARED = 2
# A follow-up of at most SHORT_NOTE_WORDS content words ("工资问题。", "我的问题还没解决") is a
# repeat of the same petitioner's case that holds all of them, also inside a longer word (jieba keeps
# "拖欠工资" whole): one shared word is all such a note can offer (`contained_words`).
# Candidates read per LSH key (newest first) and re-ranked exactly: bounds the work of a lookup even
# when a key is shared by thousands of cases (boilerplate texts).
PER_KEY = 400
RERANK = 100
# ... and at most this many more, found by the extra rare-word keys only (`candidate_ids`).
EXTRA_CANDIDATES = 40
# The largest hot-issue number a database column holds (a URL may carry any digits).
MAX_NUMBER = 2**63 - 1


# Suggestions on the case page ------------------------------------------------------------------------


def suggestion_decidable_get(*, user: Any, pk: int) -> Suggestion | None:
    """A category or route suggestion `user` may decide, with its case; None when there is no such
    suggestion. A case outside the user's scope raises Http404 (audited by `case_get_for_user`)."""
    suggestion = (
        Suggestion.objects.filter(pk=pk, kind__in=[SuggestionKind.CATEGORY, SuggestionKind.ROUTE])
        .select_related("case")
        .first()
    )
    if suggestion is not None:
        suggestion.case = case_get_for_user(user=user, pk=suggestion.case_id, perm="triage.confirm_suggestion")
    return suggestion


def case_suggestions(*, case: Case) -> dict[str, Suggestion]:
    """The category and route suggestions of a case, by kind."""
    rows = Suggestion.objects.filter(
        case=case, kind__in=[SuggestionKind.CATEGORY, SuggestionKind.ROUTE]
    ).select_related("category", "unit", "corrected_category", "corrected_unit", "decided_by", "trained_model")
    return {s.kind: s for s in rows}


# Similar cases -----------------------------------------------------------------------------------------


@dataclass
class SimilarCase:
    case: Case
    score: float
    shared: list[str]
    kind: str
    same_petitioner: bool = False
    later: bool = False
    linked: bool = False
    # For a short text matched with a long one (`contained_share`): how much of the shorter the other holds.
    held: float | None = None
    # Nearly the same text (Jaccard >= DUPLICATE_SCORE) from another named petitioner: the same issue.
    near_copy: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def held_percent(self) -> int | None:
        return None if self.held is None else round(100 * self.held)


def candidate_ids(
    keys: list[int],
    *,
    extra_keys: Iterable[int] = (),
    exclude: int | None = None,
    limit: int = RERANK,
    extra_limit: int = EXTRA_CANDIDATES,
) -> list[tuple[int, int]]:
    """`(case_id, keys shared)` of the cases sharing LSH keys with `keys`, most shared first, at most `limit`;
    then at most `extra_limit` more, most shared first among `extra_keys` (the extra rare-word keys,
    `services.lookup_keys`), that are not among the first. Counted apart, the extra keys only add candidates: a
    case that `keys` bring among the first `limit` is there whatever the extra keys find.

    One query: per key, an index range scan of at most PER_KEY entries (newest cases first).
    """
    keys = sorted(set(keys))
    extra = sorted(set(extra_keys) - set(keys))
    if not keys and not extra:
        return []
    qn = connection.ops.quote_name
    table, key_col, case_col = qn(SimilarityKey._meta.db_table), qn("key"), qn("case_id")
    # No user input in the SQL text: names quoted by the backend, integers; the keys are parameters.
    read = f"SELECT {case_col} FROM {table} WHERE {key_col} = %s ORDER BY {case_col} DESC LIMIT {PER_KEY:d}"  # noqa: S608
    groups = [0] * len(keys) + [1] * len(extra)
    union = " UNION ALL ".join(f"SELECT {case_col}, {g:d} AS grp FROM ({read}) AS k{i:d}" for i, g in enumerate(groups))  # noqa: S608

    def ranked(group: int, top: int, condition: str = "") -> str:
        return (
            f"SELECT {case_col}, COUNT(*) AS hits, {group:d} AS grp FROM u "  # noqa: S608
            f"WHERE grp = {group:d} AND {case_col} <> %s {condition}"
            f"GROUP BY {case_col} ORDER BY hits DESC, {case_col} DESC LIMIT {top:d}"
        )

    # The first `limit` by hits over `keys`, and the next `extra_limit` by hits over the extra keys.
    first = ranked(0, limit)
    more = ranked(1, extra_limit, f"AND {case_col} NOT IN (SELECT {case_col} FROM f) ")  # noqa: S608
    both = f"SELECT {case_col}, hits, grp FROM f UNION ALL SELECT {case_col}, hits, grp FROM x"  # noqa: S608
    sql = (
        f"WITH u AS ({union}), f AS ({first}), x AS ({more}) "  # noqa: S608
        f"SELECT {case_col}, hits FROM ({both}) AS c ORDER BY grp, hits DESC, {case_col} DESC"
    )
    other = exclude if exclude is not None else -1
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, *extra, other, other])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _word_set(case: Case) -> set[str]:
    row = CaseFingerprint.objects.filter(case=case).values_list("title_words", "body_words").first()
    if row is None:
        return engine.case_word_set(case)
    return set(row[0].split()) | set(row[1].split())


def _own_match_keys(case: Case) -> list[str]:
    """The petitioner's match hashes (ID number, employee number, name + phone), for a named petitioner
    outside the discipline compartment only: linking an accusation to its author's other cases would
    undo the confidentiality of the report."""
    if not case.petitioner_id or case.anonymous or case.compartment != Compartment.GENERAL:
        return []
    keys = set(PetitionerKey.objects.filter(petitioner_id=case.petitioner_id).values_list("key", flat=True))
    if case.petitioner.match_key:
        keys.add(case.petitioner.match_key)
    return sorted(keys)


def same_petitioner_repeat(words: set[str], other: set[str], score: float) -> bool:
    """Whether a case of the same petitioner with these words (compared as `nlp.similar.shingles`: on parts, without
    the words of the petition's history) counts as a repeat petition."""
    if score >= SAME_PETITIONER_SCORE or contained_words(words, other):
        return True
    shared = len(words & other)
    smaller = min(len(words), len(other))
    return shared >= SAME_PETITIONER_MIN_SHARED and shared / smaller >= SAME_PETITIONER_OVERLAP


def similar_cases(*, case: Case, user: Any, limit: int = 10) -> list[SimilarCase]:
    """Cases that may be the same matter (repeat petition) or raise the same issue, best first.

    Candidates come from the LSH index and, for a named petitioner outside the discipline
    compartment, from the same petitioner's other cases (found by the keyed hash, through its
    index). They are ranked by the Jaccard index of their stored content words; a case of the same
    petitioner passes at a lower bar (`same_petitioner_repeat`), the same issue raised by others at
    RELATED_SCORE; only those that pass are then filtered by the user's scope (the same
    result as filtering first, at a fraction of the cost). Dismissed suggestions are left out.
    """
    words = _word_set(case)
    frequency = word_frequencies(words)
    keys, extra_keys = lookup_keys(words, frequency)
    found = {cid: hits for cid, hits in candidate_ids(keys, extra_keys=extra_keys, exclude=case.pk)}
    own_keys = _own_match_keys(case)
    same_person: set[int] = set()
    if own_keys:
        # Any shared hash: a letter with an ID number and a later call giving only name and phone.
        people = PetitionerKey.objects.filter(key__in=own_keys).values("petitioner_id")
        same_person = set(
            Case.objects.filter(
                Q(petitioner__match_key__in=own_keys) | Q(petitioner_id__in=people), compartment=Compartment.GENERAL
            )
            .exclude(pk=case.pk)
            .order_by("-received_at")
            .values_list("pk", flat=True)[:50]
        )
    ids = set(found) | same_person
    if not ids:
        return []
    ids -= set(
        Suggestion.objects.filter(
            case=case, kind=SuggestionKind.SIMILAR, status=SuggestionStatus.DISMISSED
        ).values_list("related_case_id", flat=True)
    )
    stored = {
        pk: set(title.split()) | set(body.split())
        for pk, title, body in CaseFingerprint.objects.filter(case_id__in=ids).values_list(
            "case_id", "title_words", "body_words"
        )
    }
    # The same person writing about another matter is not a repeat petition: their letters share their
    # way of writing ("思来想去", "普通职工"), not the issue. Where both cases have a category (this one:
    # its own or the suggested one) and they differ, the lower bar of the same petitioner does not apply.
    other_matter: set[int] = set()
    mine_category = case.category_id or _suggested_category_id(case)
    if same_person and mine_category is not None:
        other_matter = set(
            Case.objects.filter(pk__in=same_person, category__isnull=False)
            .exclude(category_id=mine_category)
            .values_list("pk", flat=True)
        )
    stored_shingles: dict[int, Shingles] = {}
    passing: dict[int, tuple[float, list[str], str]] = {}
    deferred: dict[int, float] = {}  # below RELATED_SCORE, but one may hold the other's rare words (`contained`)
    need: set[str] = set()  # the words of the shorter texts among them, whose frequencies `contained` weighs
    held: dict[int, float] = {}  # of those, how much of the shorter text the other holds (`contained_share`)
    near_copy: set[int] = set()  # nearly the same text; in the end, those known to be from someone else
    short_repeat: set[int] = set()  # the same petitioner's, below RELATED_SCORE: shown with the share held too
    mine = as_shingles(words)  # made once for the comparisons below, as each candidate's
    mine_topical = Containment.topical(mine)

    def shorter_words(theirs: Shingles) -> set[str]:
        """A candidate's words whose frequencies `Containment` weighs: those of the shorter text, if it is."""
        their_topical = Containment.topical(theirs)
        return their_topical if len(their_topical) < len(mine_topical) else set()

    for pk in ids:
        other_words = stored.get(pk)
        if other_words is None:
            continue  # not indexed yet (`manage.py triage reindex`)
        theirs = stored_shingles[pk] = as_shingles(other_words)
        score, parts = similarity(mine, theirs, max_words=None)
        repeat_bar = pk in same_person and pk not in other_matter
        if repeat_bar and same_petitioner_repeat(mine, theirs, score):
            shown = sorted(shared_words(words, other_words)) or contained_words(words, other_words)
            passing[pk] = (score, shown, SimilarKind.REPEAT)
            if score < RELATED_SCORE:
                # A follow-up call is short beside the letter: "repeat petition, 7 %" reads as barely related
                # (found in a walk-through), so the panel also says how much of the shorter text the other holds.
                short_repeat.add(pk)
                need |= shorter_words(theirs)
        elif score >= DUPLICATE_SCORE:
            # Nearly the same text: probably the same letter sent again, unless both are named and the names
            # differ (below).
            shown = sorted(shared_words(words, other_words)) or contained_words(words, other_words)
            passing[pk] = (score, shown, SimilarKind.REPEAT)
            near_copy.add(pk)
        elif score >= RELATED_SCORE:
            passing[pk] = (score, sorted(shared_words(words, other_words)), SimilarKind.SAME_ISSUE)
        elif len(parts) >= CONTAINED_MIN_WORDS:
            deferred[pk] = score
            need |= shorter_words(theirs)
    if deferred or short_repeat:
        # This case's frequencies are known already; the shorter others' are read in one query.
        known = {**frequency, **word_frequencies(need - set(frequency))} if need else frequency
        containment = Containment(mine, known)
        for pk in short_repeat:
            held[pk] = containment.weigh(stored_shingles[pk])[0]
        for pk, score in deferred.items():
            share = containment.share(stored_shingles[pk])
            if share is not None:
                passing[pk] = (score, sorted(shared_words(words, stored[pk])), SimilarKind.SAME_ISSUE)
                held[pk] = share
    if own_keys and near_copy - same_person:
        # A repeat petition is the same person's: another named employee's copy of a letter is the same issue,
        # never their "repeat" (a walk-through found one labelled 重复信访, which can lead to turning their
        # petition away). Marked as nearly the same text instead; an anonymous copy may be either.
        others = set(
            Case.objects.filter(pk__in=near_copy - same_person, anonymous=False, petitioner__isnull=False).values_list(
                "pk", flat=True
            )
        )
        for pk in others:
            score, shown, _kind = passing[pk]
            passing[pk] = (score, shown, SimilarKind.SAME_ISSUE)
        near_copy = others
    else:
        near_copy = set()
    if not passing:
        return []
    visible = list(
        Case.objects.visible_to(user)
        .filter(pk__in=list(passing))
        .only("pk", "case_no", "subject", "received_at", "status")
    )
    shown = [c.pk for c in visible]
    linked = set()
    for a, b in CaseLink.objects.filter(
        Q(from_case=case, to_case_id__in=shown) | Q(to_case=case, from_case_id__in=shown)
    ).values_list("from_case_id", "to_case_id"):
        linked.add(b if a == case.pk else a)
    out = [
        SimilarCase(
            case=other,
            score=passing[other.pk][0],
            shared=passing[other.pk][1],
            kind=passing[other.pk][2],
            same_petitioner=other.pk in same_person,
            later=other.received_at > case.received_at,
            linked=other.pk in linked,
            held=held.get(other.pk),
            near_copy=other.pk in near_copy,
        )
        for other in visible
    ]
    for item, ranked in zip(out, shared_words_ranked([item.shared for item in out]), strict=True):
        item.shared = ranked
    # A repeat petition first: it is what the clerk must not miss, whatever others' letters share.
    out.sort(key=lambda s: (s.kind != SimilarKind.REPEAT, -s.score, -s.case.received_at.timestamp()))
    return out[:limit]


def _suggested_category_id(case: Case) -> int | None:
    """The category the case's suggestion settled on (the decided one, else the suggested one), if any."""
    suggestion = (
        Suggestion.objects.filter(case=case, kind=SuggestionKind.CATEGORY)
        .exclude(status=SuggestionStatus.DISMISSED)
        .only("category_id", "corrected_category_id")
        .first()
    )
    if suggestion is None:
        return None
    return suggestion.corrected_category_id or suggestion.category_id


# Hot issues --------------------------------------------------------------------------------------------


def hot_issue_run_latest() -> HotIssueRun | None:
    return HotIssueRun.objects.filter(finished_at__isnull=False).order_by("-started_at", "-id").first()


@dataclass
class HotIssueView:
    """A hot issue as one user sees it: figures and samples from the member cases in their scope."""

    issue: HotIssue
    size: int
    recent: int
    previous: int
    units: int
    headcount: int
    score: float
    first_at: datetime | None
    last_at: datetime | None
    complete: bool  # every member is visible: the stored key words may be shown
    samples: list[Case] = field(default_factory=list)
    rank: int = 0  # in the user's list of the latest run; 0 when the issue is no longer hot
    current: bool = True  # listed by the latest run; False: no longer hot, figures as last listed
    first_listed_at: datetime | None = None

    @property
    def number(self) -> int:
        return self.issue.number

    @property
    def growth(self) -> float:
        """The smoothed ratio the ranking uses (1.0 with no case in either window)."""
        return round((self.recent + 1) / (self.previous + 1), 2)

    @property
    def trend(self) -> float | None:
        """The plain ratio shown to people: last window over the window before; None when the window
        before had no case (the page then says "new" or shows nothing)."""
        return round(self.recent / self.previous, 1) if self.previous else None

    @property
    def terms(self) -> list[str]:
        return list(self.issue.top_terms) if self.complete else []

    @property
    def headline(self) -> str:
        """What the issue is, in a petitioner's words: the subject of the sample cases (ones the user may
        see) that best names it (`representative_subjects`); "" without samples."""
        names = representative_subjects(self.samples, self.terms, limit=1)
        return names[0] if names else ""

    @property
    def last_listed_at(self) -> datetime:
        return self.issue.run.started_at


def _visible_members(run: HotIssueRun, user: Any) -> QuerySet[HotIssueCase]:
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
    return HotIssueCase.objects.filter(issue__run=run).filter(Exists(visible))


def _add_samples(run: HotIssueRun, user: Any, views: list[HotIssueView], samples: int) -> None:
    """The `samples` newest member cases `user` may see of each of `views` (one query)."""
    if not views or not samples:
        return
    by_issue = {v.issue.pk: v for v in views}
    picked = (
        _visible_members(run, user)
        .filter(issue_id__in=list(by_issue))
        .annotate(
            n=Window(RowNumber(), partition_by=[F("issue_id")], order_by=[F("received_at").desc(), F("id").desc()])
        )
        .filter(n__lte=samples)
        .select_related("case")
        .order_by("issue_id", "n")
    )
    for member in picked:
        by_issue[member.issue_id].samples.append(member.case)


def hot_issues_for(
    *,
    user: Any,
    run: HotIssueRun | None,
    limit: int | None = 50,
    samples: int = 3,
    only: int | None = None,
    received: tuple[datetime, datetime] | None = None,
) -> list[HotIssueView]:
    """The hot issues of `run` (or only the issue numbered `only`), ranked on the member cases `user`
    may see (at least two of them); `limit` None lists them all. With `received` (start, end), the
    figures count only the members received in that half-open period."""
    if run is None:
        return []
    ref = run.started_at
    window = timedelta(days=run.window_days)
    members = _visible_members(run, user)
    if only is not None:
        members = members.filter(issue__number=only)
    # `seen` counts every visible member (may the key words be shown); the figures may be narrowed to a period.
    inside = Q(received_at__gte=received[0], received_at__lt=received[1]) if received is not None else Q()
    rows = (
        members.values("issue_id")
        .annotate(
            seen=Count("id"),
            n=Count("id", filter=inside),
            recent=Count("id", filter=inside & Q(received_at__gt=ref - window, received_at__lte=ref)),
            previous=Count("id", filter=inside & Q(received_at__gt=ref - 2 * window, received_at__lte=ref - window)),
            n_units=Count("unit_id", distinct=True, filter=inside),
            first=Min("received_at", filter=inside),
            last=Max("received_at", filter=inside),
        )
        .filter(n__gte=2)
    )
    # People: each matter (a petition and its repeats) once, with its largest headcount (one row a matter).
    people: dict[int, int] = defaultdict(int)
    for m in (
        members.filter(inside)
        .values("issue_id", key=Coalesce("matter", "case_id", output_field=BigIntegerField()))
        .annotate(most=Max("headcount"))
        .values_list("issue_id", "most")
    ):
        people[m[0]] += max(1, m[1])
    issues = HotIssue.objects.filter(run=run, **({"number": only} if only is not None else {}))
    by_pk = {i.pk: i for i in issues}
    views = []
    for r in rows:
        issue = by_pk[r["issue_id"]]
        issue.run = run
        views.append(
            HotIssueView(
                issue=issue,
                size=r["n"],
                recent=r["recent"],
                previous=r["previous"],
                units=r["n_units"],
                headcount=people[r["issue_id"]] or r["n"],
                score=rank_score(
                    size=r["n"],
                    recent=r["recent"],
                    previous=r["previous"],
                    units=r["n_units"],
                    headcount=people[r["issue_id"]] or r["n"],
                ),
                first_at=r["first"],
                last_at=r["last"],
                complete=r["seen"] == issue.size,
            )
        )
    views.sort(key=lambda v: (-v.score, -v.size, v.issue.rank))
    if limit is not None:
        views = views[:limit]
    for rank, v in enumerate(views, 1):
        v.rank = rank
    _add_samples(run, user, views, samples)
    return views


def hot_issue_get_for_user(*, user: Any, number: int, samples: int = 0) -> HotIssueView | None:
    """The hot issue numbered `number` as `user` sees it, or None (the same for a number that never
    existed and for one the user may not see: fewer than two of its cases are in their scope).

    A number listed by the latest run is a current hot issue, with its rank in the user's list. A
    number listed only by an earlier run is an issue no longer hot (`current` False): the figures and
    cases are those of its last listing, still restricted to the user's scope.
    """
    if not 0 < number <= MAX_NUMBER:
        return None
    row = (
        HotIssue.objects.filter(number=number, run__finished_at__isnull=False)
        .select_related("run")
        .order_by("-run__started_at", "-run_id")
        .first()
    )
    if row is None:
        return None
    latest = hot_issue_run_latest()
    if latest is not None and row.run_id == latest.pk:
        # The rank is the issue's place in the user's own list: rank them all, keep this one.
        found = [v for v in hot_issues_for(user=user, run=latest, limit=None, samples=0) if v.number == number]
        _add_samples(latest, user, found, samples)
    else:
        found = hot_issues_for(user=user, run=row.run, samples=samples, only=number)
        for view in found:
            view.current, view.rank = False, 0
    if not found:
        return None
    view = found[0]
    view.first_listed_at = (
        HotIssueNumber.objects.filter(number=number).values_list("first_listed_at", flat=True).first()
    )
    return view


def hot_issue_cases(*, issue: HotIssue, user: Any) -> QuerySet[Case]:
    """The member cases of `issue` that `user` may see, newest first (for an issue no longer hot: its
    cases as last listed), each with `supervised`: under supervision now."""
    from huiyin.workflow.models import Supervision

    members = HotIssueCase.objects.filter(issue=issue).values("case_id")
    open_supervision = Supervision.objects.filter(case=OuterRef("pk"), feedback_at__isnull=True, closed_at__isnull=True)
    return (
        Case.objects.visible_to(user)
        .filter(pk__in=members)
        .select_related("unit", "target_unit", "handling_unit", "category")
        .annotate(supervised=Exists(open_supervision))  # marked in the table: group supervision shows its effect
        .order_by("-received_at", "-id")
    )


def cases_to_supervise(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Those of `cases` that group supervision would put under supervision: in handling, with no
    supervision open (the rule of `huiyin.triage.services.hot_issue_supervise`)."""
    from huiyin.workflow.models import Supervision

    open_supervision = Supervision.objects.filter(case=OuterRef("pk"), feedback_at__isnull=True, closed_at__isnull=True)
    return cases.filter(status=CaseStatus.IN_HANDLING).filter(~Exists(open_supervision))


def cases_not_yet_in_handling(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Those of `cases` still open but not yet in handling (registered, or accepted and not yet assigned): group
    supervision passes them over (only a case in handling can be supervised) until they are in handling."""
    return cases.filter(status__in=[CaseStatus.REGISTERED, CaseStatus.ACCEPTED])


# The dispute register ------------------------------------------------------------------------------------


def dispute_entries_for(*, user: Any) -> QuerySet[DisputeEntry]:
    """Entries kept in the user's unit subtree, plus those they are responsible for."""
    qs = DisputeEntry.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    mine = Q(responsible_leader_id=user.pk)
    if user.unit_id is None:
        return qs.filter(mine)
    if user.unit.depth == 0:
        return qs
    return qs.filter(Q(unit_id__in=subtree_ids(user.unit)) | mine)


def dispute_entry_cases(*, entry: DisputeEntry, user: Any) -> QuerySet[Case]:
    """The cases of an entry that `user` may see."""
    return (
        Case.objects.visible_to(user)
        .filter(pk__in=entry.cases.values("pk"))
        .select_related("handling_unit", "category")
        .order_by("-received_at", "-id")
    )


def dispute_entry_hot_cases(*, entry: DisputeEntry, user: Any) -> QuerySet[Case]:
    """The cases of the hot issue an entry was made from (its latest listing) that are not in the entry and
    that `user` may see: cases that joined the issue after the entry was made, or that its maker could not
    see. Empty for an entry not made from a hot issue."""
    if entry.hot_issue_number is None:
        return Case.objects.none()
    members = HotIssueCase.objects.filter(issue__number=entry.hot_issue_number).values("case_id")
    return (
        Case.objects.visible_to(user)
        .filter(pk__in=members)
        .exclude(pk__in=entry.cases.values("pk"))
        .select_related("handling_unit", "category")
        .order_by("-received_at", "-id")
    )


def dispute_entries_of_case(*, case: Case, user: Any) -> QuerySet[DisputeEntry]:
    return dispute_entries_for(user=user).filter(cases=case).order_by("-created_at")


def dispute_home_section(user: Any) -> dict | None:
    """The unresolved register entries `user` is the responsible leader of, for their home page."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("triage.view_disputeentry"):
        return None
    entries = (
        dispute_entries_for(user=user)
        .filter(responsible_leader_id=user.pk)
        .exclude(status=DisputeStatus.RESOLVED)
        .order_by("created_at", "id")
    )
    gravity = {DisputeLevel.CRITICAL: 0, DisputeLevel.MAJOR: 1}
    ranked = sorted(entries[:50], key=lambda e: gravity.get(e.level, 2))  # stable: the oldest first at a level
    return {"template": "triage/_home_disputes.html", "entries": ranked} if ranked else None


@dataclass
class ProgressStep:
    at: datetime
    by: str
    note: str
    changes: list[tuple[str, str, str]]  # (field label, before, after), as read today


def _progress_value(name: str, value: Any, names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if name == "status":
        return str(DisputeStatus(value).label) if value in DisputeStatus.values else str(value)
    if name == "level":
        return str(DisputeLevel(value).label) if value in DisputeLevel.values else str(value)
    if name == "responsible_leader_id":
        return names.get(value, "—")
    if isinstance(value, bool):
        return str(_("done") if value else _("not done"))
    return str(value)


def dispute_progress(*, entry: DisputeEntry) -> list[ProgressStep]:
    """The entry's history, newest first, with field labels and values as a person reads them."""
    steps = list(DisputeProgress.objects.filter(entry=entry).select_related("by"))
    leader_ids = {v for p in steps for name, *values in p.changes if name == "responsible_leader_id" for v in values}
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in={i for i in leader_ids if i})}
    out = []
    for p in steps:
        changes = []
        for name, old, new in p.changes:
            field_name = "responsible_leader" if name == "responsible_leader_id" else name
            label = str(DisputeEntry._meta.get_field(field_name).verbose_name)
            changes.append((label, _progress_value(name, old, names), _progress_value(name, new, names)))
        out.append(ProgressStep(p.created_at, p.by.display_name, p.note, changes))
    return out


# Training data --------------------------------------------------------------------------------------------


def _decided_labels() -> dict[int, str]:
    """The category code people settled on, by case: confirmed or corrected suggestions to active categories."""
    decided: dict[int, str] = {}
    rows = (
        Suggestion.objects.filter(
            kind=SuggestionKind.CATEGORY, status__in=[SuggestionStatus.CONFIRMED, SuggestionStatus.CORRECTED]
        )
        .annotate(
            label=F("corrected_category__code"),
            label_active=F("corrected_category__active"),
            own=F("category__code"),
            own_active=F("category__active"),
        )
        .values_list("case_id", "status", "label", "label_active", "own", "own_active")
    )
    for case_id, status, label, label_active, own, own_active in rows.iterator(chunk_size=5000):
        if status == SuggestionStatus.CORRECTED and label and label_active:
            decided[case_id] = label
        elif status == SuggestionStatus.CONFIRMED and own and own_active:
            decided[case_id] = own
    return decided


def _labelled_cases(limit: int) -> QuerySet[Case]:
    """Cases with a category (active) or a decided category suggestion, newest first, at most `limit`."""
    has_decision = Suggestion.objects.filter(
        case_id=OuterRef("pk"),
        kind=SuggestionKind.CATEGORY,
        status__in=[SuggestionStatus.CONFIRMED, SuggestionStatus.CORRECTED],
    )
    return Case.objects.filter(Q(category__active=True) | Exists(has_decision)).order_by("-received_at", "-id")[:limit]


def training_examples(*, limit: int = 200_000) -> list[tuple[str, str, str]]:
    """`(title, body, category code)` of the enterprise's own decided cases, newest first.

    The label is the category a person settled on for the suggestion (confirmed or corrected);
    without a decided suggestion, the category staff set at registration or acceptance.
    Only active categories count.
    """
    decided = _decided_labels()
    labelled = _labelled_cases(limit).values_list("pk", "subject", "content", "category__code")
    out = []
    for pk, subject, content, code in labelled.iterator(chunk_size=2000):
        label = decided.get(pk) or code
        if label:
            out.append((subject, content, label))
    return out


def training_label_counts(*, limit: int = 200_000) -> Counter[str]:
    """How many examples `training_examples` gives per category code, without reading the texts: enough to
    refuse a training at once, in the request, when there are too few."""
    decided = _decided_labels()
    counts: Counter[str] = Counter()
    for pk, code in _labelled_cases(limit).values_list("pk", "category__code").iterator(chunk_size=5000):
        label = decided.get(pk) or code
        if label:
            counts[label] += 1
    return counts


# Category models ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassFigures:
    """A model's held-out figures for one category."""

    label: str
    name: str
    precision: float
    recall: float
    f1: float
    support: int


def model_class_figures(*, trained_model: TrainedModel) -> list[ClassFigures]:
    """The model's held-out figures per category, named as the category list names them today (retired
    categories too); a label no category has (a CSV's own) is shown as stored."""
    report = trained_model.report if isinstance(trained_model.report, dict) else {}
    named = engine.categories_by_label(list(Category.objects.all()))
    out = []
    rows = [(str(row.get("label", "")), row) for row in report.get("per_class", [])]
    # In the category list's order, as every category choice is shown; labels no category has come last.
    rows.sort(key=lambda r: (r[0] not in named, named[r[0]].sort if r[0] in named else 0, r[0]))
    for label, row in rows:
        category = named.get(label)
        out.append(
            ClassFigures(
                label=label,
                name=str(category) if category is not None else label,
                precision=float(row.get("precision") or 0.0),
                recall=float(row.get("recall") or 0.0),
                f1=float(row.get("f1") or 0.0),
                support=int(row.get("support") or 0),
            )
        )
    return out


@dataclass(frozen=True)
class ModelsPage:
    models: list[TrainedModel]
    active: TrainedModel | None
    # The active model's file cannot be read (tampered with, or the key changed): the keyword rules suggest.
    active_unreadable: bool
    pending_run: TrainingRun | None
    # The newest training run, when it failed: why, until the next one.
    failed_run: TrainingRun | None
    latest_version: int | None


def models_page() -> ModelsPage:
    """What the category models page shows: every trained model, newest first, and the training runs."""
    models = list(TrainedModel.objects.select_related("trained_by", "activated_by").order_by("-version"))
    active = next((m for m in models if m.active), None)
    unreadable = False
    if active is not None:
        # The cache suggestions use: a file that cannot be loaded shows here as it does on every suggestion.
        row, _model = engine.model_cache.get()
        unreadable = row is None
    newest = TrainingRun.objects.select_related("requested_by").order_by("-created_at", "-id").first()
    return ModelsPage(
        models=models,
        active=active,
        active_unreadable=unreadable,
        pending_run=newest if newest is not None and newest.pending else None,
        failed_run=newest if newest is not None and newest.status == TrainingStatus.FAILED else None,
        latest_version=models[0].version if models else None,
    )


# The category list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    cases: int
    keywords: list[str]
    builtin_keywords: bool
    in_use: bool


def category_rows() -> list[CategoryRow]:
    """Every category, active or retired, in the list's order: how many cases have it, the keywords the
    rules use for it (its own, else the built-in ones), and whether anything uses it (then it cannot be
    deleted). Four queries, however long the list."""
    uses = {f"use_{i}": rel for i, rel in enumerate(category_use_relations())}
    categories = Category.objects.annotate(
        **{
            key: Exists(rel.related_model._base_manager.filter(**{rel.field.name: OuterRef("pk")}))
            for key, rel in uses.items()
        }
    ).order_by("sort", "code")
    cases = dict(
        Case.objects.filter(category__isnull=False)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    own = dict(CategoryKeywords.objects.values_list("category_id", "keywords"))
    return [
        CategoryRow(
            category=c,
            cases=cases.get(c.pk, 0),
            keywords=own[c.pk].split() if c.pk in own else engine.builtin_keywords(c.code),
            builtin_keywords=c.pk not in own,
            in_use=any(getattr(c, key) for key in uses),
        )
        for c in categories
    ]


@dataclass(frozen=True)
class EntryHolding:
    entry: DisputeEntry
    cases: int


def dispute_entries_holding(*, cases: QuerySet[Case], user: Any, exclude: int | None = None) -> list[EntryHolding]:
    """The register entries `user` may see that already hold some of `cases`, with how many of them:
    before a hot issue is entered (again), the office sees where its cases are registered already."""
    if not user.has_perm("triage.view_disputeentry"):
        return []
    rows = (
        DisputeEntry.cases.through.objects.filter(
            case_id__in=cases.values("pk"), disputeentry_id__in=dispute_entries_for(user=user).values("pk")
        )
        .exclude(disputeentry_id=exclude or 0)
        .values("disputeentry_id")
        .annotate(n=Count("case_id"))
    )
    counts = {row["disputeentry_id"]: row["n"] for row in rows}
    entries = DisputeEntry.objects.filter(pk__in=counts).select_related("unit").order_by("created_at", "id")
    return [EntryHolding(entry=e, cases=counts[e.pk]) for e in entries]
