"""The case (信访事项) and everything recorded on it."""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from huiyin.cases.errors import CaseTransitionError
from huiyin.cases.querysets import CaseQuerySet
from huiyin.cases.states import (
    CaseStage,
    CaseStatus,
    CaseType,
    Channel,
    Compartment,
    LawfulChannel,
    Rating,
    Source,
    can_transition,
)
from huiyin.core.models import BaseModel
from huiyin.people.fields import EncryptedTextField

MAX_REPRESENTATIVES = 5


class Category(BaseModel):
    """A category of the office's editable taxonomy (wages, social insurance, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class CaseSequence(models.Model):
    """The last case number issued per year; locked when a number is taken, so numbers are gapless."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(BaseModel):
    """A petition matter, from registration to its final answer."""

    case_no = models.CharField(_("case number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.OWN)
    forwarded_authority = models.CharField(_("forwarding authority"), max_length=100, blank=True)
    forwarded_ref = models.CharField(_("forwarding reference number"), max_length=60, blank=True)
    forwarded_deadline = models.DateField(_("deadline set by the forwarding authority"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    type = models.CharField(_("type"), max_length=16, choices=CaseType.choices)
    compartment = models.CharField(
        _("compartment"), max_length=16, choices=Compartment.choices, default=Compartment.GENERAL, editable=False
    )
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("category")
    )
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    unit = models.ForeignKey(
        "org.OrgUnit", models.PROTECT, related_name="registered_cases", verbose_name=_("registering unit")
    )
    target_unit = models.ForeignKey(
        "org.OrgUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="targeted_cases",
        verbose_name=_("unit concerned"),
    )
    handling_unit = models.ForeignKey(
        "org.OrgUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("handling unit"),
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("responsible leader"),
    )
    plan = models.TextField(_("handling plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices, default=CaseStage.FIRST)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    petitioner = models.ForeignKey(
        "people.Petitioner",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("petitioner"),
    )
    collective = models.BooleanField(_("collective"), default=False)
    headcount = models.PositiveIntegerField(_("number of people"), default=1)
    redirect_channel = models.CharField(_("lawful channel"), max_length=24, choices=LawfulChannel.choices, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=100, blank=True)
    disposition_reason = models.TextField(_("reason"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_cases",
        verbose_name=_("registered by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("screen_case", _("Can screen a case (accept, redirect, forward, not accept)")),
            ("assign_case", _("Can assign a case to a unit, leader and team")),
            ("handle_case", _("Can handle a case and record its progress")),
            ("approve_extension", _("Can approve an extension of the handling period")),
            ("reply_case", _("Can issue the written reply")),
            ("draft_reply", _("Can draft the written reply")),
            ("rate_case", _("Can record the petitioner's rating")),
            ("close_case", _("Can close a replied case")),
            ("request_review", _("Can register a review or re-review request")),
            ("link_case", _("Can link related cases")),
            ("view_discipline_case", _("Can see accusation reports in the discipline compartment")),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="case_status_received"),
            models.Index(fields=["unit", "received_at"], name="case_unit_received"),
            models.Index(fields=["handling_unit", "status"], name="case_handling_status"),
            models.Index(fields=["responsible_leader", "status"], name="case_leader_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(stage__in=CaseStage.values), name="case_stage_valid"),
            models.CheckConstraint(condition=Q(type__in=CaseType.values), name="case_type_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="case_channel_valid"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="case_headcount_positive"),
            models.CheckConstraint(
                condition=Q(collective=False) | Q(headcount__gte=2), name="case_collective_has_people"
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(petitioner__isnull=True), name="case_anonymous_has_no_petitioner"
            ),
            models.CheckConstraint(
                condition=Q(source=Source.OWN) | ~Q(forwarded_authority=""), name="case_forwarded_names_authority"
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.FINAL) | Q(stage=CaseStage.RECHECK), name="case_final_after_recheck"
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.IN_HANDLING)
                | (Q(handling_unit__isnull=False) & Q(responsible_leader__isnull=False)),
                name="case_in_handling_is_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    # Cheap predicates; the services enforce them.
    def can_transition_to(self, target: str) -> bool:
        return can_transition(status=self.status, stage=self.stage, target=target)

    def ensure_can_transition_to(self, target: str) -> Self:
        if not self.can_transition_to(target):
            raise CaseTransitionError(case=self, target=target)
        return self

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.IN_HANDLING)


class CaseRepresentative(BaseModel):
    """One of at most five representatives of a collective case (Art. 20). Identity encrypted."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="representatives", verbose_name=_("case"))
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")


class CaseMember(BaseModel):
    """A member of the handling team (一案一专班)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="members", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="case_memberships", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]
        indexes = [models.Index(fields=["user", "case"], name="case_member_user")]


class CaseRecusal(BaseModel):
    """A user kept off a case: a conflict of interest (Art. 28) or the accused and their reporting line (Art. 30)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="recusals", verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="recusals", verbose_name=_("user"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_recusal_unique")]
        indexes = [models.Index(fields=["user", "case"], name="case_recusal_user")]


class LinkKind(models.TextChoices):
    REPEAT = "repeat", _("Repeat petition")
    SAME_ISSUE = "same_issue", _("Same issue")
    RELATED = "related", _("Related")


class CaseLink(BaseModel):
    """A link between related cases (repeat petition, same issue raised by others, related)."""

    from_case = models.ForeignKey(Case, models.CASCADE, related_name="links_out", verbose_name=_("case"))
    to_case = models.ForeignKey(Case, models.CASCADE, related_name="links_in", verbose_name=_("linked case"))
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_unique"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed: replied before a decision")


class CaseExtension(BaseModel):
    """An extension of the handling period (at most 30 days, approved, reason told to the petitioner; Art. 34)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="extensions", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    told_at = models.DateTimeField(_("petitioner told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=30), name="case_extension_max_30_days"),
        ]


class CaseReply(BaseModel):
    """The written reply of one stage."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="replies", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    text = models.TextField(_("reply"))
    next_right = models.TextField(_("next right"), blank=True)
    next_right_due = models.DateField(_("next right deadline"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["issued_at"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="case_reply_one_per_stage")]


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    RETURNED = "returned", _("Returned for revision")
    ISSUED = "issued", _("Signed off and issued")
    SUPERSEDED = "superseded", _("Superseded: the reply was issued without it")


# A stage has at most one draft being written or awaiting sign-off.
OPEN_DRAFT_STATUSES = (DraftStatus.DRAFT, DraftStatus.SUBMITTED)


class ReplyDraft(BaseModel):
    """One version of a stage's written reply, drafted by the handling unit for the responsible leader's
    sign-off (领导审签).

    Versions are rows and are never deleted: a returned draft keeps its text and the leader's note, and
    the next version is a new row. The signed-off version points at the reply it became (the leader may
    have edited the text; the draft keeps what was submitted).
    """

    case = models.ForeignKey(Case, models.CASCADE, related_name="reply_drafts", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("draft reply"))
    status = models.CharField(_("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    submitted_at = models.DateTimeField(_("submitted for sign-off at"), null=True, blank=True)
    # What the reply check found missing when the draft was submitted "anyway": the leader sees it.
    check_missing = models.JSONField(_("missing at submission"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("leader's note"), blank=True)
    reply = models.OneToOneField(
        CaseReply,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_draft",
        verbose_name=_("issued reply"),
    )

    class Meta:
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "version"], name="reply_draft_version_unique"),
            models.UniqueConstraint(
                fields=["case", "stage"],
                condition=Q(status__in=["draft", "submitted"]),
                name="reply_draft_one_open_per_stage",
            ),
            models.CheckConstraint(condition=Q(status__in=DraftStatus.values), name="reply_draft_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="reply_draft_version_positive"),
        ]
        indexes = [models.Index(fields=["status", "case"], name="reply_draft_status_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage} v{self.version}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DRAFT_STATUSES


class CaseRating(BaseModel):
    """The petitioner's rating of one stage's reply."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="ratings", verbose_name=_("case"))
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    rating = models.CharField(_("rating"), max_length=24, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="case_rating_one_per_stage"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="case_rating_valid"),
        ]


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    REASSIGNED = "reassigned", _("Reassigned")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
    REPLIED = "replied", _("Reply issued")
    RATED = "rated", _("Rated")
    NOTE = "note", _("Progress note")
    LINKED = "linked", _("Linked")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    REVIEW_REQUESTED = "review_requested", _("Review requested")
    RECHECK_REQUESTED = "recheck_requested", _("Re-review requested")
    RECUSED = "recused", _("Handler recused")
    CATEGORY_CHANGED = "category_changed", _("Category changed")
    DRAFT_SUBMITTED = "draft_submitted", _("Reply draft submitted for sign-off")
    DRAFT_RETURNED = "draft_returned", _("Reply draft returned for revision")
    TO_DISCIPLINE = "to_discipline", _("Transferred to discipline inspection")


class CaseEvent(models.Model):
    """One step on a case's timeline. Append-only: the basis of the analytics."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=CaseStage.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("time"), db_index=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Case events are append-only.")

    @property
    def by_petitioner(self) -> bool:
        """The petitioner took this step (through the portal); the timeline says so without naming them."""
        if self.actor_id is not None:
            return False
        if (self.data or {}).get("by") == "petitioner":
            return True
        # Recorded before the marker: only the portal rates or asks for a review without a staff actor.
        return self.kind in (EventKind.RATED, EventKind.REVIEW_REQUESTED, EventKind.RECHECK_REQUESTED)


class AttachmentSanitiser(models.TextChoices):
    """What was done to make the copy handlers open (`cases.sanitise`)."""

    NOT_CHECKED = "", _("Metadata not checked")
    IMAGE = "image", _("Image re-encoded without metadata")
    OFFICE = "office", _("Document properties and author names removed")
    PARTIAL = (
        "partial",
        _("Document properties and author names removed; some embedded parts kept as they are"),
    )
    PDF = "pdf", _("PDF document information and XMP removed")
    PLAIN = "plain", _("Plain text: no metadata")
    AUDIO = "audio", _("Audio tags and non-sound chunks removed")
    NO_METADATA = "none", _("The format carries no metadata")
    UNSTRIPPED = "unstripped", _("Metadata not removed")


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept only as data, never as a path.
    return f"{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(BaseModel):
    """A file on a case. Stored under a random name outside the web root; served only as a download."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="attachments", verbose_name=_("case"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    # The original above is the evidence as accepted, never changed; handlers open this copy without
    # the metadata that can name the petitioner (EXIF GPS, document author). Empty: the original is served.
    sanitised_file = models.FileField(_("copy without metadata"), upload_to=attachment_path, max_length=200, blank=True)
    sanitiser = models.CharField(
        _("metadata treatment"), max_length=16, choices=AttachmentSanitiser.choices, blank=True, default=""
    )
    metadata_removed = models.BooleanField(_("metadata found and removed"), default=False)
    # Parts of an Office file kept as they were in the copy because they could not be cleaned (a video, an
    # object in an older binary format): they may still name their author.
    metadata_kept = models.JSONField(_("parts kept with their metadata"), default=list, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def handler_file(self):
        """The file the normal download serves: the copy without metadata when there is one."""
        return self.sanitised_file if self.sanitised_file else self.file

    @property
    def has_restricted_original(self) -> bool:
        """The original differs from what handlers open, so downloading it is the audited, restricted action."""
        return bool(self.sanitised_file)

    @property
    def metadata_kept_names(self) -> str:
        """The file names of the parts kept with their metadata, as a list in words."""
        return get_text_list([part.rsplit("/", 1)[-1] for part in self.metadata_kept], _("and"))

    @property
    def metadata_note(self) -> str:
        """The note on the list: "removed", "partial" (some embedded parts kept), "kept" (not removed or not
        checked), or "" (plain text has none)."""
        if self.sanitiser == AttachmentSanitiser.PARTIAL:
            return "partial"
        if self.sanitiser in (
            AttachmentSanitiser.IMAGE,
            AttachmentSanitiser.OFFICE,
            AttachmentSanitiser.PDF,
            AttachmentSanitiser.AUDIO,
        ):
            return "removed"
        return "" if self.sanitiser in (AttachmentSanitiser.PLAIN, AttachmentSanitiser.NO_METADATA) else "kept"
