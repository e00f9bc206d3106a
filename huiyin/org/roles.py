"""Roles of ARCHITECTURE §2 as groups with permissions. The data here is the source of truth;
`roles_sync` makes the database match it after every migrate."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ROLE_LABELS = {
    "clerk": _("Intake clerk"),
    "office": _("Petition office"),
    "handler": _("Handler"),
    "leader": _("Responsible leader"),
    "discipline": _("Discipline inspection"),
    "custodian": _("Identity custodian"),
    "executive": _("Leadership"),
    "auditor": _("Auditor"),
    "petitioner": _("Employee (portal)"),
}

_VIEW = ["cases.view_case", "cases.view_attachment"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "clerk": [
        *_VIEW,
        "cases.add_case",
        "cases.rate_case",
        "cases.link_case",
        "cases.request_review",
        "people.add_accusedperson",
        "portal.issue_receipt",
        "triage.confirm_suggestion",
    ],
    "office": [
        *_VIEW,
        "cases.add_case",
        "cases.screen_case",
        "cases.assign_case",
        "cases.approve_extension",
        "cases.rate_case",
        "cases.close_case",
        "cases.request_review",
        "cases.link_case",
        "people.unseal_petitioner",
        "workflow.supervise_case",
        "workflow.record_pause",
        "workflow.view_holidayschedule",
        "people.add_accusedperson",
        "portal.add_casemessage",
        "portal.issue_receipt",
        "portal.view_retaliationfollowup",
        "portal.change_retaliationfollowup",
        "triage.confirm_suggestion",
        "triage.view_hotissue",
        "triage.change_categoryroute",
        # The category list itself is kept at the top of the tree only (the views check the unit too).
        "cases.add_category",
        "cases.change_category",
        "cases.delete_category",
        "triage.view_disputeentry",
        "triage.add_disputeentry",
        "triage.change_disputeentry",
        "retention.view_retentionrule",
        "retention.change_retentionrule",
        "retention.add_legalhold",
        "retention.lift_legalhold",
        "retention.review_archive",
        "stats.view_statistics",
    ],
    "handler": [
        *_VIEW,
        "cases.handle_case",
        # The handler drafts the reply; the responsible leader signs it off and issues it (领导审签).
        "cases.draft_reply",
        "cases.link_case",
        "portal.add_casemessage",
        "triage.confirm_suggestion",
    ],
    "leader": [
        *_VIEW,
        "cases.handle_case",
        "cases.draft_reply",
        "cases.reply_case",
        "cases.approve_extension",
        "cases.assign_case",
        "workflow.record_pause",
        "portal.add_casemessage",
        "triage.view_hotissue",
        "triage.view_disputeentry",
        "stats.view_statistics",
    ],
    "discipline": [
        *_VIEW,
        "cases.view_discipline_case",
        "cases.screen_case",
        "cases.assign_case",
        "cases.handle_case",
        "cases.draft_reply",
        "cases.reply_case",
        "cases.approve_extension",
        "cases.close_case",
        "people.unseal_petitioner",
        "workflow.supervise_case",
        "workflow.record_pause",
        "people.add_accusedperson",
        "portal.add_casemessage",
        "portal.issue_receipt",
        "portal.view_retaliationfollowup",
        "portal.change_retaliationfollowup",
        "triage.confirm_suggestion",
        "retention.view_retentionrule",
        "retention.add_legalhold",
        "retention.lift_legalhold",
        "retention.review_archive",
        "stats.view_statistics",
    ],
    "custodian": ["people.approve_unseal"],
    "executive": [*_VIEW, "triage.view_hotissue", "triage.view_disputeentry", "stats.view_statistics"],
    "auditor": ["audit.view_auditrecord"],
    "petitioner": ["portal.use_portal"],
}


# Roles whose work is one compartment of cases (`cases.states.Compartment`): discipline inspection works the
# accusation reports (Art. 30). A user whose every role has a remit sees the rest of their scope but it is not
# their work: their home lists, and the assign actions, keep to the remit and to the cases they lead or are on.
ROLE_REMIT: dict[str, str] = {"discipline": "discipline"}


def compartment_remit(user) -> str | None:
    """The compartment that is `user`'s work, when each of their roles has that remit; None otherwise."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    cache = user.__dict__.setdefault("_remit_cache", {})
    if "remit" not in cache:
        remits = {ROLE_REMIT.get(name) for name in user.groups.values_list("name", flat=True)}
        cache["remit"] = next(iter(remits)) if len(remits) == 1 else None
    return cache["remit"]


def roles_sync(*, using: str = "default") -> None:
    """Create or update one group per role with exactly the permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def roles_sync_on_migrate(sender, using: str = "default", **kwargs) -> None:  # noqa: ARG001
    roles_sync(using=using)
