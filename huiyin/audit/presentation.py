"""How audit records read on the log page: labelled details and object names. Presentation only.

Stored records (and so the hash chain) are never touched: everything here works on copies of
`detail`, and anything unknown is shown as plain "key: value" text, never as a Python repr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.org.permissions import permission_label

CASE_TYPE = "cases.case"

KEY_LABELS: dict[str, Any] = {
    "case_no": _("Case number"),
    "case": _("Case number"),
    "from": _("From"),
    "to": _("To"),
    "stage": _("Stage"),
    "reason": _("Reason"),
    "rule": _("Retention rule"),
    "days": _("Days"),
    "day": _("Check-in day"),
    "perm": _("Permission"),
    "what": _("Requested access"),
    "copy": _("File copy"),
    "document": _("Document"),
    "channel": _("Channel"),
    "reissue": _("Reissued"),
    "limit": _("Attempt limit"),
    "window_seconds": _("Time window (seconds)"),
    "recovery_codes": _("Recovery codes issued"),
    "codes_left": _("Recovery codes left"),
    "step": _("Step"),
    "reset_by_admin": _("Reset by an administrator"),
    "requested_by": _("Requested by"),
    "note": _("Note"),
    "expires_at": _("Expires at"),
    "linked_account": _("Linked to a user account"),
    "unit": _("Unit"),
    "accused": _("Accused person records"),
    "before": _("Before"),
    "after": _("After"),
    "category": _("Category"),
    "archive_years": _("Archive years"),
    "personal_data_years": _("Personal data years"),
    "archive_action": _("When the archive period ends"),
    "closed_at": _("Closed at"),
    "via": _("Triggered by"),
    "files": _("Files"),
    "set_at": _("Set at"),
    "keep_until": _("Keep until"),
    "attachments": _("Attachments"),
    "attachment_copies_kept": _("Attachment copies kept"),
    "representatives": _("Representatives"),
    "retaliation_followups": _("Retaliation follow-ups"),
    "petitioner": _("Petitioner record"),
    "sha256": _("SHA-256"),
    "size": _("Size (bytes)"),
    "type": _("Type"),
    "n": _("Cases counted"),
    "fields": _("Fields shown"),
    "code": _("Category code"),
    "name_zh": _("Chinese name"),
    "name_en": _("English name"),
    "sort": _("Order"),
    "active": _("In use"),
    "keywords": _("Keywords"),
    "scope": _("Applies to cases of"),
    "handling_unit": _("Handling unit"),
    "intact": _("Chain intact"),
    "checked": _("Records checked"),
    "broken_at": _("First broken record"),
    "records": _("Records exported"),
    "filter": _("Filter"),
    # A category model trained, put in use or stopped (the field names of the model, as its page shows them).
    "version": capfirst(_("version")),
    "previous": _("Model in use before"),
    "trained_from": capfirst(_("trained from")),
    "examples": capfirst(_("training examples")),
    "heldout": capfirst(_("held-out examples")),
    "macro_f1": capfirst(_("macro-F1 (held out)")),
    "keywords_macro_f1": capfirst(_("macro-F1 of the keyword rules (held out)")),
    "accuracy": capfirst(_("accuracy (held out)")),
}

# Codes written by the services as `reason`, `what`, `copy`, `via`, ... and how they read.
CODE_LABELS: dict[str, dict[str, Any]] = {
    "reason": {
        "not_found_or_out_of_scope": _("Not found or outside the user's scope"),
        "not_found": _("Not found"),
        "no_custodian_approval": _("No approval from an identity custodian"),
        "receipt_mismatch": _("Receipt code did not match"),
        "reply_letter": _("Named in a reply letter"),
        "chain_missing": _("A record is missing"),
        "chain_link": _("The link to the previous record is broken"),
        "chain_content": _("A record's content does not match its hash"),
        "chain_case_no": _("A record's case number does not match its content"),
        "chain_tail": _("Records at the end of the chain are missing"),
    },
    "fields": {"name": _("Name")},
    "what": {
        "unseal_request": _("Request to unseal an identity"),
        "unseal_decide": _("Decision on an unsealing request"),
        "unseal_revoke": _("Revoking an unsealing approval"),
        "unseal": _("Petitioner's identity"),
        "accused_unseal": _("Accused persons' identities"),
        "attachment_original": _("Original of an attachment"),
    },
    "copy": {
        "sanitised": _("Copy without metadata"),
        "original": _("Original file"),
    },
    "via": {
        "job": _("Scheduled retention job"),
        "review": _("Archival review"),
    },
    "petitioner": {
        "none": _("No petitioner record"),
        "kept_for_other_cases": _("Kept for other cases"),
        "erased": _("Erased"),
    },
    "step": {"password": _("Password")},
    "scope": {"all": _("The whole organisation")},
    "document": {
        "reply_letter": _("Reply letter"),
        "stats_ledger": _("Petition ledger (Excel)"),
        "stats_report": _("Analysis report (Word)"),
        "audit_log": _("Audit log (Excel)"),
    },
}

# The audit log's own filter, as recorded with an export of the log: keyed by query parameter.
FILTER_LABELS: dict[str, Any] = {
    "action": _("Action"),
    "actor": _("Actor"),
    "object": _("Object id"),
    "from": _("From date"),
    "to": _("To date"),
}

# Actions whose detail holds category codes under "from", "to" or "category".
_NAMES_CATEGORIES = frozenset({AuditAction.CATEGORY_CHANGE, AuditAction.ROUTE_CHANGE})

DATETIME_KEYS = frozenset({"expires_at", "closed_at", "set_at", "keep_until"})

# Object types that name an action rather than a model row (no model to take a verbose name from).
PSEUDO_OBJECT_LABELS: dict[str, Any] = {
    "portal.login": _("Portal sign-in"),
    "triage.classify": _("Automatic classification"),
    "stats.statistics": _("Statistics"),
    "audit.chain": _("Audit chain"),
    "audit.log": _("Audit log"),
}


def _choices() -> dict[str, dict[str, Any]]:
    """Choice labels by key, read from the owning apps' models (read-only imports)."""
    from huiyin.cases.states import CaseStage, CaseStatus, Channel
    from huiyin.retention.models import ArchiveAction
    from huiyin.triage.states import ModelSource

    return {
        "state": dict(CaseStatus.choices),
        "stage": dict(CaseStage.choices),
        "channel": dict(Channel.choices),
        "archive_action": dict(ArchiveAction.choices),
        "trained_from": dict(ModelSource.choices),
        "action": dict(AuditAction.choices),  # an audit log export's filter
    }


