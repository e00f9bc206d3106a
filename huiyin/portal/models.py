"""The employee portal: receipts, idempotent submissions, guessing counters, messages, knowledge,
and the retaliation check-ins after closing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel
from huiyin.people.fields import EncryptedTextField


class Receipt(BaseModel):
    """The receipt code of a case: its number plus a secret of 120 bits, stored only as an Argon2id hash.

    At most one receipt per case is live; re-issuing one (a clerk's slip) revokes the previous.
    """

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="receipts", verbose_name=_("case"))
    secret_hash = models.CharField(_("secret hash"), max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(revoked_at__isnull=True), name="receipt_one_live"),
        ]
        permissions = [
            ("issue_receipt", _("Can issue or re-issue a receipt slip")),
            ("use_portal", _("Can sign in to the employee portal and follow own matters")),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {'revoked' if self.revoked_at else 'live'}"


class IdempotencyRecord(models.Model):
    """One per Idempotency-Key: the digest of the body first sent with it and the case it created.

    `text_sha256` is the digest of the same body without its files. A browser never restores a file
    input (Back, then Submit again), so the portal form recognises its own resubmission by the text.
    """

    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    body_sha256 = models.CharField(_("body digest"), max_length=64)
    text_sha256 = models.CharField(_("digest without files"), max_length=64, blank=True, default="")
    case = models.ForeignKey(
        "cases.Case", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return self.key


class ThrottleCounter(models.Model):
    """A fixed-window counter shared by every process (the database is the shared store)."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("throttle counter")
        verbose_name_plural = _("throttle counters")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class MessageDirection(models.TextChoices):
    PETITIONER = "petitioner", _("From the petitioner")
    STAFF = "staff", _("To the petitioner")


class CaseMessage(models.Model):
    """A message between the petitioner (by receipt or sign-in) and the staff handling the case."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="portal_messages", verbose_name=_("case"))
    direction = models.CharField(_("direction"), max_length=16, choices=MessageDirection.choices)
    text = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("author")
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="portal_message_case_at")]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=MessageDirection.values), name="portal_message_direction"),
            models.CheckConstraint(
                condition=Q(direction="petitioner", author__isnull=True) | Q(direction="staff"),
                name="portal_message_petitioner_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.direction} {self.at:%Y-%m-%d}"


class KnowledgeKind(models.TextChoices):
    ARTICLE = "article", _("Policy article")
    FAQ = "faq", _("Frequently asked question")


class KnowledgeArticle(BaseModel):
    """A policy article or FAQ shown on the portal beside the submission form."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KnowledgeKind.choices, default=KnowledgeKind.ARTICLE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.ForeignKey(
        "cases.Category", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge base")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.title


class CheckinAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class RetaliationCheckin(BaseModel):
    """The question asked 30 and 90 days after closing: has the petitioner met retaliation? (Art. 18 ¶4)"""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="retaliation_checkins", verbose_name=_("case"))
    day = models.PositiveSmallIntegerField(_("days after closing"))
    asked_at = models.DateTimeField(_("asked at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=8, choices=CheckinAnswer.choices, blank=True)

    class Meta:
        verbose_name = _("retaliation check-in")
        verbose_name_plural = _("retaliation check-ins")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="retaliation_checkin_once")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.day}d {self.answer or '-'}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RetaliationFollowUp(BaseModel):
    """A protected follow-up opened when a petitioner reports retaliation. Only the petition office and
    discipline inspection see it (`portal.view_retaliationfollowup`); the account is encrypted at rest."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="retaliation_followups", verbose_name=_("case"))
    checkin = models.OneToOneField(
        RetaliationCheckin, models.PROTECT, null=True, blank=True, related_name="followup", verbose_name=_("check-in")
    )
    account = EncryptedTextField(_("what the petitioner reported"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retaliation follow-up")
        verbose_name_plural = _("retaliation follow-ups")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="retaliation_status_created")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"
