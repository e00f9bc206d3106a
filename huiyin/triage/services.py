"""Every write of the triage app: suggestions and their decisions, the similarity index, trained
models, hot-issue runs and the dispute register.

Suggestions never change a case by themselves: a person confirms, corrects or dismisses them, and
the decisions are the training data of the next model.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import operator
import random
import re
import threading
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case, CaseEvent, CaseLink, Category, EventKind
from huiyin.cases.selectors import repeat_matters
from huiyin.cases.services import ACCUSATION_CATEGORY, case_categorise, case_link_add
from huiyin.cases.states import OPEN, CaseStatus, CaseType, Compartment
from huiyin.core.dates import date_text, datetime_text
from huiyin.core.errors import DomainError
from huiyin.nlp.base import Prediction
from huiyin.nlp.classifier import evaluate, train
from huiyin.nlp.cluster import cluster, keyword_candidate, people_count
from huiyin.nlp.cluster import rank_score as rank_score  # the ranking, recomputed on the members a user may see
from huiyin.nlp.keyword_rules import keyword_predict
from huiyin.nlp.segment import fine_words, normalize
from huiyin.nlp.similar import (
    CASES_COUNTED,
    LSH_VERSION,
    QUANTITY,
    contained_words,
    lsh_keys,
    rare_word_keys,
    rare_word_lookup_keys,
    shared_words,
    similarity,
)
from huiyin.org.models import OrgUnit, User
from huiyin.org.tree import unit_label
from huiyin.triage import engine
from huiyin.triage.models import (
    HEADCOUNT_MAX,
    HEADCOUNT_MIN,
    WORD_MAX_LENGTH,
    CaseFingerprint,
    CategoryKeywords,
    CategoryRoute,
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
    WordFrequency,
)
from huiyin.triage.states import (
    DisputeLevel,
    DisputeSource,
    DisputeStatus,
    ModelSource,
    SimilarKind,
    SuggestionKind,
    SuggestionSource,
    SuggestionStatus,
    TrainingStatus,
)

logger = logging.getLogger(__name__)

# Runs kept for the record (older ones too while they hold the last state of an issue no longer hot).
KEEP_RUNS = 48
# A new cluster continues an earlier hot issue when they share at least this share of the smaller one's
# cases (the overlap coefficient; see hot_issue_numbers_match).
HOT_ISSUE_MATCH_OVERLAP = 0.5
# An issue no longer hot keeps its last members this long: its page shows them, and a later run may
# give its number back to a cluster that continues it.
HOT_ISSUE_ENDED_KEEP_DAYS = 365
# PostgreSQL advisory lock taken by a run while it numbers and writes its issues ("hot" in ASCII).
HOT_ISSUE_LOCK_KEY = 0x686F74


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# The index -------------------------------------------------------------------------------------


def case_index(*, case: Case, now: datetime | None = None) -> CaseFingerprint:
    """(Re)compute the content words of `case` and its LSH keys."""
    title_words, body_words = engine.case_words(case.subject, case.content)
    fingerprint, _created = CaseFingerprint.objects.update_or_create(
        case=case,
        defaults={
            "title_words": " ".join(title_words),
            "body_words": " ".join(body_words),
            "lsh_version": LSH_VERSION,
            "indexed_at": _now(now),
        },
    )
    SimilarityKey.objects.filter(case=case).delete()
    keys = set(index_keys(set(title_words) | set(body_words)))
    SimilarityKey.objects.bulk_create([SimilarityKey(key=k, case=case) for k in keys], ignore_conflicts=True)
    return fingerprint


def all_word_frequencies() -> dict[str, int]:
    """The whole word-frequency table: some 60,000 words at 1,000,000 cases."""
    return dict(WordFrequency.objects.values_list("word", "cases"))


def word_frequencies(words: Iterable[str]) -> dict[str, int]:
    """In how many cases each of `words` (compared on parts, as `similarity` compares them) occurs, as last
    counted (`WordFrequency`); a word not counted is absent (in one case at most)."""
    return _frequencies_of([CASES_COUNTED, *sorted(fine_words(words))])


def _frequencies_of(words: Sequence[str]) -> dict[str, int]:
    """`WordFrequency` rows of these words. On PostgreSQL one statement with the words as one array parameter:
    a lookup asks for some hundreds of words, and an IN list of as many parameters costs more to build and
    send than to run. Elsewhere IN lists of at most 500 (SQLite's parameter limit is far above)."""
    found: dict[str, int] = {}
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        table, word, cases = qn(WordFrequency._meta.db_table), qn("word"), qn("cases")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {word}, {cases} FROM {table} WHERE {word} = ANY(%s)", [list(words)])  # noqa: S608
            found.update(cursor.fetchall())
        return found
    for start in range(0, len(words), 500):
        found.update(WordFrequency.objects.filter(word__in=words[start : start + 500]).values_list("word", "cases"))
    return found


def index_keys(words: set[str], frequency: Mapping[str, int] | None = None) -> list[int]:
    """The keys a case with these content words is found by: its MinHash band keys and its rare-word keys."""
    frequency = word_frequencies(words) if frequency is None else frequency
    return lsh_keys(words) + rare_word_keys(words, frequency)


def lookup_keys(words: set[str], frequency: Mapping[str, int] | None = None) -> tuple[list[int], list[int]]:
    """The keys a lookup for a case with these content words reads, in the two groups that `candidate_ids` ranks
    apart: its band keys and the keys of its rarest words; then the extra rare-word keys
    (`rare_word_lookup_keys`)."""
    frequency = word_frequencies(words) if frequency is None else frequency
    first, extra = rare_word_lookup_keys(words, frequency)
    return lsh_keys(words) + first, extra


def cases_reindex(
    *,
    cases: Iterable[Case],
    batch: int = 1000,
    progress: Callable[[int], None] | None = None,
    frequency: Mapping[str, int] | None = None,
) -> int:
    """Index many cases in batches (`manage.py triage reindex`); returns how many were indexed. `frequency`
    (`all_word_frequencies`) saves a caller that indexes in many calls reading the table each time."""
    frequency = all_word_frequencies() if frequency is None else frequency
    done = 0
    chunk: list[Case] = []

    def flush() -> None:
        nonlocal done
        if not chunk:
            return
        now = timezone.now()
        fingerprints, keys = [], []
        for case in chunk:
            title_words, body_words = engine.case_words(case.subject, case.content)
            fingerprints.append(
                CaseFingerprint(
                    case=case,
                    title_words=" ".join(title_words),
                    body_words=" ".join(body_words),
                    lsh_version=LSH_VERSION,
                    indexed_at=now,
                )
            )
            words = set(title_words) | set(body_words)
            keys.extend(SimilarityKey(key=k, case=case) for k in set(index_keys(words, frequency)))
        ids = [c.pk for c in chunk]
        with transaction.atomic():
            CaseFingerprint.objects.filter(case_id__in=ids).delete()
            SimilarityKey.objects.filter(case_id__in=ids).delete()
            CaseFingerprint.objects.bulk_create(fingerprints, batch_size=batch)
            SimilarityKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
        done += len(chunk)
        chunk.clear()
        if progress is not None:
            progress(done)

    for case in cases:
        chunk.append(case)
        if len(chunk) >= batch:
            flush()
    flush()
    return done


# The category list ---------------------------------------------------------------------------------

# Limits of the category list (the model's column sizes; keywords are one text the office types).
CATEGORY_CODE_MAX = 40
CATEGORY_NAME_MAX = 60
CATEGORY_SORT_MAX = 32767
CATEGORY_KEYWORDS_MAX = 2000
CATEGORY_CODE_PATTERN = re.compile(r"[a-z0-9_-]+")
CATEGORY_CODE_RULE = gettext_lazy("Use lower-case letters, digits, '-' and '_'.")
# What belongs to a category itself and goes with it when an unused category is deleted.
CATEGORY_OWN_MODELS = (CategoryRoute, CategoryKeywords)


def category_use_relations() -> list[Any]:
    """The relations that make a category "in use": every reverse relation of `Category` (cases,
    sub-categories, suggestions, retention rules, knowledge items …) except its own routes and keywords.

    Read from the model so that a relation added later counts too, without this app importing the app.
    """
    return [
        rel
        for rel in Category._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one)
        and rel.related_model not in CATEGORY_OWN_MODELS
    ]


def category_uses(*, category: Category) -> list[tuple[str, int]]:
    """What uses `category`: (what, how many) for each kind of use, cases first."""
    uses = []
    relations = category_use_relations()
    per_model = Counter(rel.related_model for rel in relations)
    for rel in relations:
        n = rel.related_model._base_manager.filter(**{rel.field.name: category}).count()
        if n:
            label = (
                _("sub-categories") if rel.related_model is Category else rel.related_model._meta.verbose_name_plural
            )
            if per_model[rel.related_model] > 1:  # suggestions: as suggested, and as corrected to
                label = _("{what} ({field})").format(what=label, field=rel.field.verbose_name)
            uses.append((str(label), n))
    return sorted(uses, key=lambda u: u[0] != str(Case._meta.verbose_name_plural))