@dataclass(frozen=True)
class DetailItem:
    label: str
    value: str


def _permission_label(perm: str) -> str:
    app_label, _sep, codename = perm.partition(".")
    return (permission_label(app_label, codename) if codename else None) or perm


def _plain(value: Any) -> str:
    """Any JSON value as plain text: no braces, brackets or quotes."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Mapping):
        return gettext("; ").join(labelled(item.label, item.value) for item in _items(value, action=""))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) if value else "—"
    return str(value)


def labelled(label: str, value: str) -> str:
    """ "label: value" with the active language's punctuation (a full-width colon in Chinese)."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def _when(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value)
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "Y-m-d H:i")
    day = parse_date(value)
    return day.isoformat() if day is not None else None


def _value(
    key: str,
    value: Any,
    *,
    action: str,
    choices: dict[str, dict[str, Any]],
    names: PageNames | None = None,
) -> str:
    categories = names.categories if names is not None else {}
    try:
        if key == "unit" and isinstance(value, str) and names is not None and value in names.units:
            return names.units[value]
        if key == "filter" and isinstance(value, Mapping):
            if not value:
                return gettext("None (the whole log)")
            # In the form's order: PostgreSQL's jsonb keeps keys in its own order, not the order written.
            keys = [k for k in FILTER_LABELS if k in value] + [k for k in value if k not in FILTER_LABELS]
            return gettext("; ").join(
                labelled(
                    str(FILTER_LABELS.get(k, k)), _value(str(k), value[k], action="", choices=choices, names=names)
                )
                for k in keys
            )
        if key == "requested_by" and isinstance(value, str) and value and names is not None:
            return person_label(value, names.full_names_by_username.get(value, ""))
        if key in ("from", "to") and action == AuditAction.STATE_CHANGE and isinstance(value, str):
            return str(choices["state"].get(value, value)) or "—"
        if key in ("from", "to", "category") and action in _NAMES_CATEGORIES and isinstance(value, str):
            return str(categories.get(value) or value) or "—"
        if key in choices and isinstance(value, str) and value in choices[key]:
            return str(choices[key][value])
        if key in CODE_LABELS and isinstance(value, str) and value in CODE_LABELS[key]:
            return str(CODE_LABELS[key][value])
        if key in CODE_LABELS and isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return ", ".join(str(CODE_LABELS[key].get(v, v)) for v in value)
        if key == "perm" and isinstance(value, str):
            return _permission_label(value)
        if key in DATETIME_KEYS:
            when = _when(value)
            if when is not None:
                return when
    except (ValueError, TypeError, LookupError, AttributeError):  # presentation must never break the page
        return _plain(value)
    return _plain(value)


