"""Writing notifications (in the caller's transaction) and delivering them (the outbox worker).

Writing: `notify_staff` and `notify_petitioner` add outbox rows. A `key` names the occurrence
being reported (an event, an alert); the row's unique `dedup_key` is that key plus channel and
recipient, so reporting the same occurrence twice (a sweep run twice, two workers racing) adds
nothing the second time.

Delivering: `outbox_deliver` claims due rows (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL;
SQLite serialises writers), pushes the claim time forward as a lease, sends outside any database
transaction, then marks each row sent, or reschedules it with exponential back-off. A row is never
dropped for a transient failure: a mail server that is down delays delivery and loses nothing.
Delivery is at least once: a worker killed after sending and before marking resends after the
lease, with the same message id. A database that is away when a sent row is to be marked is
waited for while the lease lasts, so a database restart sends nothing twice.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from huiyin.cases.models import Case
from huiyin.notify.models import DeliveryStatus, NotifyChannel, OutboxMessage
from huiyin.notify.sms import get_sms_backend

logger = logging.getLogger(__name__)

_LONG_DIGITS = re.compile(r"\d{6,}")


class PermanentDeliveryError(Exception):
    """Delivery can never succeed (no address); the row is marked failed instead of retried."""


def _dedup(key: str, channel: str, recipient: str) -> str:
    return f"{key}|{channel}|{recipient}"[:200]


def _insert(rows: list[OutboxMessage]) -> int:
    if not rows:
        return 0
    before = OutboxMessage.objects.filter(dedup_key__in=[r.dedup_key for r in rows]).count()
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    after = OutboxMessage.objects.filter(dedup_key__in=[r.dedup_key for r in rows]).count()
    return after - before


def notify_staff(
    *,
    users: Iterable[Any],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    case: Any = None,
    url: str = "",
    email: bool = True,
    now: datetime | None = None,
) -> int:
    """Add an inbox item (and an e-mail, for users with an address) for each user. Returns rows added."""
    now = now or timezone.now()
    rows: list[OutboxMessage] = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        common = {"kind": kind, "user": user, "case": case, "title": title[:200], "body": body, "url": url[:300]}
        rows.append(
            OutboxMessage(
                channel=NotifyChannel.INBOX,
                dedup_key=_dedup(key, NotifyChannel.INBOX, f"u{user.pk}"),
                status=DeliveryStatus.SENT,
                sent_at=now,
                **common,
            )
        )
        if email and settings.HUIYIN_NOTIFY_EMAIL and user.email:
            rows.append(
                OutboxMessage(
                    channel=NotifyChannel.EMAIL,
                    dedup_key=_dedup(key, NotifyChannel.EMAIL, f"u{user.pk}"),
                    next_attempt_at=now,
                    **common,
                )
            )
    return _insert(rows)


def petitioner_reachable(petitioner: Any) -> bool:
    """Whether a notice can reach this petitioner by SMS (the number itself stays in the vault)."""
    return petitioner is not None and bool(petitioner.phone)


def notify_petitioner(*, case: Any, kind: str, key: str, title: str, text: str, now: datetime | None = None) -> int:
    """Queue a notice to the case's petitioner if a contact exists. Anonymous petitioners are not contacted."""
    if case.anonymous or case.petitioner_id is None:
        return 0
    petitioner = case.petitioner
    if not petitioner_reachable(petitioner):
        return 0
    row = OutboxMessage(
        channel=NotifyChannel.SMS,
        dedup_key=_dedup(key, NotifyChannel.SMS, f"p{petitioner.pk}"),
        kind=kind,
        petitioner=petitioner,
        case=case,
        title=title[:200],
        body=text,
        next_attempt_at=now or timezone.now(),
    )
    return _insert([row])


# Inbox ------------------------------------------------------------------------------------------


def case_visible_to(user: Any, case_id: int) -> bool:
    """Whether `user` may see the case (`Case.objects.visible_to`): every recipient must, when told and when sent."""
    return Case.objects.visible_to(user).filter(pk=case_id).exists()


def _about_visible_case(user: Any) -> Q:
    """Items about no case, or about a case `user` may still see. Someone later recorded as the accused, or
    recused, loses the case's notifications with the case (Art. 30): the title names the matter. A correlated
    EXISTS, so only the user's own items are tested."""
    return Q(case__isnull=True) | Q(Exists(Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))))


def inbox_for(user: Any) -> Any:
    return OutboxMessage.objects.filter(user=user, channel=NotifyChannel.INBOX).filter(_about_visible_case(user))


def inbox_unread_count(user: Any) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def inbox_mark_read(*, user: Any, pk: int | None = None, now: datetime | None = None) -> int:
    """Mark one inbox item (or, with no `pk`, all of them) of `user` as read."""
    qs = inbox_for(user).filter(read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=now or timezone.now())


# Delivery ---------------------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    left: int = 0  # claimed but not tried: the lease would have run out (see outbox_deliver)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def backoff_seconds(attempts: int) -> int:
    """Exponential back-off: base, 2×base, 4×base … capped."""
    base = max(1, settings.HUIYIN_NOTIFY_RETRY_SECONDS)
    return int(min(base * 2 ** max(0, attempts - 1), settings.HUIYIN_NOTIFY_RETRY_MAX_SECONDS))


def _claim(*, now: datetime, batch: int) -> list[OutboxMessage]:
    """Take up to `batch` due rows: lock them, push their next attempt past the lease, count the attempt."""
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:batch])
        if not ids:
            return []
        lease = now + timedelta(seconds=settings.HUIYIN_NOTIFY_LEASE_SECONDS)
        rows = list(
            OutboxMessage.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_related("user", "petitioner")
            .order_by("pk")
        )
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = lease
        OutboxMessage.objects.bulk_update(rows, ["attempts", "next_attempt_at"])
    return rows