def _without_invisibles(text: str) -> str:
    """`text` without invisible characters (zero-width spaces and joiners, byte-order marks, controls other
    than new lines and tabs): with them, two names that read the same would differ."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\n\t")


def _visible(text: str) -> str:
    """A name as stored: no invisible characters, single spaces."""
    return " ".join(_without_invisibles(text).split())


def _name_key(name: str) -> str:
    """How two names compare: spaces and invisible characters ignored (社会 保险 is 社会保险), full-width
    forms folded, any case."""
    return normalize(_without_invisibles(name)).replace(" ", "")


# Between keywords: spaces, new lines, and the commas and semicolons people type between words (，、；).
_KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _keyword_list(text: str) -> list[str]:
    """The keywords of a text (spaces, new lines, commas or 、 between them), each once, in order."""
    return list(dict.fromkeys(w for w in _KEYWORD_SEPARATORS.split(_without_invisibles(text)) if w))


def _category_check(
    *, code: str, name_zh: str, name_en: str, sort: int, keywords: str | None, exclude: int | None = None
) -> None:
    """Refuse a category that breaks a rule of the list; nothing is written before this passes."""
    errors: dict[str, list[str]] = {}
    if not CATEGORY_CODE_PATTERN.fullmatch(code):
        errors["code"] = [str(CATEGORY_CODE_RULE)]
    elif len(code) > CATEGORY_CODE_MAX:
        errors["code"] = [_("At most {n} characters.").format(n=CATEGORY_CODE_MAX)]
    if not name_zh:
        errors["name_zh"] = [_("Enter the Chinese name.")]
    for field_name, value in (("name_zh", name_zh), ("name_en", name_en)):
        if len(value) > CATEGORY_NAME_MAX and field_name not in errors:
            errors[field_name] = [_("At most {n} characters.").format(n=CATEGORY_NAME_MAX)]
    if not 0 <= sort <= CATEGORY_SORT_MAX:
        errors["sort"] = [_("Enter a number from 0 to {n}.").format(n=CATEGORY_SORT_MAX)]
    if keywords is not None and len(keywords) > CATEGORY_KEYWORDS_MAX:
        errors["keywords"] = [_("At most {n} characters.").format(n=CATEGORY_KEYWORDS_MAX)]
    others = Category.objects.exclude(pk=exclude) if exclude else Category.objects.all()
    if "code" not in errors and others.filter(code__iexact=code).exists():
        errors["code"] = [_("Another category already has the code “{code}”.").format(code=code)]
    names = list(others.values_list("name_zh", "name_en"))
    for field_name, value, index in (("name_zh", name_zh, 0), ("name_en", name_en, 1)):
        if not value or field_name in errors:
            continue
        taken = next((n[index] for n in names if n[index] and _name_key(n[index]) == _name_key(value)), None)
        if taken is not None:  # named as the other category has it, which may differ in case or spacing
            errors[field_name] = [_("Another category is already named “{name}”.").format(name=taken)]
    if errors:
        raise DomainError(_("The category was not saved: correct the marked fields."), fields=errors)


def _category_snapshot(category: Category) -> dict[str, Any]:
    return {
        "code": category.code,
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "sort": category.sort,
        "active": category.active,
        "keywords": " ".join(engine.category_keywords(category)),
    }


def _category_keywords_set(*, category: Category, keywords: str) -> None:
    """Keep `keywords` as the category's own; keywords equal to the built-in ones keep none of its own
    (so the category follows the built-in list), and no text at all means no keywords."""
    words = _keyword_list(keywords)
    if words == engine.builtin_keywords(category.code):
        CategoryKeywords.objects.filter(category=category).delete()
    else:
        CategoryKeywords.objects.update_or_create(category=category, defaults={"keywords": " ".join(words)})


def _category_audit(*, actor: Any, code: str, before: dict | None, after: dict | None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CATEGORY_LIST_CHANGE,
        object_type=Category._meta.label_lower,
        object_id=code,
        detail={"code": code, "before": before, "after": after},
    )


def _free_category_code() -> str:
    """A code for a category added without one (found in a walk-through: Chinese staff had to invent a Latin
    code): category_N, N the first number after the categories there are that no category has taken."""
    taken = set(Category.objects.values_list("code", flat=True))
    n = len(taken) + 1
    while f"category_{n}" in taken:
        n += 1
    return f"category_{n}"


@transaction.atomic
def category_create(
    *, actor: Any, code: str, name_zh: str, name_en: str = "", sort: int | None = None, keywords: str = ""
) -> Category:
    """Add a category to the list. The code is for good (the models and rules know the category by it; an empty
    one is made, `_free_category_code`); names are unique whatever their case or spacing. Empty keywords: the
    built-in ones of the code, if any."""
    code = code.strip().lower() or _free_category_code()
    name_zh, name_en = _visible(name_zh), _visible(name_en)
    if sort is None:
        top = Category.objects.order_by("-sort").values_list("sort", flat=True).first()
        sort = min((top or 0) + 10, CATEGORY_SORT_MAX)
    _category_check(code=code, name_zh=name_zh, name_en=name_en, sort=sort, keywords=keywords)
    try:
        with transaction.atomic():
            category = Category.objects.create(code=code, name_zh=name_zh, name_en=name_en, sort=sort, active=True)
    except IntegrityError:  # the same code added at the same moment
        raise DomainError(
            _("The category was not saved: correct the marked fields."),
            fields={"code": [_("Another category already has the code “{code}”.").format(code=code)]},
        ) from None
    if _keyword_list(keywords):
        _category_keywords_set(category=category, keywords=keywords)
    _category_audit(actor=actor, code=code, before=None, after=_category_snapshot(category))
    return category


@transaction.atomic
def category_update(
    *,
    category: Category,
    actor: Any,
    name_zh: str,
    name_en: str,
    sort: int,
    active: bool,
    keywords: str | None = None,
) -> Category:
    """Rename, reorder, retire or reactivate a category, or change its keywords (None: unchanged).

    A retired category is no longer offered for new cases nor suggested; cases that have it keep it.
    Only what changed is audited; a save that changes nothing writes nothing.
    """
    category = Category.objects.select_for_update().get(pk=category.pk)
    name_zh, name_en = _visible(name_zh), _visible(name_en)
    _category_check(
        code=category.code, name_zh=name_zh, name_en=name_en, sort=sort, keywords=keywords, exclude=category.pk
    )
    before = _category_snapshot(category)
    category.name_zh, category.name_en, category.sort, category.active = name_zh, name_en, sort, active
    category.save(update_fields=["name_zh", "name_en", "sort", "active", "updated_at"])
    if keywords is not None and _keyword_list(keywords) != engine.category_keywords(category):
        _category_keywords_set(category=category, keywords=keywords)
    after = _category_snapshot(category)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        _category_audit(
            actor=actor,
            code=category.code,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return category


@transaction.atomic
def category_delete(*, category: Category, actor: Any) -> None:
    """Delete a category nothing uses (with its routes and keywords). One in use is retired instead:
    cases, statistics and training data keep their category."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    uses = category_uses(category=category)
    in_use = DomainError(
        _("“{category}” is in use ({uses}) and cannot be deleted: retire it instead.").format(
            category=category, uses="、".join(f"{what} {n}" for what, n in uses)
        ),
        code="in_use",
    )
    if uses:
        raise in_use
    before = _category_snapshot(category)
    try:
        category.delete()
    except ProtectedError:  # a case was given the category since the check
        raise in_use from None
    _category_audit(actor=actor, code=before["code"], before=before, after=None)


# Category routes -----------------------------------------------------------------------------------

ROUTE_SCOPE_ALL = "all"  # stored in the audit for a route of the whole organisation


def _route_scope(route: CategoryRoute) -> str:
    return unit_label(route.scope) if route.scope_id else ROUTE_SCOPE_ALL


def _route_snapshot(route: CategoryRoute) -> dict[str, Any]:
    """What a route is, as the audit keeps it: units by their names at the time (names outlive renames)."""
    return {
        "scope": _route_scope(route),
        "handling_unit": unit_label(route.unit),
        "note": route.note,
    }


def _route_audit(*, actor: Any, route: CategoryRoute, before: dict | None, after: dict | None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.ROUTE_CHANGE,
        object_type=CategoryRoute._meta.label_lower,
        object_id=route.pk,
        # The category and scope name the route on the log whatever changed; before/after: what changed.
        detail={
            "category": route.category.code,
            "scope": _route_scope(route),
            "before": before,
            "after": after,
        },
    )