def _items(detail: Mapping, *, action: str, names: PageNames | None = None) -> list[DetailItem]:
    choices = names.choices if names is not None and names.choices else _choices()
    return [
        DetailItem(
            label=str(KEY_LABELS[key]) if key in KEY_LABELS else str(key),
            value=_value(str(key), value, action=action, choices=choices, names=names),
        )
        for key, value in detail.items()
    ]


def person_label(username: str, full_name: str) -> str:
    """A staff member as "full name (username)": the name people know, the login that was recorded."""
    if not username:
        return full_name or "—"
    if not full_name or full_name == username:
        return username
    return gettext("%(name)s (%(username)s)") % {"name": full_name, "username": username}


@dataclass(frozen=True)
class PageNames:
    """Names for the codes and ids stored in a page of records, looked up once for the page."""

    categories: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    full_names_by_id: Mapping[int, str] = field(default_factory=dict)
    full_names_by_username: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # `_choices()`, built once for the page

    def actor(self, record: AuditRecord) -> str:
        """The record's actor as "full name (username)"; the stored username alone once the user is gone; the
        daily check for a check of the chain without an actor; "—" for other records without one."""
        if record.actor_id is None and not record.actor_name:
            return gettext("the daily check") if record.action == AuditAction.CHAIN_VERIFY else "—"
        return person_label(record.actor_name, self.full_names_by_id.get(record.actor_id or 0, ""))


def _unit_names(records: Iterable[AuditRecord]) -> dict[str, str]:
    from huiyin.org.models import OrgUnit

    codes = {
        value
        for r in records
        if isinstance(r.detail, Mapping) and isinstance(value := r.detail.get("unit"), str) and value
    }
    if not codes:
        return {}
    return dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))


def _full_names(records: Iterable[AuditRecord]) -> tuple[dict[int, str], dict[str, str]]:
    """Full names of the actors (by id) and of the users named in details (by username), in one query."""
    ids = {r.actor_id for r in records if r.actor_id is not None}
    usernames = {
        value
        for r in records
        if isinstance(r.detail, Mapping) and isinstance(value := r.detail.get("requested_by"), str) and value
    }
    if not ids and not usernames:
        return {}, {}
    by_id: dict[int, str] = {}
    by_username: dict[str, str] = {}
    users = get_user_model().objects.filter(Q(pk__in=ids) | Q(username__in=usernames))
    for pk, username, full_name in users.values_list("pk", "username", "full_name"):
        by_id[pk] = full_name
        by_username[username] = full_name
    return by_id, by_username


def page_names(records: Iterable[AuditRecord]) -> PageNames:
    """Everything `records` need named (categories, units, people): three queries at most, whatever their number.

    Only what is shown changes: the stored codes and usernames stay as they were written (and hashed).
    """
    records = list(records)
    by_id, by_username = _full_names(records)
    return PageNames(
        categories=category_names(records),
        units=_unit_names(records),
        full_names_by_id=by_id,
        full_names_by_username=by_username,
        choices=_choices(),
    )


def category_names(records: Iterable[AuditRecord]) -> dict[str, str]:
    """Category names by code for the category changes among `records`, in one query for the page."""
    from huiyin.cases.models import Category

    codes = {
        value
        for r in records
        if r.action in _NAMES_CATEGORIES and isinstance(r.detail, Mapping)
        for key in ("from", "to", "category")
        if isinstance(value := r.detail.get(key), str) and value
    }
    if not codes:
        return {}
    # A code no longer in the taxonomy simply stays missing here and is shown as stored.
    return {c.code: str(c) for c in Category.objects.filter(code__in=codes)}


def detail_items(record: AuditRecord, names: PageNames | None = None) -> list[DetailItem]:
    """The record's detail as labelled lines, in stored order.

    `names` (from `page_names`) names the codes and users in it; without it, they are looked up for this record.
    """
    detail = record.detail
    if detail in (None, {}, [], ""):
        return []
    if not isinstance(detail, Mapping):
        return [DetailItem(label=gettext("Detail"), value=_plain(detail))]
    if names is None:
        names = page_names([record])
    return _items(detail, action=record.action, names=names)


