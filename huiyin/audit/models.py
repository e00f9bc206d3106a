"""The security audit log: append-only and hash-chained, separate from the case timeline.

Each record stores the hash of its predecessor and a SHA-256 over its own canonical content,
so altering, deleting or reordering any record breaks the chain from that record on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    IDENTITY_VIEW = "identity.view", _("Identity viewed")
    IDENTITY_UNSEAL_REQUEST = "identity.unseal_request", _("Identity unsealing requested")
    IDENTITY_UNSEAL_APPROVE = "identity.unseal_approve", _("Identity unsealing approved")
    IDENTITY_UNSEAL_DENY = "identity.unseal_deny", _("Identity unsealing denied")
    IDENTITY_UNSEAL_REVOKE = "identity.unseal_revoke", _("Identity unsealing approval revoked")
    ACCUSED_ADD = "accused.add", _("Accused person recorded")
    ACCUSED_REMOVE = "accused.remove", _("Accused person removed")
    RECEIPT_ISSUE = "receipt.issue", _("Receipt code issued")
    RECEIPT_THROTTLED = "receipt.throttled", _("Receipt guessing throttled")
    RETALIATION_REPORTED = "retaliation.reported", _("Retaliation reported")
    RETALIATION_CLOSED = "retaliation.closed", _("Retaliation follow-up closed")
    EXPORT = "export", _("Export")
    STATE_CHANGE = "case.state_change", _("State change")
    ACCESS_DENIED = "access.denied", _("Access denied")
    ATTACHMENT_DOWNLOAD = "attachment.download", _("Attachment downloaded")
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Sign-in failed")
    OTP_ENROL = "auth.otp_enrol", _("Two-step verification turned on")
    OTP_DISABLE = "auth.otp_disable", _("Two-step verification turned off")
    OTP_VERIFIED = "auth.otp_verified", _("Two-step verification passed")
    OTP_RECOVERY_USED = "auth.otp_recovery_used", _("Recovery code used")
    OTP_FAILED = "auth.otp_failed", _("Two-step verification failed")
    CATEGORY_CHANGE = "case.category_change", _("Case category changed")
    RETENTION_ERASE = "retention.erase", _("Personal data erased (retention)")
    RETENTION_ARCHIVE_DUE = "retention.archive_due", _("Archive review due")
    RETENTION_ARCHIVE_KEEP = "retention.archive_keep", _("Archive kept after review")
    RETENTION_DESTROY = "retention.destroy", _("Case record destroyed (retention)")
    RETENTION_HOLD_SET = "retention.hold_set", _("Legal hold set")
    RETENTION_HOLD_LIFT = "retention.hold_lift", _("Legal hold lifted")
    RETENTION_RULE_CHANGE = "retention.rule_change", _("Retention rule changed")
    CATEGORY_LIST_CHANGE = "taxonomy.change", _("Category list changed")
    ROUTE_CHANGE = "route.change", _("Category route changed")
    CHAIN_VERIFY = "audit.verify", _("Audit chain verified")
    MODEL_TRAIN = "model.train", _("Category model trained")
    MODEL_ACTIVATE = "model.activate", _("Category model put in use")
    MODEL_STOP = "model.stop", _("Category model stopped (keyword rules in use)")


class AuditRecord(models.Model):
    """One append-only audit entry. Never updated, never deleted."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The case the record is about (its petitioner, accused person, unsealing request, file, ...), so that
    # one indexed lookup finds everything about a case. Not hashed: it is derived from the hashed detail
    # (`services.detail_case_no`), and `audit_verify` checks that it still matches.
    case_no = models.CharField(_("case number"), max_length=20, null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-seq"]
        indexes = [
            # Most records (sign-ins, exports of statistics) concern no case: leave them out of the index.
            models.Index(fields=["case_no"], name="audit_record_case_no", condition=models.Q(case_no__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit records are append-only.")


class AuditHead(models.Model):
    """A single row locked by every writer, so records get gapless sequence numbers and an unforked chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