@transaction.atomic
def route_save(*, route: CategoryRoute, actor: Any) -> CategoryRoute:
    """Save a new or changed route (validated by the caller's form) and audit what changed.

    Routes decide where new cases are suggested to go, so every change is on the audit log.
    """
    before = None
    if route.pk is not None:
        stored = (
            CategoryRoute.objects.select_for_update(of=("self",))
            .select_related("category", "scope", "unit")
            .get(pk=route.pk)
        )
        before = _route_snapshot(stored)
    route.updated_by = actor
    try:
        with transaction.atomic():
            route.save()
    except IntegrityError:  # the same route added at the same moment
        raise DomainError(
            _("The route was not saved: correct the marked fields."),
            fields={"scope": [_("This category already has a route for this part of the organisation.")]},
        ) from None
    after = _route_snapshot(route)
    changed = [key for key in after if before is None or after[key] != before[key]]
    if changed:
        _route_audit(
            actor=actor,
            route=route,
            before=None if before is None else {key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return route


def route_fallback(*, route: CategoryRoute) -> CategoryRoute | None:
    """The route that applies in `route`'s place once it is gone: the same category's route with the
    deepest scope above `route`'s (or the one of the whole organisation); None: no unit is suggested."""
    if route.scope_id is None:
        return None
    others = CategoryRoute.objects.filter(category_id=route.category_id).exclude(pk=route.pk)
    return _deepest_route(others, route.scope.path)


@transaction.atomic
def route_remove(*, route: CategoryRoute, actor: Any) -> None:
    """Remove a route: suggestions for its category fall back to a wider route, or name no unit."""
    route = (
        CategoryRoute.objects.select_for_update(of=("self",))
        .select_related("category", "scope", "unit")
        .get(pk=route.pk)
    )
    before = _route_snapshot(route)
    _route_audit(actor=actor, route=route, before=before, after=None)
    route.delete()


# Category and route suggestions ------------------------------------------------------------------


def route_for(*, category: Category | None, case: Case) -> CategoryRoute | None:
    """The route of `category` whose scope is the deepest unit above the case's unit concerned
    (or, without one, its registering unit); a route without scope applies everywhere."""
    if category is None:
        return None
    anchor = case.target_unit or case.unit
    return _deepest_route(CategoryRoute.objects.filter(category=category), anchor.path)


def _deepest_route(routes: QuerySet[CategoryRoute], path: str) -> CategoryRoute | None:
    """Of `routes`, the one whose scope is the deepest unit at or above `path`; one without scope
    applies everywhere and is taken only when no scoped route does."""
    best: CategoryRoute | None = None
    for route in routes.select_related("scope", "unit"):
        if route.scope is not None and not path.startswith(route.scope.path):
            continue
        if best is None or (route.scope is not None and (best.scope is None or route.scope.depth > best.scope.depth)):
            best = route
    return best


def _route_refresh(*, case: Case, category: Category | None) -> Suggestion | None:
    """Suggest the handling unit of `category`; a decided route suggestion is left as it is.

    Not for an accusation in the discipline compartment: its category says what it is about (wages,
    say), not who may investigate it, and the category's usual unit may be the accused's own.
    """
    current = Suggestion.objects.filter(case=case, kind=SuggestionKind.ROUTE).first()
    if current is not None and not current.is_open:
        return current
    route = None if case.compartment == Compartment.DISCIPLINE else route_for(category=category, case=case)
    if route is None:
        if current is not None:
            current.delete()
        return None
    values = {
        "value": route.unit.code,
        "unit": route.unit,
        "category": category,
        "confidence": 1.0,
        "reasons": {
            "category": category.code,
            "category_name": str(category),
            "scope": route.scope.name if route.scope else "",
            "route": route.pk,
        },
        "source": SuggestionSource.ROUTE,
    }
    suggestion, _created = Suggestion.objects.update_or_create(case=case, kind=SuggestionKind.ROUTE, defaults=values)
    return suggestion


def case_suggest(*, case: Case) -> list[Suggestion]:
    """Suggest the category of `case` (trained model, else keyword rules) and, from it, the handling unit."""
    guess = engine.category_guess(case.subject, case.content)
    prediction, category = guess.prediction, guess.category
    by_type = ""
    if case.type == CaseType.ACCUSATION:
        lane = Category.objects.filter(active=True, code=ACCUSATION_CATEGORY).first()
        if lane is not None and category != lane:
            # An accusation report is discipline inspection's matter whatever its subject (Art. 30): the
            # category of its lane is suggested, the text's own guess is kept as the first alternative.
            alternatives = [(prediction.label, prediction.confidence), *prediction.alternatives]
            prediction = Prediction(lane.code, 1.0, [], alternatives[:3], source="keywords")
            category, by_type = lane, CaseType.ACCUSATION
    suggestions: list[Suggestion] = []
    current = Suggestion.objects.filter(case=case, kind=SuggestionKind.CATEGORY).first()
    if current is None or current.is_open:
        values = {
            "value": prediction.label[:80],
            "category": category,
            "confidence": float(prediction.confidence),
            "reasons": {
                "terms": [[t, round(float(w), 4)] for t, w in prediction.reasons],
                "alternatives": [[label, round(float(c), 4)] for label, c in prediction.alternatives],
                **({"type": by_type} if by_type else {}),
            },
            "source": SuggestionSource.MODEL if prediction.source == "model" else SuggestionSource.KEYWORDS,
            "trained_model": guess.trained_model,
        }
        current, _created = Suggestion.objects.update_or_create(
            case=case, kind=SuggestionKind.CATEGORY, defaults=values
        )
    suggestions.append(current)
    route = _route_refresh(case=case, category=case.category or current.final_category or current.category)
    if route is not None:
        suggestions.append(route)
    return suggestions


def _to_discipline(event: CaseEvent) -> None:
    """A case transferred to discipline inspection: the general lane's routing goes (decided or not: the
    unit it named may be the accused's own), and an undecided category suggestion becomes the lane's."""
    Suggestion.objects.filter(case=event.case, kind=SuggestionKind.ROUTE).delete()
    case_suggest(case=event.case)


def case_triage(*, case: Case) -> None:
    """What registration triggers: index the text and suggest category and handling unit."""
    case_index(case=case)
    case_suggest(case=case)


# `seen` not given: the caller does not say what state of the suggestion the decision was made on.
NOT_GIVEN: Any = object()


def _lock(suggestion: Suggestion, seen: datetime | None = NOT_GIVEN) -> None:
    """Lock the case of `suggestion` and the suggestion (in that order, as a change of category does), and
    re-read both: two people deciding at the same moment are taken one after the other, and the second
    decides on what the first left (a category already set, a suggestion already decided).

    `seen` is the suggestion's `decided_at` as the person saw it (None: undecided). When someone has decided
    since, the decision was made on a stale page: it is refused, saying what was decided, rather than
    silently replacing the other person's decision."""
    Case.objects.select_for_update().filter(pk=suggestion.case_id).values_list("pk").first()
    Suggestion.objects.select_for_update().filter(pk=suggestion.pk).values_list("pk").first()
    case = suggestion.case  # the caller's object: it sees the result (refresh_from_db drops cached relations)
    suggestion.refresh_from_db()
    case.refresh_from_db()
    suggestion.case = case
    if seen is not NOT_GIVEN and suggestion.decided_at != seen:
        decision = suggestion.get_status_display()
        if suggestion.status == SuggestionStatus.CORRECTED:
            decision = _("corrected to “{to}”").format(to=_decision_target(suggestion))
        raise DomainError(
            _(
                "Meanwhile {who} decided this suggestion at {when}: {decision}. Look at it again before deciding."
            ).format(decision=decision, **_decided_by(suggestion)),
            code="changed",
        )


def _decided_by(suggestion: Suggestion) -> dict[str, str]:
    """Who decided `suggestion` and when, for a message."""
    who = suggestion.decided_by.display_name if suggestion.decided_by else _("System")
    when = datetime_text(suggestion.decided_at) if suggestion.decided_at else "—"
    return {"who": who, "when": when}


def _decision_target(suggestion: Suggestion) -> str:
    if suggestion.kind == SuggestionKind.ROUTE:
        return unit_label(suggestion.corrected_unit) if suggestion.corrected_unit else ""
    return str(suggestion.corrected_category or "")


def _decide(suggestion: Suggestion, *, status: str, actor: Any, at: datetime, **fields: Any) -> Suggestion:
    suggestion.status = status
    suggestion.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    suggestion.decided_at = at
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.save()
    return suggestion


# Who sets or changes the category of a case (the "categorise" command of the case page).
CATEGORISE_PERM = "cases.screen_case"


def _category_from_decision(*, suggestion: Suggestion, category: Category, actor: Any, now: datetime | None) -> bool:
    """Confirming or correcting the category suggestion of a case without a category sets the chosen
    `category`, through `case_categorise` (timeline event and audit entry), when `actor` may categorise
    and the case is open; True when it did. A case with another category keeps it: that is changed
    explicitly, on the case."""
    case = suggestion.case
    if case.category_id is not None:
        if case.category_id != category.pk:
            raise DomainError(
                _(
                    "The case already has the category “{category}”: to use another one, "
                    "change the category of the case."
                ).format(category=case.category)
            )
        return False
    if case.status not in OPEN or not actor.has_perm(CATEGORISE_PERM):
        return False  # the decision is recorded as this person's view; the office sets the category
    reason = _("Suggested category confirmed.") if category.pk == suggestion.category_id else _("Suggestion corrected.")
    case_categorise(case=case, actor=actor, category=category, reason=reason, now=now)
    return True


@transaction.atomic
def suggestion_confirm(
    *, suggestion: Suggestion, actor: Any, now: datetime | None = None, seen: datetime | None = NOT_GIVEN
) -> Suggestion:
    """A person agrees with the suggestion. A confirmed category becomes the case's category when the
    case has none yet and the person may set it (see `_category_from_decision`)."""
    if suggestion.kind == SuggestionKind.SIMILAR:
        raise DomainError(_("Link the similar case instead."))
    _lock(suggestion, seen)
    return _confirm_locked(suggestion, actor=actor, now=now)


def _confirm_locked(suggestion: Suggestion, *, actor: Any, now: datetime | None) -> Suggestion:
    """`suggestion_confirm` once the suggestion is locked and re-read (also a correction to what it suggests)."""
    if suggestion.status == SuggestionStatus.CONFIRMED:
        raise DomainError(
            _("This suggestion was already confirmed by {who} at {when}.").format(**_decided_by(suggestion))
        )
    if suggestion.kind == SuggestionKind.CATEGORY and suggestion.category is None:
        raise DomainError(_("This label is not in the category list: correct it to a category."))
    if suggestion.kind == SuggestionKind.CATEGORY:
        _category_from_decision(suggestion=suggestion, category=suggestion.category, actor=actor, now=now)
    _decide(
        suggestion,
        status=SuggestionStatus.CONFIRMED,
        actor=actor,
        at=_now(now),
        corrected_category=None,
        corrected_unit=None,
    )
    if suggestion.kind == SuggestionKind.CATEGORY:
        _route_refresh(case=suggestion.case, category=suggestion.case.category or suggestion.category)
    return suggestion


@transaction.atomic
def suggestion_correct(
    *,
    suggestion: Suggestion,
    actor: Any,
    category: Category | None = None,
    unit: OrgUnit | None = None,
    now: datetime | None = None,
    seen: datetime | None = NOT_GIVEN,
) -> Suggestion:
    """A person corrects the suggestion: the category (or unit) they chose becomes training data. A
    corrected category becomes the case's category as a confirmed one does (`_category_from_decision`).
    A correction may be corrected again, to something else."""
    if suggestion.kind in (SuggestionKind.CATEGORY, SuggestionKind.ROUTE):
        _lock(suggestion, seen)
        chosen = category if suggestion.kind == SuggestionKind.CATEGORY else unit
        already = (
            suggestion.corrected_category if suggestion.kind == SuggestionKind.CATEGORY else suggestion.corrected_unit
        )
        if suggestion.status == SuggestionStatus.CORRECTED and chosen is not None and chosen == already:
            raise DomainError(
                _("This suggestion was already corrected to “{to}” by {who} at {when}.").format(
                    to=_decision_target(suggestion), **_decided_by(suggestion)
                )
            )
    if suggestion.kind == SuggestionKind.CATEGORY:
        if category is None or not category.active:
            raise DomainError(_("Choose an active category."), fields={"category": [_("Choose an active category.")]})
        if category.pk == suggestion.category_id:
            return _confirm_locked(suggestion, actor=actor, now=now)
        _category_from_decision(suggestion=suggestion, category=category, actor=actor, now=now)
        _decide(suggestion, status=SuggestionStatus.CORRECTED, actor=actor, at=_now(now), corrected_category=category)
        _route_refresh(case=suggestion.case, category=suggestion.case.category or category)
        return suggestion
    if suggestion.kind == SuggestionKind.ROUTE:
        if unit is None:
            raise DomainError(_("Choose the handling unit."), fields={"unit": [_("This field is required.")]})
        if unit.pk == suggestion.unit_id:
            return _confirm_locked(suggestion, actor=actor, now=now)
        return _decide(suggestion, status=SuggestionStatus.CORRECTED, actor=actor, at=_now(now), corrected_unit=unit)
    raise DomainError(_("Link the similar case instead."))


@transaction.atomic
def suggestion_dismiss(
    *, suggestion: Suggestion, actor: Any, now: datetime | None = None, seen: datetime | None = NOT_GIVEN
) -> Suggestion:
    """A person sets the suggestion aside without choosing anything: only a suggestion nobody has decided
    yet. A decided one is changed by correcting it."""
    if suggestion.kind == SuggestionKind.SIMILAR:
        raise DomainError(_("Link the similar case instead."))
    _lock(suggestion, seen)
    if suggestion.status == SuggestionStatus.DISMISSED:
        raise DomainError(_("This suggestion was already dismissed."))
    if suggestion.status != SuggestionStatus.OPEN:
        raise DomainError(
            _("This suggestion was already decided by {who} at {when}: to change the decision, correct it.").format(
                **_decided_by(suggestion)
            )
        )
    return _decide(suggestion, status=SuggestionStatus.DISMISSED, actor=actor, at=_now(now))


def _category_settled(*, case: Case, actor: Any, at: datetime, redecide: bool) -> None:
    """A person settled the category of `case`: that decides the category suggestion (confirmed when it
    agrees, corrected otherwise: corrections are training data) and moves the route suggestion.

    Only an open suggestion is decided, unless `redecide`: an explicit change of category is the
    latest word on it, so an earlier confirmation or correction gives way (otherwise the training
    data would keep a label the office has since changed). A dismissed suggestion stays dismissed.
    """
    category = case.category
    if category is None:
        return
    statuses = [SuggestionStatus.OPEN]
    if redecide:
        statuses += [SuggestionStatus.CONFIRMED, SuggestionStatus.CORRECTED]
    suggestion = Suggestion.objects.filter(case=case, kind=SuggestionKind.CATEGORY, status__in=statuses).first()
    if suggestion is not None and (suggestion.is_open or suggestion.final_category_id != category.pk):
        if suggestion.category_id == category.pk:
            _decide(suggestion, status=SuggestionStatus.CONFIRMED, actor=actor, at=at, corrected_category=None)
        else:
            _decide(suggestion, status=SuggestionStatus.CORRECTED, actor=actor, at=at, corrected_category=category)
    _route_refresh(case=case, category=category)


def _accepted_with_category(event: CaseEvent) -> None:
    """Acceptance with a category is a person's decision on the open category suggestion."""
    _category_settled(case=event.case, actor=event.actor, at=event.at, redecide=False)


def _category_changed(event: CaseEvent) -> None:
    """A change of category (`case_categorise`) is a person's decision on the category suggestion."""
    _category_settled(case=event.case, actor=event.actor, at=event.at, redecide=True)


def triage_on_case_event(event: CaseEvent) -> None:
    """Registered in `ready()`: runs inside the event's transaction. A failure here must never stop a
    petition from being registered, so it is contained in a savepoint and logged."""
    if event.kind == EventKind.REGISTERED:
        work: Callable[[], None] = lambda: case_triage(case=event.case)  # noqa: E731
    elif event.kind == EventKind.STATUS_CHANGED and event.to_status == CaseStatus.ACCEPTED:
        work = lambda: _accepted_with_category(event)  # noqa: E731
    elif event.kind == EventKind.CATEGORY_CHANGED:
        work = lambda: _category_changed(event)  # noqa: E731
    elif event.kind == EventKind.TO_DISCIPLINE:
        work = lambda: _to_discipline(event)  # noqa: E731
    else:
        return
    try:
        with transaction.atomic():
            work()
    except Exception:
        logger.exception("triage failed on case %s (%s)", event.case_id, event.kind)


# Similar cases: the words they share ---------------------------------------------------------------

# How many shared words a similar case keeps (the page shows eight, a link's note six).
SHARED_WORDS = 12


def similarity_index_vacuum() -> bool:
    """After many keys were written (a reindex, a bulk load), vacuum and analyse the similar-case index tables on
    PostgreSQL; True when done. The lookup's candidate query is index-only scans of the key table, which read the
    heap for every entry of rewritten pages until VACUUM sets their visibility (measured at 1,000,000 cases: 11 ms
    p50 instead of 5). Autovacuum gets there in time; this does not wait for it. Not on SQLite, and not inside a
    transaction (VACUUM cannot run in one, e.g. a test's): left to autovacuum then."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for model in (SimilarityKey, CaseFingerprint):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return True


def word_frequencies_refresh() -> dict:
    """Recount in how many cases each content word occurs (`WordFrequency`), from the fingerprints of the
    general compartment: accusation reports stay out of it, as out of everything the petition office reads.

    Safe to run twice, and on two workers at once (a word's count is written or overwritten, never inserted
    twice). A word no longer counted is removed.
    """
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    n = 0
    rows = CaseFingerprint.objects.filter(case__compartment=Compartment.GENERAL).values_list(
        "title_words", "body_words"
    )
    for title, body in rows.iterator(chunk_size=2000):
        words = set(title.split()) | set(body.split())
        counts.update(words | fine_words(words))  # the words as shown (`shared_words`): compounds and parts
        n += 1
    kept = [WordFrequency(word=w, cases=c) for w, c in counts.items() if c > 1 and len(w) <= WORD_MAX_LENGTH]
    kept.append(WordFrequency(word=CASES_COUNTED, cases=n))  # what the counts are out of (`nlp.similar.rarity`)
    with transaction.atomic():
        WordFrequency.objects.all().delete()
        WordFrequency.objects.bulk_create(
            kept, batch_size=2000, update_conflicts=True, unique_fields=["word"], update_fields=["cases"]
        )
    return {"cases": n, "words": len(kept) - 1, "seconds": round(time.perf_counter() - started, 2)}


def _is_amount(word: str) -> bool:
    return bool(QUANTITY.fullmatch(word)) or word[:1].isdigit()


def shared_words_ranked(groups: Sequence[Iterable[str]], limit: int = SHARED_WORDS) -> list[list[str]]:
    """Each group of words two cases share, the rarest first (`WordFrequency`; a word not counted is in one case
    at most, the rarest), then the longer first; numbers and amounts (2520, 3个月, 2025年) after the words, which
    say what the matter is about; at most `limit` of each. One query for all the groups."""
    lists = [list(group) for group in groups]
    words = {w for group in lists for w in group}
    frequency = _frequencies_of(sorted(words)) if words else {}
    return [sorted(group, key=lambda w: (_is_amount(w), frequency.get(w, 1), -len(w), w))[:limit] for group in lists]


# Similar cases: decisions --------------------------------------------------------------------------


def _pair_similarity(case: Case, other: Case) -> tuple[float, list[str]]:
    words = {}
    for fp in CaseFingerprint.objects.filter(case_id__in=[case.pk, other.pk]):
        words[fp.case_id] = fp.word_set
    a = words.get(case.pk) or engine.case_word_set(case)
    b = words.get(other.pk) or engine.case_word_set(other)
    score, _parts = similarity(a, b, max_words=0)
    return score, shared_words_ranked([sorted(shared_words(a, b)) or contained_words(a, b)])[0]


def _similar_record(
    *, case: Case, other: Case, kind: str, status: str, actor: Any, at: datetime
) -> tuple[Suggestion, float, list[str]]:
    score, shared = _pair_similarity(case, other)
    suggestion, _created = Suggestion.objects.update_or_create(
        case=case,
        kind=SuggestionKind.SIMILAR,
        related_case=other,
        defaults={
            "value": other.case_no,
            "confidence": float(score),
            "reasons": {"shared": shared, "kind": kind},
            "source": SuggestionSource.INDEX,
            "status": status,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
            "decided_at": at,
        },
    )
    return suggestion, score, shared


@transaction.atomic
def similar_link(*, case: Case, other: Case, kind: str, actor: Any, now: datetime | None = None) -> CaseLink:
    """Link a suggested similar case (repeat petition or same issue) and record the decision."""
    if kind not in SimilarKind.values:
        raise DomainError(_("Choose a valid kind."))
    _suggestion, score, _shared = _similar_record(
        case=case, other=other, kind=kind, status=SuggestionStatus.CONFIRMED, actor=actor, at=_now(now)
    )
    # Said as the person reading the timeline knows it (a similar case was suggested), not by the index behind it.
    # Without the shared words: two letters of one petitioner share their name, which the timeline and the links
    # card would then show to everyone who reads them, while the petitioner's card masks it (found in a
    # walk-through). The similar-cases panel shows the words, and the suggestion keeps them.
    note = _("Similar case suggested (similarity {score}%)").format(score=round(100 * score))
    return case_link_add(case=case, other=other, kind=kind, actor=actor, note=note[:200])


@transaction.atomic
def similar_dismiss(*, case: Case, other: Case, actor: Any, now: datetime | None = None) -> Suggestion:
    """A person says the suggested case is not related; it is no longer listed."""
    suggestion, _score, _shared = _similar_record(
        case=case, other=other, kind="", status=SuggestionStatus.DISMISSED, actor=actor, at=_now(now)
    )
    return suggestion


@transaction.atomic
def similar_restore(*, case: Case, other: Case, actor: Any, now: datetime | None = None) -> Suggestion:
    """Undo `similar_dismiss`: the case is suggested again (found in a walk-through: 无关 took the row away with no
    way back). Refused, changing nothing, when `other` is not a case dismissed for `case`."""
    suggestion = (
        Suggestion.objects.select_for_update()
        .filter(case=case, kind=SuggestionKind.SIMILAR, related_case=other, status=SuggestionStatus.DISMISSED)
        .first()
    )
    if suggestion is None:
        raise DomainError(_("{case_no} was not marked as not related.").format(case_no=other.case_no))
    suggestion.status = SuggestionStatus.OPEN
    suggestion.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    suggestion.decided_at = _now(now)
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


# Training ----------------------------------------------------------------------------------------


@dataclass
class TrainingResult:
    trained_model: TrainedModel
    report_text: str
    keywords_macro_f1: float | None


class _KeywordRules:
    """The keyword rules with the interface `huiyin.nlp.classifier.evaluate` expects, for a baseline."""

    def __init__(self, rules: list[dict]):
        self.rules = rules

    def predict(self, title: str, body: str = ""):
        return keyword_predict(title, body, self.rules)

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        return [keyword_predict(t, b, self.rules).label for t, b in pairs]


def _split(examples: Sequence[tuple[str, str, str]], share: float, seed: int) -> tuple[list, list]:
    """A stratified held-out split; a category with fewer than 5 examples is kept for training only."""
    by_label: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for ex in examples:
        by_label[ex[2]].append(ex)
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    train_rows, held = [], []
    for label in sorted(by_label):
        rows = by_label[label]
        rng.shuffle(rows)
        n = int(round(share * len(rows))) if len(rows) >= 5 else 0
        held.extend(rows[:n])
        train_rows.extend(rows[n:])
    return train_rows, held


def _training_refusal(counts: Counter[str], *, min_examples: int | None = None) -> DomainError | None:
    """Why examples with these counts per category cannot be trained on, or None."""
    minimum = settings.HUIYIN_TRIAGE_MIN_EXAMPLES if min_examples is None else min_examples
    have = sum(counts.values())
    if have < minimum:
        return DomainError(
            _("Training needs at least {n} labelled cases; {have} found.").format(n=minimum, have=have),
            code="too_few",
        )
    if len(counts) < 2:
        return DomainError(_("Training needs cases of at least two categories."), code="too_few")
    return None


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# How many times a model's row is written again when another training took its version meanwhile.
_VERSION_ATTEMPTS = 5


def _next_version() -> int:
    last = TrainedModel.objects.order_by("-version").values_list("version", flat=True).first()
    return (last or 0) + 1


def _usable_examples(examples: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The examples with a text and a category, texts as strings."""
    return [(t or "", b or "", c) for t, b, c in examples if (t or b) and c]


def model_train(
    *,
    examples: Sequence[tuple[str, str, str]],
    source: str,
    actor: Any = None,
    activate: bool = True,
    heldout: float = 0.2,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    min_examples: int | None = None,
) -> TrainingResult:
    """Train a category model on `(title, body, category)` examples, evaluate it on a held-out split,
    refit it on everything, save the signed file and record it (active unless told otherwise)."""
    say = progress or (lambda _msg: None)
    examples = _usable_examples(examples)
    refusal = _training_refusal(Counter(c for _t, _b, c in examples), min_examples=min_examples)
    if refusal is not None:
        raise refusal
    train_rows, held = _split(examples, heldout, seed)
    report_text, report, macro, accuracy, kw_macro = "", {}, None, None, None
    if held:
        say(_("Evaluating on {n} held-out cases …").format(n=len(held)))
        # Labels are the argmax of the scores, which the confidence temperature does not move: the trial model
        # skips calibration (three more fits), the final one below calibrates for the confidence shown.
        trial = train(
            [(t, b) for t, b, _c in train_rows], [c for _t, _b, c in train_rows], calibrate=False, progress=say
        )
        rep = evaluate(trial, held)
        report_text, macro, accuracy = rep.as_text(), rep.macro_f1, rep.accuracy
        report = {
            "per_class": [
                {"label": c.label, "precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
                for c in rep.per_class
            ],
            "ms_per_message": rep.ms_per_message,
            "confusion": rep.confusion,
        }
        kw_macro = evaluate(_KeywordRules(engine.category_rules()), held, latency_sample=20).macro_f1
    say(_("Training on all {n} cases …").format(n=len(examples)))
    model = train([(t, b) for t, b, _c in examples], [c for _t, _b, c in examples], progress=say)
    # The file's name does not depend on the version: two trainings finishing at once (the models page and
    # `manage.py triage train`) took the same next version, and the second overwrote the first's file. The
    # version is taken when the row is written, and taken again if another training took it meanwhile.
    file_name = f"triage-{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12]}.bin"
    model.save(engine.model_dir() / file_name, key=engine.model_key())
    with transaction.atomic():
        for attempt in range(_VERSION_ATTEMPTS):
            try:
                with transaction.atomic():
                    row = TrainedModel.objects.create(
                        version=_next_version(),
                        trained_at=timezone.now(),
                        source=source,
                        n_examples=len(examples),
                        n_heldout=len(held),
                        classes=list(model.labels),
                        macro_f1=macro,
                        accuracy=accuracy,
                        keywords_macro_f1=kw_macro,
                        report=report,
                        file_name=file_name,
                        trained_by=actor if getattr(actor, "is_authenticated", False) else None,
                        info={k: v for k, v in model.info.items() if k != "trained_at"},
                    )
                break
            except IntegrityError:
                if attempt == _VERSION_ATTEMPTS - 1:
                    raise
        audit_record(
            actor=actor,
            action=AuditAction.MODEL_TRAIN,
            object_type=MODEL_OBJECT_TYPE,
            object_id=str(row.version),
            detail={
                "version": row.version,
                "trained_from": source,
                "examples": row.n_examples,
                "heldout": row.n_heldout,
                "macro_f1": _figure(macro),
                "keywords_macro_f1": _figure(kw_macro),
                "accuracy": _figure(accuracy),
            },
        )
        if activate:
            model_activate(trained_model=row, actor=actor)
    return TrainingResult(row, report_text, kw_macro)


# Audit records about a model name it by its version, the number the page and the suggestions show.
MODEL_OBJECT_TYPE = "triage.trainedmodel"


def _in_use_text(current: TrainedModel | None) -> str:
    """The model in use, for a message: its version, who put it in use and when; or the keyword rules."""
    if current is None:
        return _("no model: the keyword rules suggest categories")
    if current.activated_at is None:
        return _("v{version}").format(version=current.version)
    who = current.activated_by.display_name if current.activated_by else _("System")
    return _("v{version}, put in use by {who} at {when}").format(
        version=current.version, who=who, when=datetime_text(current.activated_at)
    )


@transaction.atomic
def model_activate(
    *, trained_model: TrainedModel | None, actor: Any = None, seen: Any = NOT_GIVEN, now: datetime | None = None
) -> bool:
    """Make `trained_model` the one that suggests categories (None: back to the keyword rules); audited.
    Return whether anything changed.

    `seen` is the version in use as the person saw it (None: the keyword rules). Asking for what is already
    so (a double submission) changes nothing; asking for anything else after someone else changed the model
    in use since the page was loaded is refused, saying what is in use now.
    """
    # Every row, in one order: two changes at the same moment are taken one after the other, even when no
    # model is active (the table holds one row per training).
    list(TrainedModel.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    current = TrainedModel.objects.filter(active=True).select_related("activated_by").first()
    target = trained_model.pk if trained_model is not None else None
    if (current.pk if current is not None else None) == target:
        if trained_model is not None:
            trained_model.active = True
        return False
    if seen is not NOT_GIVEN and (current.version if current is not None else None) != seen:
        raise DomainError(
            _("Meanwhile the model in use has changed; it is now {current}. Look at the page again.").format(
                current=_in_use_text(current)
            ),
            code="changed",
        )
    at = _now(now)
    by = actor if getattr(actor, "is_authenticated", False) else None
    TrainedModel.objects.filter(active=True).update(active=False)
    previous = current.version if current is not None else None
    if trained_model is None:
        audit_record(
            actor=actor,
            action=AuditAction.MODEL_STOP,
            object_type=MODEL_OBJECT_TYPE,
            object_id=str(previous),
            detail={"previous": previous},
        )
        return True
    TrainedModel.objects.filter(pk=trained_model.pk).update(active=True, activated_at=at, activated_by=by)
    trained_model.active, trained_model.activated_at, trained_model.activated_by = True, at, by
    audit_record(
        actor=actor,
        action=AuditAction.MODEL_ACTIVATE,
        object_type=MODEL_OBJECT_TYPE,
        object_id=str(trained_model.version),
        detail={"version": trained_model.version, "previous": previous},
    )
    return True


# Training runs: one at a time, from the page, its task or the command ----------------------------------------
# While a run trains, a background thread of its process records a heartbeat on it this often (seconds).
TRAINING_HEARTBEAT_SECONDS = 30
# A training run whose heartbeat is older than this is taken as stopped (its process was killed or restarted)
# and stops blocking a new one. Six beats: a busy machine that delays a few does not give up a live training.
TRAINING_RUN_SILENT = timedelta(minutes=3)
# A run no worker of the task queue took this long after it was asked for is given up (the workers are down or
# the task was lost); its task, delivered later, finds it given up and does nothing.
TRAINING_RUN_UNCLAIMED = timedelta(minutes=30)
# A backstop: a run still without a result this long after it started is taken as stuck, even if its process
# beats (the heartbeat shows the process is alive, not that the training progresses; a training takes minutes).
TRAINING_RUN_EXPIRES = timedelta(hours=3)


def _training_busy(run: TrainingRun) -> DomainError:
    who = run.requested_by.display_name if run.requested_by else _("System")
    return DomainError(
        _("A training requested by {who} at {when} is still under way. Wait for its result.").format(
            who=who, when=datetime_text(run.created_at)
        ),
        code="busy",
    )


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _training_run_expiries(now: datetime) -> list[tuple[Q, str]]:
    """When a pending run is given up, each rule with the reason recorded on the run."""
    silent = now - TRAINING_RUN_SILENT
    return [
        (
            Q(status=TrainingStatus.RUNNING)
            & (Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent)),
            _(
                "No sign of life from the training's process for {minutes} minutes: it was stopped or restarted, "
                "so the training was given up. You may train again."
            ).format(minutes=_minutes(TRAINING_RUN_SILENT)),
        ),
        (
            Q(status=TrainingStatus.QUEUED, created_at__lt=now - TRAINING_RUN_UNCLAIMED),
            _(
                "No worker of the task queue started the training within {minutes} minutes, so it was given up. "
                "Try again later, or tell the system administrator."
            ).format(minutes=_minutes(TRAINING_RUN_UNCLAIMED)),
        ),
        (
            Q(started_at__lt=now - TRAINING_RUN_EXPIRES),
            _("No result {hours} hours after it started: taken as stuck and given up. You may train again.").format(
                hours=int(TRAINING_RUN_EXPIRES.total_seconds() // 3600)
            ),
        ),
    ]


def training_runs_expire(*, now: datetime | None = None) -> int:
    """Give up the pending training run if its process stopped (no heartbeat for TRAINING_RUN_SILENT), no worker
    took it (TRAINING_RUN_UNCLAIMED) or it is stuck (TRAINING_RUN_EXPIRES), recording why on it; return how many
    runs were given up. One read when there is nothing to give up: the models page calls it on every load."""
    at = _now(now)
    rules = _training_run_expiries(at)
    pending = TrainingRun.objects.filter(pending=True)
    if not pending.filter(functools.reduce(operator.or_, (rule for rule, _error in rules))).exists():
        return 0
    given_up = 0
    for rule, error in rules:
        # The heartbeat is checked again by the update itself: a run that beat meanwhile is not given up.
        given_up += pending.filter(rule).update(
            pending=False, status=TrainingStatus.FAILED, finished_at=at, error=error
        )
    return given_up


def _pending_run() -> TrainingRun | None:
    return TrainingRun.objects.filter(pending=True).select_related("requested_by").first()


def _training_run_open(*, at: datetime, check: Callable[[], None], **fields: Any) -> TrainingRun:
    """Record a new pending training run, the one allowed at a time. Refused, changing nothing, while another
    is pending (once one whose process stopped is given up) or when `check` raises. Two requests at the same
    moment open one run: the unique constraint on the pending run refuses the second one's insert."""
    with transaction.atomic():
        training_runs_expire(now=at)
        pending = _pending_run()
        if pending is not None:
            raise _training_busy(pending)
        check()
        try:
            with transaction.atomic():
                return TrainingRun.objects.create(**fields)
        except IntegrityError:
            # Another request took the one pending place between our check and our insert.
            pending = _pending_run()
            if pending is not None:
                raise _training_busy(pending) from None
            # ... and finished it before we looked again: say so rather than fail.
            raise DomainError(
                _("Another training started and finished meanwhile. Look at the page again."), code="changed"
            ) from None


def model_train_request(*, actor: Any, latest_seen: Any = NOT_GIVEN, now: datetime | None = None) -> TrainingRun:
    """Ask for a category model trained from the enterprise's own decided cases (`model_train_run` trains it).

    Refused, changing nothing: while another training is pending (two people pressing at once start one);
    when a model was trained since the page was loaded (`latest_seen`: the newest version it showed, None for
    none); when there are too few decided cases (counted without reading their texts).
    """
    from huiyin.triage.selectors import training_label_counts  # selectors import services

    def check() -> None:
        latest = TrainedModel.objects.select_related("trained_by").order_by("-version").first()
        if latest_seen is not NOT_GIVEN and (latest.version if latest is not None else None) != latest_seen:
            who = latest.trained_by.display_name if latest and latest.trained_by else _("System")
            raise DomainError(
                _("Meanwhile {who} trained v{version} at {when}. Look at its figures before training again.").format(
                    who=who, version=latest.version if latest else "?", when=datetime_text(latest.trained_at)
                )
                if latest is not None
                else _("The list of models has changed. Look at the page again."),
                code="changed",
            )
        refusal = _training_refusal(training_label_counts())
        if refusal is not None:
            raise refusal

    return _training_run_open(
        at=_now(now), check=check, requested_by=actor if getattr(actor, "is_authenticated", False) else None
    )


def _training_run_finish(run: TrainingRun, *, status: str, trained_model: TrainedModel | None = None, error: str = ""):
    run.status, run.pending, run.finished_at = status, False, timezone.now()
    run.trained_model, run.error = trained_model, error
    TrainingRun.objects.filter(pk=run.pk).update(
        status=run.status, pending=False, finished_at=run.finished_at, trained_model=trained_model, error=error
    )


def model_train_run_fail(*, run_id: int, error: str) -> TrainingRun:
    """Record that a requested run will not train (its task could not be queued), so that it blocks no other."""
    run = TrainingRun.objects.get(pk=run_id)
    if run.pending:
        _training_run_finish(run, status=TrainingStatus.FAILED, error=error)
    return run


@contextmanager
def _training_heartbeat(run_id: int) -> Iterator[None]:
    """Record a heartbeat on the run every TRAINING_HEARTBEAT_SECONDS while the block runs, from a background
    thread (the training holds this one for minutes), and stop when the block ends, however it ends. A process
    killed mid-training beats no more, and its run is given up after TRAINING_RUN_SILENT."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(TRAINING_HEARTBEAT_SECONDS):
                try:
                    alive = TrainingRun.objects.filter(pk=run_id, pending=True).update(heartbeat_at=timezone.now())
                except Exception:
                    # The database busy or out of reach for a moment: the next beat tries again.
                    logger.warning("training run %s: heartbeat not recorded", run_id, exc_info=True)
                    continue
                if not alive:
                    return  # finished or given up meanwhile: nothing left to keep alive
        finally:
            connections.close_all()  # this thread's own connections (a thread has its own)

    thread = threading.Thread(target=beat, name=f"training-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # Not long: a beat waiting for a lock this thread holds (SQLite's one writer) ends on its own, and
        # touches only a pending run.
        thread.join(timeout=5)


def _training_run_fail_quietly(run: TrainingRun, error: str) -> None:
    try:
        _training_run_finish(run, status=TrainingStatus.FAILED, error=error)
    except Exception:
        # Its heartbeat has stopped: the run is given up after TRAINING_RUN_SILENT.
        logger.exception("training run %s: the failure could not be recorded", run.pk)


def _training_run_train(run: TrainingRun, training: Callable[[], TrainingResult]) -> TrainingResult:
    """Train for `run` (pending, taken by this process) with its heartbeat beating, and record the outcome on it
    however the training ends, also when its process is interrupted (Ctrl+C, a worker shut down): a failure is
    raised again once recorded."""
    try:
        with _training_heartbeat(run.pk):
            result = training()
    except DomainError as exc:
        _training_run_fail_quietly(run, exc.message)
        raise
    except Exception:
        logger.exception("training run %s failed", run.pk)
        _training_run_fail_quietly(
            run,
            _("Training stopped on an unexpected error. The system administrator finds it in the server log."),
        )
        raise
    except BaseException:
        _training_run_fail_quietly(
            run, _("The training was stopped before it finished (its process was interrupted or shut down).")
        )
        raise
    _training_run_finish(run, status=TrainingStatus.DONE, trained_model=result.trained_model)
    return result


def model_train_run(*, run_id: int) -> TrainingRun:
    """Train for a requested run: claim it (a second delivery of the task finds it taken and does nothing),
    train from the decided cases without putting the model in use (the office looks at its figures first),
    and record the outcome on the run. Never raises for the training itself: a failure is the run's outcome."""
    from huiyin.triage.selectors import training_examples  # selectors import services

    at = timezone.now()
    claimed = TrainingRun.objects.filter(pk=run_id, status=TrainingStatus.QUEUED, pending=True).update(
        status=TrainingStatus.RUNNING, started_at=at, heartbeat_at=at
    )
    run = TrainingRun.objects.select_related("requested_by", "trained_model").get(pk=run_id)
    if not claimed:
        return run
    with contextlib.suppress(Exception):  # recorded on the run
        _training_run_train(
            run,
            lambda: model_train(
                examples=training_examples(), source=ModelSource.HISTORY, actor=run.requested_by, activate=False
            ),
        )
    return run


def model_train_as_run(
    *,
    examples: Sequence[tuple[str, str, str]],
    source: str,
    actor: Any = None,
    activate: bool = True,
    heldout: float = 0.2,
    progress: Callable[[str], None] | None = None,
    min_examples: int | None = None,
) -> TrainingResult:
    """Train now in this process (`manage.py triage train`) as a training run like the page's (`model_train`
    says what is trained). Refused, changing nothing, while another training is pending (saying whose and since
    when) or when the examples are too few. Otherwise recorded as a run (requested by `actor`, None for the
    system) that the models page shows while it trains, and finished with the outcome, also when the training
    fails or is interrupted: the failure is raised again once recorded."""
    usable = _usable_examples(examples)

    def check() -> None:
        refusal = _training_refusal(Counter(c for _t, _b, c in usable), min_examples=min_examples)
        if refusal is not None:
            raise refusal

    at = timezone.now()
    run = _training_run_open(
        at=at,
        check=check,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=TrainingStatus.RUNNING,
        started_at=at,
        heartbeat_at=at,
    )
    return _training_run_train(
        run,
        lambda: model_train(
            examples=usable,
            source=source,
            actor=actor,
            activate=activate,
            heldout=heldout,
            progress=progress,
            min_examples=min_examples,
        ),
    )


# Hot issues --------------------------------------------------------------------------------------


def _case_unit(row: dict) -> int | None:
    return row["target_unit_id"] or row["handling_unit_id"] or row["unit_id"]


def hot_issue_numbers_match(
    previous: Mapping[int, Collection[int]],
    clusters: Sequence[Collection[int]],
    *,
    min_overlap: float = HOT_ISSUE_MATCH_OVERLAP,
) -> dict[int, int]:
    """Which earlier hot issue each new cluster continues: ``{index in clusters: number}``.

    `previous` maps the number of every issue known before the run to its member case ids, restricted
    by the caller to the cases the new run clustered (a case that aged out of the window or was deleted
    is no sign that the issue split); `clusters` are the new clusters' member ids, best ranked first.

    The rule. An earlier issue A and a new cluster B may be the same issue when they share at least
    `min_overlap` (0.5) of the smaller one's cases: |A ∩ B| / min(|A|, |B|) ≥ 0.5, the overlap
    coefficient, so an issue that grows (or shrinks) keeps its number. Among those pairs, the matching
    is one-to-one and greedy: the pair sharing the most cases first; ties go to the higher Jaccard
    index |A ∩ B| / |A ∪ B|, then to the better-ranked cluster, then to the older number. Hence:

    * a split keeps the number on the part holding more of the issue's cases; the other parts get new
      numbers (unless they continue another issue);
    * a merge takes the number of the issue that brings the most cases; the other issue ends (its page
      says so, with its last cases);
    * a cluster that matches nothing gets a new number.
    """
    owners: dict[int, list[int]] = defaultdict(list)
    sizes: dict[int, int] = {}
    for number, ids in previous.items():
        members = set(ids)
        if not members:
            continue
        sizes[number] = len(members)
        for case_id in members:
            owners[case_id].append(number)
    pairs: list[tuple[int, float, int, int]] = []
    for index, ids in enumerate(clusters):
        members = set(ids)
        if not members:
            continue
        shared = Counter(number for case_id in members for number in owners.get(case_id, ()))
        for number, k in shared.items():
            if k / min(sizes[number], len(members)) >= min_overlap:
                jaccard = k / (sizes[number] + len(members) - k)
                pairs.append((-k, -jaccard, index, number))
    pairs.sort()
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _shared, _jaccard, index, number in pairs:
        if index not in matched and number not in taken:
            matched[index] = number
            taken.add(number)
    return matched


def _hot_issue_lock() -> None:
    """Let one run at a time number and write its issues (inside the caller's transaction).

    PostgreSQL: a transaction-level advisory lock. SQLite: nothing to do, its transactions are
    IMMEDIATE (config/settings/base.py), so the write lock is already held from BEGIN.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HOT_ISSUE_LOCK_KEY])


def _previous_members(*, since: datetime, batch: set[int]) -> dict[int, set[int]]:
    """The members of every issue known so far (the latest run's and the kept ones no longer hot), by
    number, among the cases of `batch`. Each number has one row, so the number is the key."""
    out: dict[int, set[int]] = defaultdict(set)
    rows = HotIssueCase.objects.filter(received_at__gte=since).values_list("issue__number", "case_id")
    for number, case_id in rows.iterator(chunk_size=5000):
        if case_id in batch:
            out[number].add(case_id)
    return out


def hot_issues_refresh(*, now: datetime | None = None) -> HotIssueRun:
    """Cluster the cases received in the last HUIYIN_HOT_ISSUE_DAYS and list the hot issues anew.

    Accusation reports (the discipline compartment) are left out: they concern persons, and their
    words must not reach a page the petition office reads. Safe to run twice, and on two workers at
    once.

    A hot issue keeps its number (its page, `/triage/hot/<number>/`) from run to run: each cluster
    takes the number of the issue it continues (`hot_issue_numbers_match`, compared with the latest
    run's issues and with the issues no longer hot that are still kept), or a new number from the
    sequence of `HotIssueNumber`. Numbering and writing happen in one transaction that one run at a
    time may hold (`_hot_issue_lock`); a run that finds a newer run already stored leaves it in place
    and returns it.

    Each number keeps one row: the new run replaces the rows of the numbers it lists; the row of an
    issue no longer hot stays, with its last members, for HOT_ISSUE_ENDED_KEEP_DAYS.
    """
    now = _now(now)
    started = time.perf_counter()
    since = now - timedelta(days=settings.HUIYIN_HOT_ISSUE_DAYS)
    window = settings.HUIYIN_HOT_ISSUE_WINDOW_DAYS
    rows = list(
        Case.objects.filter(received_at__gte=since, received_at__lte=now, compartment=Compartment.GENERAL)
        .order_by("-received_at", "-id")
        .values(
            "pk",
            "subject",
            "content",
            "received_at",
            "unit_id",
            "target_unit_id",
            "handling_unit_id",
            "headcount",
            "triage_fingerprint__title_words",
            "triage_fingerprint__body_words",
        )[: settings.HUIYIN_HOT_ISSUE_MAX_CASES]
    )
    items = []
    for r in rows:
        title_words = r["triage_fingerprint__title_words"]
        if title_words is None:  # registered before triage was installed, or not yet reindexed
            tw, bw = engine.case_words(r["subject"], r["content"])
        else:
            tw, bw = title_words.split(), (r["triage_fingerprint__body_words"] or "").split()
        items.append(
            {
                "id": r["pk"],
                "title": r["subject"],
                "text": r["content"],  # not segmented again (the words are given): read for the key words only
                "time": r["received_at"],
                "unit": _case_unit(r),
                "headcount": r["headcount"],
                "words": tw * 2 + bw,
            }
        )
    matters = repeat_matters(it["id"] for it in items)
    for it in items:
        it["matter"] = matters[it["id"]]
    clusters = sorted(cluster(items, window_days=window, now=now), key=lambda c: c.id) if len(items) >= 2 else []
    by_id = {r["pk"]: r for r in rows}
    with transaction.atomic():
        _hot_issue_lock()
        newer = (
            HotIssueRun.objects.filter(finished_at__isnull=False, started_at__gt=now)
            .order_by("-started_at", "-id")
            .first()
        )
        if newer is not None:  # another worker stored a later picture meanwhile
            return newer
        matched = hot_issue_numbers_match(
            _previous_members(since=since, batch=set(by_id)), [c.members for c in clusters]
        )
        fresh = [index for index in range(len(clusters)) if index not in matched]
        allocated = HotIssueNumber.objects.bulk_create([HotIssueNumber(first_listed_at=now) for _ in fresh])
        numbers = {**matched, **{index: n.number for index, n in zip(fresh, allocated, strict=True)}}
        run = HotIssueRun.objects.create(
            started_at=now,
            since=since,
            n_cases=len(items),
            n_clusters=len(clusters),
            threshold=getattr(cluster, "last_threshold", None) if clusters else None,
            window_days=window,
        )
        issues = HotIssue.objects.bulk_create(
            [
                HotIssue(
                    run=run,
                    number=numbers[index],
                    rank=c.id,
                    size=c.size,
                    recent=c.recent,
                    previous=c.previous,
                    growth=c.growth,
                    units=c.units,
                    headcount=c.headcount,
                    score=c.score,
                    top_terms=list(c.top_terms),
                    first_at=min(by_id[m]["received_at"] for m in c.members),
                    last_at=max(by_id[m]["received_at"] for m in c.members),
                )
                for index, c in enumerate(clusters)
            ]
        )
        HotIssueCase.objects.bulk_create(
            [
                HotIssueCase(
                    issue=issue,
                    case_id=m,
                    received_at=by_id[m]["received_at"],
                    unit_id=_case_unit(by_id[m]),
                    headcount=by_id[m]["headcount"],
                    matter=matters[m] if matters[m] != m else None,
                )
                for issue, c in zip(issues, clusters, strict=True)
                for m in c.members
            ],
            batch_size=2000,
        )
        _tell_entries_of_joined_cases(run=run, members={numbers[i]: c.members for i, c in enumerate(clusters)})
        listed = HotIssue.objects.filter(run=run).values("number")
        HotIssue.objects.exclude(run=run).filter(number__in=listed).delete()
        HotIssue.objects.filter(run__started_at__lt=now - timedelta(days=HOT_ISSUE_ENDED_KEEP_DAYS)).delete()
        kept = HotIssueRun.objects.order_by("-started_at", "-id").values_list("started_at", flat=True)
        cutoff = list(kept[KEEP_RUNS - 1 : KEEP_RUNS])
        if cutoff:
            HotIssueRun.objects.filter(started_at__lt=cutoff[0]).exclude(
                Exists(HotIssue.objects.filter(run=OuterRef("pk")))
            ).delete()
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["finished_at", "seconds"])
    return run


@dataclass
class GroupSupervision:
    opened: list[Case] = field(default_factory=list)
    skipped: list[tuple[Case, str]] = field(default_factory=list)


def people_concerned(cases: Iterable[Case]) -> int:
    """How many people `cases` concern: a collective case counts its headcount, and the cases of one matter
    (a petition and its repeats, `repeat_matters`) count once, with the largest headcount among them."""
    cases = list(cases)
    matters = repeat_matters(c.pk for c in cases)
    return people_count((matters[c.pk], c.headcount) for c in cases)


def _tell_entries_of_joined_cases(*, run: HotIssueRun, members: Mapping[int, Sequence[int]]) -> None:
    """A register entry made from a hot issue hears of the cases that joined the issue in this run and that it
    does not hold: its responsible leader and the person who entered it are told how many they may see (never
    which, in the message), with a link to the entry, where they can add them. Runs inside the job's
    transaction, before the previous run's rows of these numbers are replaced."""
    from huiyin.notify.services import notify_staff  # notify handlers import cases services

    entries = list(
        DisputeEntry.objects.filter(hot_issue_number__in=list(members)).select_related(
            "responsible_leader", "created_by"
        )
    )
    if not entries:
        return
    before: dict[int, set[int]] = defaultdict(set)
    for number, case_id in (
        HotIssueCase.objects.filter(issue__number__in=[e.hot_issue_number for e in entries])
        .exclude(issue__run=run)
        .values_list("issue__number", "case_id")
    ):
        before[number].add(case_id)
    for entry in entries:
        number = entry.hot_issue_number
        joined = set(members[number]) - before[number] - set(entry.cases.values_list("pk", flat=True))
        if not joined or not before[number]:  # nothing new, or no earlier listing to compare with
            continue
        for user in {u.pk: u for u in (entry.responsible_leader, entry.created_by) if u is not None}.values():
            n = Case.objects.visible_to(user).filter(pk__in=joined).count()
            if not n:
                continue
            notify_staff(
                users=[user],
                kind="dispute.hot_cases_joined",
                key=f"dispute-joined:{entry.pk}:{run.pk}",
                title=ngettext(
                    "{n} new case of hot issue No. {number} is not in the register entry",
                    "{n} new cases of hot issue No. {number} are not in the register entry",
                    n,
                ).format(n=n, number=number),
                body=_(
                    "Register entry: {title}\nLook at them on the entry's page and add those that belong to it."
                ).format(title=entry.title),
                url=entry.get_absolute_url(),
            )


def hot_issue_supervise(
    *, cases: Sequence[Case], actor: Any, level: str, instructions: str, feedback_due: date
) -> GroupSupervision:
    """Supervise the open cases of a hot issue as a group: each case in handling and not yet
    supervised is put under supervision; the others are skipped with the reason."""
    from huiyin.workflow.services import supervision_open, supervision_open_for

    if not any(case.status == CaseStatus.IN_HANDLING and supervision_open_for(case) is None for case in cases):
        # Nothing would happen: say so rather than report every case skipped.
        raise DomainError(_("No case of this hot issue is left to put under supervision."), code="nothing_to_supervise")
    result = GroupSupervision()
    for case in cases:
        if case.status != CaseStatus.IN_HANDLING:
            result.skipped.append((case, _("not in handling")))
            continue
        if supervision_open_for(case) is not None:
            result.skipped.append((case, _("already under supervision")))
            continue
        try:
            supervision_open(case=case, actor=actor, level=level, instructions=instructions, feedback_due=feedback_due)
        except DomainError as exc:
            if exc.fields:  # a problem with the form's values, not with this case: stop and say so
                raise
            result.skipped.append((case, exc.message))
        else:
            result.opened.append(case)
    return result


# The dispute register ------------------------------------------------------------------------------

ENTRY_FIELDS = (
    "title",
    "description",
    "affected_group",
    "headcount",
    "level",
    "responsible_leader",
    "plan",
    "measures",
    "status",
    "responsibility_assigned",
    "problem_solved",
    "hazard_removed",
)


RESOLUTION_CHECKS = ("responsibility_assigned", "problem_solved", "hazard_removed")


def dispute_resolution_error(*, status: str, checks: Mapping[str, bool]) -> DomainError | None:
    """The refusal of marking a matter resolved before the three checks hold (三个不放过), naming the
    checks still open; None when the status and checks agree. The form shows it before the database
    constraint could."""
    if status != DisputeStatus.RESOLVED:
        return None
    missing = [name for name in RESOLUTION_CHECKS if not checks.get(name)]
    if not missing:
        return None
    fields: dict[str, list[str]] = {"status": [_("The three checks are not all done.")]}
    for name in missing:
        fields[name] = [_("Tick this check before marking the matter resolved.")]
    return DomainError(
        _("A matter is resolved only when responsibility is assigned, the problem solved and the hazard removed."),
        fields=fields,
    )


def _entry_check(entry: DisputeEntry) -> None:
    entry.title = (entry.title or "").strip()
    if not entry.title:
        raise DomainError(_("Title is required."), fields={"title": [_("This field is required.")]})
    if (
        not isinstance(entry.headcount, int)
        or isinstance(entry.headcount, bool)
        or not HEADCOUNT_MIN <= entry.headcount <= HEADCOUNT_MAX
    ):
        message = _("The number of people affected must be between {low} and {high}.").format(
            low=HEADCOUNT_MIN, high=HEADCOUNT_MAX
        )
        raise DomainError(message, fields={"headcount": [message]})
    if entry.level not in DisputeLevel.values:
        raise DomainError(_("Choose a valid level."), fields={"level": [_("Choose a valid level.")]})
    if entry.status not in DisputeStatus.values:
        raise DomainError(_("Choose a valid status."), fields={"status": [_("Choose a valid status.")]})
    error = dispute_resolution_error(
        status=entry.status, checks={name: getattr(entry, name) for name in RESOLUTION_CHECKS}
    )
    if error is not None:
        raise error


@transaction.atomic
def dispute_entry_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    description: str = "",
    affected_group: str = "",
    headcount: int = HEADCOUNT_MIN,
    units: Sequence[OrgUnit] = (),
    level: str = DisputeLevel.GENERAL,
    responsible_leader: User | None = None,
    plan: str = "",
    measures: str = "",
    status: str = DisputeStatus.OPEN,
    responsibility_assigned: bool = False,
    problem_solved: bool = False,
    hazard_removed: bool = False,
    cases: Sequence[Case] = (),
    source: str = DisputeSource.MANUAL,
    hot_issue_number: int | None = None,
    now: datetime | None = None,
) -> DisputeEntry:
    """Enter a matter into the dispute register (矛盾纠纷台账)."""
    entry = DisputeEntry(
        title=title,
        description=description.strip(),
        affected_group=affected_group.strip(),
        headcount=headcount,
        unit=unit,
        level=level,
        responsible_leader=responsible_leader,
        plan=plan.strip(),
        measures=measures.strip(),
        status=status,
        responsibility_assigned=responsibility_assigned,
        problem_solved=problem_solved,
        hazard_removed=hazard_removed,
        source=source,
        hot_issue_number=hot_issue_number,
        created_by=actor,
        updated_by=actor,
    )
    _entry_save(entry, actor=actor, now=now)
    entry.units.set(units)
    entry.cases.set(cases)
    return entry


@transaction.atomic
def dispute_entry_update(
    *,
    entry: DisputeEntry,
    actor: User,
    units: Sequence[OrgUnit] | None = None,
    add_cases: Sequence[Case] = (),
    remove_cases: Sequence[Case] = (),
    now: datetime | None = None,
    **values: Any,
) -> DisputeEntry:
    """Change a register entry. Only the cases named are added or removed (a user never removes
    cases they cannot see); resolving needs the three checks."""
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    locked = DisputeEntry.objects.select_for_update().get(pk=entry.pk)
    before = _tracked(locked)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) and name != "status" else value)
    _entry_save(locked, actor=actor, now=now)
    _progress_add(locked, actor=actor, before=before, note="", now=now)
    if units is not None:
        locked.units.set(units)
    if add_cases:
        locked.cases.add(*add_cases)
    if remove_cases:
        locked.cases.remove(*remove_cases)
    return locked


# What the register's history records when it changes (`DisputeProgress.changes`).
PROGRESS_TRACKED = ("status", "level", *RESOLUTION_CHECKS, "responsible_leader_id", "headcount")


def _tracked(entry: DisputeEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in PROGRESS_TRACKED}


def _entry_save(entry: DisputeEntry, *, actor: User, now: datetime | None) -> None:
    """Check and save a changed entry; the resolution date follows the status."""
    _entry_check(entry)
    if entry.status == DisputeStatus.RESOLVED and entry.resolved_at is None:
        entry.resolved_at = _now(now)
    elif entry.status != DisputeStatus.RESOLVED:
        entry.resolved_at = None
    entry.updated_by = actor
    entry.save()


def _progress_add(
    entry: DisputeEntry, *, actor: User, before: Mapping[str, Any], note: str, now: datetime | None
) -> DisputeProgress | None:
    changes = [
        [name, before[name], getattr(entry, name)] for name in PROGRESS_TRACKED if before[name] != getattr(entry, name)
    ]
    if not changes and not note:
        return None
    step = DisputeProgress.objects.create(entry=entry, by=actor, note=note, changes=changes)
    if now is not None:
        DisputeProgress.objects.filter(pk=step.pk).update(created_at=now)
    return step


def may_report_progress(*, user: Any, entry: DisputeEntry) -> bool:
    """The responsible leader works their entry; the office may too."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return entry.responsible_leader_id == user.pk or user.has_perm("triage.change_disputeentry")


@transaction.atomic
def dispute_entry_progress(
    *,
    entry: DisputeEntry,
    actor: User,
    note: str,
    status: str,
    responsibility_assigned: bool,
    problem_solved: bool,
    hazard_removed: bool,
    now: datetime | None = None,
) -> DisputeProgress:
    """Record a step in working an entry (what was done, dated), and the status and checks it leads to."""
    if not may_report_progress(user=actor, entry=entry):
        raise PermissionDenied
    locked = DisputeEntry.objects.select_for_update().get(pk=entry.pk)
    before = _tracked(locked)
    locked.status = status
    locked.responsibility_assigned = responsibility_assigned
    locked.problem_solved = problem_solved
    locked.hazard_removed = hazard_removed
    note = (note or "").strip()
    if not note and _tracked(locked) == before:
        message = _("Write what was done, or change the status or a check.")
        raise DomainError(message, fields={"note": [message]})
    _entry_save(locked, actor=actor, now=now)
    step = _progress_add(locked, actor=actor, before=before, note=note, now=now)
    assert step is not None  # noqa: S101 - a note or a change, checked above
    return step


@transaction.atomic
def dispute_entry_add_hot_cases(
    *, entry: DisputeEntry, actor: User, case_ids: Sequence[int], now: datetime | None = None
) -> list[Case]:
    """Add to an entry made from a hot issue cases of that issue it does not hold yet (those `actor` may
    see, `selectors.dispute_entry_hot_cases`). The entry's history records which, and its number of people
    grows to the people the cases concern when that is more (it never shrinks: the office may know better).
    Refused, changing nothing, when none is chosen or a chosen case is no longer one to add."""
    from huiyin.triage.selectors import dispute_entry_hot_cases  # selectors import services

    wanted = set(case_ids)
    if not wanted:
        raise DomainError(_("Choose the cases to add."), fields={"cases": [_("Choose the cases to add.")]})
    locked = DisputeEntry.objects.select_for_update().get(pk=entry.pk)
    cases = list(dispute_entry_hot_cases(entry=locked, user=actor).filter(pk__in=wanted).order_by("received_at", "id"))
    if len(cases) != len(wanted):
        raise DomainError(
            _(
                "Some of the chosen cases are no longer in the hot issue, are already in the entry or are not yours to see. Look at the page again."
            ),
            code="changed",
        )
    before = _tracked(locked)
    locked.cases.add(*cases)
    locked.headcount = min(
        max(locked.headcount or 0, people_concerned(locked.cases.all()), HEADCOUNT_MIN), HEADCOUNT_MAX
    )
    _entry_save(locked, actor=actor, now=now)
    note = _("Added {n} cases of hot issue No. {number}: {numbers}").format(
        n=len(cases), number=locked.hot_issue_number, numbers="、".join(c.case_no for c in cases)
    )
    _progress_add(locked, actor=actor, before=before, note=note, now=now)
    return cases


class DisputeEntryExists(DomainError):
    """The hot issue is already in the register; `entry` is the entry made before."""

    code = "exists"

    def __init__(self, message: str, *, entry: DisputeEntry):
        super().__init__(message)
        self.entry = entry


def dispute_entry_of_hot_issue(*, number: int, actor: User) -> DisputeEntry | None:
    """The register entry already made from hot issue `number` in `actor`'s register: one kept by their
    unit (without a unit, one they may see). A company's entry does not stand for the group's: the
    group office registers the issue across its companies in its own register."""
    from huiyin.triage.selectors import dispute_entries_for

    if actor.unit_id is not None:
        mine = Q(unit_id=actor.unit_id)
    else:
        mine = Q(pk__in=dispute_entries_for(user=actor).values("pk"))
    return DisputeEntry.objects.filter(mine, hot_issue_number=number).order_by("created_at", "id").first()


def representative_subjects(cases: Sequence[Case], terms: Sequence[str], limit: int = 3) -> list[str]:
    """The distinct subjects of `cases` that best name their issue: those holding most of its key words
    `terms` first, then the most frequent, then the earliest. With every subject different, the first case
    in the list would otherwise name the issue, whatever it is about."""
    count = Counter(c.subject for c in cases)
    first: dict[str, datetime] = {}
    for c in sorted(cases, key=lambda c: c.received_at):
        first.setdefault(c.subject, c.received_at)
    top = list(terms)[:8]
    ranked = sorted(count, key=lambda subject: (-sum(t in subject for t in top), -count[subject], first[subject]))
    return ranked[:limit]


def _dispute_title(subject: str, n: int) -> str:
    """An entry made from a hot issue is named by its most representative subject, said to stand for the group
    (a walk-through found one company's subject naming an entry that spans two); the office may rename it."""
    if n < 2:
        return subject[:200]
    # n counts every case, the named one too: in Chinese "A等N件" is N in all (a walk-through read "等1件" on two).
    suffix = _("{title} and similar cases, {n} in all").format(title="", n=n)
    return _("{title} and similar cases, {n} in all").format(title=subject[: 200 - len(suffix)], n=n)


@transaction.atomic
def dispute_entry_from_hot_issue(*, issue: HotIssue, cases: Sequence[Case], actor: User) -> DisputeEntry:
    """Start a register entry from a hot issue, with the member cases the actor may see; the entry
    keeps the issue's number, which leads to the issue in whatever run lists it. A hot issue is
    entered once: a second attempt (going back and clicking again, a double submission) raises
    `DisputeEntryExists` naming the first entry."""
    if not cases:
        raise DomainError(_("None of the cases of this hot issue is visible to you."))
    # Two submissions at once queue here on the issue's number (SQLite serialises writers anyway).
    list(HotIssueNumber.objects.select_for_update().filter(number=issue.number))
    existing = dispute_entry_of_hot_issue(number=issue.number, actor=actor)
    if existing is not None:
        raise DisputeEntryExists(
            _("This hot issue is already in the dispute register as “{title}”: no second entry was made.").format(
                title=existing.title
            ),
            entry=existing,
        )
    units = OrgUnit.objects.filter(pk__in={u for c in cases for u in [c.target_unit_id or c.handling_unit_id] if u})
    titles = representative_subjects(cases, issue.top_terms, limit=3)
    # The key words that name something (an issue listed before they were chosen so may hold fillers); none: no line.
    terms = " ".join([t for t in issue.top_terms if keyword_candidate(t)][:5])
    figures = {
        "n": len(cases),
        "first": date_text(min(c.received_at for c in cases)),
        "last": date_text(max(c.received_at for c in cases)),
        "titles": "；".join(titles),
    }
    if terms:
        description = _("Hot issue of {n} cases ({first} – {last}). Key words: {terms}. Examples: {titles}").format(
            terms=terms, **figures
        )
    else:
        description = _("Hot issue of {n} cases ({first} – {last}). Examples: {titles}").format(**figures)
    return dispute_entry_create(
        actor=actor,
        unit=actor.unit,
        title=_dispute_title(titles[0] if titles else terms, len(cases)),
        description=description,
        headcount=min(max(people_concerned(cases), HEADCOUNT_MIN), HEADCOUNT_MAX),
        units=list(units),
        cases=list(cases),
        source=DisputeSource.HOT_ISSUE,
        hot_issue_number=issue.number,
    )