def detail_raw(record: AuditRecord) -> str:
    """The stored detail as JSON, for auditors who need the exact value."""
    if record.detail in (None, {}, [], ""):
        return ""
    return json.dumps(record.detail, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ObjectLabel:
    text: str
    url: str = ""
    raw: str = ""


def _case_number_from(record: AuditRecord) -> str:
    detail = record.detail if isinstance(record.detail, Mapping) else {}
    number = detail.get("case_no") or detail.get("case")
    return number if isinstance(number, str) else ""


def object_labels(records: Iterable[AuditRecord], user: Any) -> dict[int, ObjectLabel]:
    """A readable name for each record's object, keyed by record pk; two queries at most for the page."""
    from huiyin.cases.models import Case

    records = list(records)
    case_ids = {
        int(r.object_id)
        for r in records
        if r.object_type == CASE_TYPE and r.object_id.isascii() and r.object_id.isdigit()
    }
    numbers: dict[int, str] = {}
    openable: set[int] = set()
    if case_ids:
        numbers = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "case_no"))
        if user.has_perm("cases.view_case"):
            openable = set(Case.objects.visible_to(user).filter(pk__in=numbers).values_list("pk", flat=True))
    categories = _object_category_names(records)
    labels: dict[int, ObjectLabel] = {}
    for r in records:
        raw = f"{r.object_type} {r.object_id}".strip()
        named = _named_object(r, categories)
        if named:
            labels[r.pk] = ObjectLabel(text=named, raw=raw)
            continue
        if not r.object_type:
            labels[r.pk] = ObjectLabel(text=r.object_id or "—", raw=raw)
            continue
        if r.object_type == CASE_TYPE:
            pk = int(r.object_id) if r.object_id.isascii() and r.object_id.isdigit() else None
            number = numbers.get(pk) if pk is not None else None
            if number is None:
                # A destroyed case keeps its number in the detail; a portal lookup stores the number it was given.
                number = _case_number_from(r) or (r.object_id if pk is None else "")
            if number:
                url = reverse("cases:detail", args=[pk]) if pk in openable else ""
                labels[r.pk] = ObjectLabel(text=gettext("Case %(number)s") % {"number": number}, url=url, raw=raw)
                continue
        if r.object_type in PSEUDO_OBJECT_LABELS:
            name = str(PSEUDO_OBJECT_LABELS[r.object_type])
        else:
            try:
                name = str(apps.get_model(r.object_type)._meta.verbose_name)
            except (LookupError, ValueError):
                name = r.object_type
        labels[r.pk] = ObjectLabel(text=f"{name} {r.object_id}".strip(), raw=raw)
    return labels


CATEGORY_TYPE = "cases.category"
ROUTE_TYPE = "triage.categoryroute"


def _object_category_names(records: list[AuditRecord]) -> dict[str, str]:
    """Names of the categories that records about a category or a route concern, by code (one query)."""
    from huiyin.cases.models import Category

    codes = {r.object_id for r in records if r.object_type == CATEGORY_TYPE}
    codes |= {
        value
        for r in records
        if r.object_type == ROUTE_TYPE and isinstance(r.detail, Mapping)
        if isinstance(value := r.detail.get("category"), str)
    }
    if not codes:
        return {}
    return {c.code: str(c) for c in Category.objects.filter(code__in=codes)}


def _named_object(record: AuditRecord, categories: Mapping[str, str]) -> str:
    """A category as "问题类别 工资薪酬 (wages)" and a route by its category and scope, as the log reads best;
    "" for other objects. Names are today's; the stored code stays in the raw form."""
    detail = record.detail if isinstance(record.detail, Mapping) else {}
    if record.object_type == CATEGORY_TYPE and record.object_id in categories:
        return gettext("Category %(name)s (%(code)s)") % {
            "name": categories[record.object_id],
            "code": record.object_id,
        }
    if record.object_type == ROUTE_TYPE:
        code, scope = detail.get("category"), detail.get("scope")
        if isinstance(code, str) and isinstance(scope, str):
            where = str(CODE_LABELS["scope"].get(scope, scope))
            return gettext("Route of %(category)s for %(scope)s") % {
                "category": categories.get(code, code),
                "scope": where,
            }
    return ""
