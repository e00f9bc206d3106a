"""The notification outbox and the in-app inbox.

Every notification is a row written in the same transaction as the change it reports (a
transactional outbox). In-app notifications are delivered by being written: the row *is* the
inbox item. E-mail and SMS rows are delivered later by `notify.services.outbox_deliver`,
at least once, each with a stable `message_id` a receiver can use to drop a repeat.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyin.core.models import BaseModel


class NotifyChannel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(BaseModel):
    """One notification to one recipient over one channel."""

    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=NotifyChannel.choices)
    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # A petitioner's contact is never copied here: the sender reads it from the vault when sending.
    petitioner = models.ForeignKey(
        "people.Petitioner",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petitioner"),
    )
    case = models.ForeignKey(
        "cases.Case", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=NotifyChannel.values), name="outbox_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="outbox_status_valid"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["user", "channel", "read_at"], name="outbox_inbox_user"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.message_id}"
