"""Regressions found by the fault tests (bench/faults.py): a database restart while the outbox is sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from huiyin.notify import services
from huiyin.notify.models import OutboxMessage
from huiyin.notify.services import notify_staff, outbox_deliver

# Outside a test transaction, like the real sender: the mark is retried on a fresh connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def one_email(leader):
    leader.email = "leader@example.com"
    leader.save(update_fields=["email"])
    notify_staff(users=[leader], kind="test", key="restart-1", title="通知")
    mail.outbox = []
    return OutboxMessage.objects.get(channel="email")


def flaky_mark(monkeypatch, failures):
    """Make recording "sent" fail `failures` times, as when the database restarts after the send."""
    real = services._mark_sent
    calls = []

    def mark(row, at):
        calls.append(row.pk)
        if len(calls) <= failures:
            raise OperationalError("server closed the connection unexpectedly")
        return real(row, at)

    monkeypatch.setattr(services, "_mark_sent", mark)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    return calls


def test_a_database_restart_after_sending_does_not_send_twice(monkeypatch, settings, one_email):
    calls = flaky_mark(monkeypatch, failures=2)
    result = outbox_deliver()
    assert (result.sent, len(calls)) == (1, 3)
    one_email.refresh_from_db()
    assert one_email.status == "sent"
    after_lease = timezone.now() + timedelta(seconds=settings.HUIYIN_NOTIFY_LEASE_SECONDS + 1)
    assert outbox_deliver(now=after_lease).claimed == 0
    assert len(mail.outbox) == 1


def test_a_database_away_past_the_lease_leaves_the_row_to_the_next_run(monkeypatch, settings, one_email):
    settings.HUIYIN_NOTIFY_LEASE_SECONDS = 1  # the lease ends within the first back-off: the error surfaces
    real_sleep = services.time.sleep
    flaky_mark(monkeypatch, failures=100)
    monkeypatch.setattr(services.time, "sleep", real_sleep)
    with pytest.raises(OperationalError):
        outbox_deliver()
    one_email.refresh_from_db()
    assert one_email.status == "pending" and one_email.attempts == 1


def test_a_row_whose_lease_would_run_out_during_the_send_is_left_for_the_next_run(settings, one_email):
    # Another sender may take the row once the lease ends: sending it this late could send it twice.
    settings.EMAIL_TIMEOUT = 30
    claimed_long_ago = timezone.now() - timedelta(seconds=settings.HUIYIN_NOTIFY_LEASE_SECONDS - 10)
    OutboxMessage.objects.filter(pk=one_email.pk).update(next_attempt_at=claimed_long_ago - timedelta(seconds=1))
    result = outbox_deliver(now=claimed_long_ago)
    assert (result.claimed, result.sent, result.left) == (1, 0, 1)
    assert mail.outbox == []
    one_email.refresh_from_db()
    assert one_email.status == "pending"
    later = timezone.now() + timedelta(seconds=settings.HUIYIN_NOTIFY_LEASE_SECONDS)
    assert outbox_deliver(now=later).sent == 1
    assert len(mail.outbox) == 1