def _safe_error(exc: BaseException) -> str:
    """An error text fit to store: no long digit runs (phone numbers) and bounded."""
    return _LONG_DIGITS.sub("…", f"{type(exc).__name__}: {exc}")[:500]


def _email_for(row: OutboxMessage) -> EmailMessage:
    if row.user is None or not row.user.email:
        raise PermanentDeliveryError("no e-mail address")
    if row.case_id is not None and not case_visible_to(row.user, row.case_id):
        # Queued before the recipient was recorded as the accused or recused: the title names the matter.
        raise PermanentDeliveryError("the case is no longer in the recipient's scope")
    link = f"{settings.HUIYIN_SITE_URL.rstrip('/')}{row.url}" if row.url else settings.HUIYIN_SITE_URL
    domain = settings.HUIYIN_SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "huiyin.local"
    # The e-mail carries the title and a link, never the matter's content: the reader signs in.
    return EmailMessage(
        subject=f"[回音] {row.title}",
        body=f"{row.title}\n\n{link}\n",
        to=[row.user.email],
        headers={"Message-ID": f"<{row.message_id}@{domain}>", "X-Huiyin-Message-Id": str(row.message_id)},
    )


def _send_sms(row: OutboxMessage, backend: Any) -> None:
    petitioner = row.petitioner
    phone = petitioner.phone if petitioner is not None else ""
    if not phone:
        raise PermanentDeliveryError("no phone number")
    backend.send(to=phone, text=row.body, message_id=str(row.message_id))


def _mark_sent(row: OutboxMessage, at: datetime) -> None:
    OutboxMessage.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENT, sent_at=at, last_error="", updated_at=at
    )


def _record_sent(row: OutboxMessage, at: datetime) -> None:
    """Mark a row that has gone out as sent, holding on while the database is away.

    Found by bench/faults.py: a database restart right after the mail server accepted a message
    made the mark fail, and the message went out again after the lease. Until the lease ends no
    other sender takes the row, so recording it late still sends it exactly once.
    """
    pause = 0.5
    while True:
        try:
            _mark_sent(row, at)
            return
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or timezone.now() + timedelta(seconds=pause) >= row.next_attempt_at:
                raise
            logger.warning("notification %s sent; recording it failed, retrying: %s", row.message_id, _safe_error(exc))
            connection.close()  # broken by the restart: the next query reconnects
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _mark_retry(row: OutboxMessage, at: datetime, exc: BaseException) -> None:
    OutboxMessage.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING).update(
        next_attempt_at=at + timedelta(seconds=backoff_seconds(row.attempts)),
        last_error=_safe_error(exc),
        updated_at=at,
    )


def _mark_failed(row: OutboxMessage, at: datetime, exc: BaseException) -> None:
    OutboxMessage.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=_safe_error(exc), updated_at=at
    )


def outbox_deliver(*, now: datetime | None = None, batch: int = 100) -> DeliveryResult:
    """Deliver the e-mail and SMS rows that are due. Safe to run in several workers at once."""
    now = now or timezone.now()
    rows = _claim(now=now, batch=batch)
    result = DeliveryResult(claimed=len(rows))
    if not rows:
        return result
    mail_connection = None
    sms_backend = None
    # A send may block up to the mail timeout; a row whose lease would run out meanwhile is left for the
    # next run (another sender may take it once the lease ends), so a slow batch sends nothing twice.
    margin = timedelta(seconds=min((settings.EMAIL_TIMEOUT or 30) + 5, settings.HUIYIN_NOTIFY_LEASE_SECONDS / 2))
    try:
        for row in rows:
            if timezone.now() + margin >= row.next_attempt_at:
                result.left += 1
                continue
            try:
                if row.channel == NotifyChannel.EMAIL:
                    message = _email_for(row)
                    if mail_connection is None:
                        mail_connection = get_connection(fail_silently=False)
                    message.connection = mail_connection
                    message.send(fail_silently=False)
                elif row.channel == NotifyChannel.SMS:
                    if sms_backend is None:
                        sms_backend = get_sms_backend()
                    _send_sms(row, sms_backend)
                else:
                    raise PermanentDeliveryError(f"channel {row.channel} is not delivered by the worker")
            except PermanentDeliveryError as exc:
                _mark_failed(row, timezone.now(), exc)
                result.failed += 1
            except Exception as exc:  # any transient failure: retry later, never drop
                _mark_retry(row, timezone.now(), exc)
                result.retried += 1
                logger.warning(
                    "notification %s not delivered (attempt %s): %s", row.message_id, row.attempts, _safe_error(exc)
                )
                if row.channel == NotifyChannel.EMAIL and mail_connection is not None:
                    _close_quietly(mail_connection)
                    mail_connection = None
            else:
                _record_sent(row, timezone.now())
                result.sent += 1
    finally:
        if mail_connection is not None:
            _close_quietly(mail_connection)
    return result


def _close_quietly(mail_connection: Any) -> None:
    # Closing a broken connection may fail too; there is nothing more to do about it.
    with contextlib.suppress(Exception):
        mail_connection.close()


def outbox_retry_now(*, ids: Iterable[int], now: datetime | None = None) -> int:
    """Let failed or waiting rows be delivered on the next run (an administrator's action)."""
    return (
        OutboxMessage.objects.filter(Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.FAILED))
        .filter(pk__in=list(ids))
        .exclude(channel=NotifyChannel.INBOX)
        .update(status=DeliveryStatus.PENDING, next_attempt_at=now or timezone.now(), updated_at=timezone.now())
    )
