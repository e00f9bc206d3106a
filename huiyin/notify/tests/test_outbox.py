"""The transactional outbox: written with the change, delivered at least once, never lost or doubled."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone, translation

from huiyin.cases.services import case_assign, case_extension_decide, case_extension_request
from huiyin.notify.handlers import _provisional
from huiyin.notify.models import OutboxMessage
from huiyin.notify.services import backoff_seconds, notify_staff, outbox_deliver
from huiyin.notify.sms import MemorySmsBackend

FAILING = "huiyin.notify.tests.test_outbox.FailingBackend"
REFUSING = "huiyin.notify.tests.test_outbox.RefusingBackend"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPException("451 temporary local problem")


class RefusingBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        self.open()


@pytest.fixture
def sms(settings):
    settings.HUIYIN_SMS_BACKEND = "huiyin.notify.sms.MemorySmsBackend"
    MemorySmsBackend.outbox = []
    return MemorySmsBackend.outbox


def test_assignment_writes_inbox_and_email_rows_with_the_change(with_emails, in_handling_case, leader, handler):
    rows = OutboxMessage.objects.filter(kind="case.assigned")
    assert sorted(rows.values_list("user__username", "channel")) == [
        ("handler", "email"),
        ("handler", "inbox"),
        ("leader", "email"),
        ("leader", "inbox"),
    ]
    inbox = rows.get(user=leader, channel="inbox")
    assert inbox.status == "sent" and "2027年1月25日" in inbox.body
    with translation.override(settings.LANGUAGE_CODE):
        assert _provisional(True) in inbox.body  # the date rests on the provisional 2027 schedule
    assert len({r.message_id for r in rows}) == 4


def test_outbox_rows_roll_back_with_a_failed_transaction(with_emails, case, office, leader, handler, org):
    from huiyin.cases.services import case_accept

    case_accept(case=case, actor=office)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_assign(case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
        assert OutboxMessage.objects.filter(kind="case.assigned").exists()
        raise RuntimeError("the request failed after the step")
    assert not OutboxMessage.objects.exists()
    case.refresh_from_db()
    assert case.status == "accepted"


def test_the_same_occurrence_is_written_once(with_emails, leader):
    for _ in range(2):
        notify_staff(users=[leader, leader], kind="test", key="occurrence-1", title="t")
    assert OutboxMessage.objects.filter(kind="test").count() == 2  # one inbox, one e-mail


def test_a_failing_smtp_server_delays_and_never_loses(settings, with_emails, in_handling_case, traveller):
    def emails():
        return OutboxMessage.objects.filter(channel="email")

    assert emails().count() == 2
    settings.EMAIL_BACKEND = FAILING
    start = timezone.now()
    result = outbox_deliver()
    assert (result.claimed, result.retried, result.sent) == (2, 2, 0)
    for row in emails():
        assert row.status == "pending" and row.attempts == 1
        assert row.next_attempt_at == start + timedelta(seconds=30)
        assert "SMTPException" in row.last_error
    assert outbox_deliver().claimed == 0  # not due yet

    traveller.move_to(start + timedelta(seconds=31))
    settings.EMAIL_BACKEND = REFUSING
    assert outbox_deliver().retried == 2
    row = emails().first()
    assert row.attempts == 2 and row.next_attempt_at == start + timedelta(seconds=31 + 60)
    assert "ConnectionRefusedError" in row.last_error

    traveller.move_to(start + timedelta(seconds=200))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver().sent == 2
    assert outbox_deliver().claimed == 0
    traveller.move_to(start + timedelta(days=1))
    assert outbox_deliver().claimed == 0
    assert len(mail.outbox) == 2
    sent = {m.to[0]: m for m in mail.outbox}
    row = emails().get(user__email="leader@example.com")
    assert row.status == "sent" and row.attempts == 3 and row.last_error == ""
    message = sent["leader@example.com"]
    assert message.extra_headers["X-Huiyin-Message-Id"] == str(row.message_id)
    assert message.extra_headers["Message-ID"].startswith(f"<{row.message_id}@")
    assert in_handling_case.subject not in message.body and in_handling_case.case_no in message.subject


def test_backoff_is_exponential_and_capped(settings):
    settings.HUIYIN_NOTIFY_RETRY_SECONDS = 30
    settings.HUIYIN_NOTIFY_RETRY_MAX_SECONDS = 3600
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def test_a_row_without_an_address_fails_permanently(with_emails, in_handling_case, leader):
    leader.email = ""
    leader.save(update_fields=["email"])
    result = outbox_deliver()
    assert (result.sent, result.failed) == (1, 1)
    assert OutboxMessage.objects.get(user=leader, channel="email").status == "failed"


def test_petitioner_is_told_an_extension_by_sms_without_the_number_leaving_the_vault(
    sms, in_handling_case, handler, leader
):
    ext = case_extension_request(case=in_handling_case, actor=handler, days=8, reason="需调取三年工资台账")
    case_extension_decide(extension=ext, actor=leader, approve=True)
    row = OutboxMessage.objects.get(channel="sms")
    assert row.petitioner_id == in_handling_case.petitioner_id and row.user is None
    assert "2027年2月1日" in row.body and "需调取三年工资台账" in row.body
    assert "13800001111" not in row.body and "13800001111" not in row.title
    assert OutboxMessage.objects.filter(user=handler, kind="extension.decided").exists()
    assert outbox_deliver().sent == 1
    assert sms == [{"to": "13800001111", "text": row.body, "message_id": str(row.message_id)}]


def test_a_failing_sms_gateway_never_stores_the_number(settings, in_handling_case, handler, leader):
    settings.HUIYIN_SMS_BACKEND = "huiyin.notify.tests.test_outbox.LeakyGateway"
    ext = case_extension_request(case=in_handling_case, actor=handler, days=5, reason="原因")
    case_extension_decide(extension=ext, actor=leader, approve=True)
    assert outbox_deliver().retried == 1
    row = OutboxMessage.objects.get(channel="sms")
    assert "13800001111" not in row.last_error and row.status == "pending"


class LeakyGateway:
    def send(self, *, to, text, message_id):
        raise OSError(f"gateway rejected {to}")


def test_reply_notice_states_the_next_right_and_its_deadline(sms, replied_case):
    row = OutboxMessage.objects.get(channel="sms", kind="reply.petitioner")
    assert "2026年12月24日" in row.body and replied_case.case_no in row.body


def test_anonymous_petitioners_are_not_contacted(sms, make_case, office):
    from huiyin.cases.services import case_not_accept

    case = make_case(anonymous=True, petitioner=None)
    case_not_accept(case=case, actor=office, reason="同一事项已经复核终结")
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    named = make_case()
    case_not_accept(case=named, actor=office, reason="同一事项已经复核终结")
    assert "同一事项已经复核终结" in OutboxMessage.objects.get(channel="sms", case=named).body


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_send_twice(settings, with_emails, org, leader, handler, office):
    if connection.vendor != "postgresql":
        pytest.skip("needs SELECT … FOR UPDATE SKIP LOCKED: PostgreSQL")
    settings.EMAIL_BACKEND = "huiyin.notify.tests.test_outbox.CountingBackend"
    CountingBackend.sent = []
    for n in range(60):
        notify_staff(users=[leader, handler, office], kind="load", key=f"load-{n}", title=f"通知 {n}")
    assert OutboxMessage.objects.filter(channel="email").count() == 180
    barrier = threading.Barrier(4)

    def worker():
        from django.db import connections

        barrier.wait()
        try:
            while outbox_deliver(batch=7).claimed:
                pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ids = [m.extra_headers["X-Huiyin-Message-Id"] for m in CountingBackend.sent]
    assert len(ids) == 180 and len(set(ids)) == 180
    assert not OutboxMessage.objects.filter(channel="email").exclude(status="sent").exists()


class CountingBackend(BaseEmailBackend):
    sent: list = []
    lock = threading.Lock()

    def send_messages(self, messages):
        with CountingBackend.lock:
            CountingBackend.sent.extend(messages)
        return len(messages)


def test_the_accused_loses_the_cases_notifications_with_the_case(
    with_emails, in_handling_case, handler, office, client
):
    """A team member later recorded as the accused (Art. 30): the inbox item naming the matter goes, and the
    e-mail not yet sent is never sent; a notification about no case still is."""
    from huiyin.notify.services import inbox_for, inbox_unread_count
    from huiyin.people.services import accused_add

    case = in_handling_case
    assert inbox_for(handler).filter(case=case).count() == 1
    client.force_login(handler)
    assert case.subject in client.get("/notify/").content.decode()

    accused_add(case=case, actor=office, name="张承办", user=handler)

    assert inbox_for(handler).filter(case=case).count() == 0
    assert inbox_unread_count(handler) == 0
    page = client.get("/notify/").content.decode()
    assert case.subject not in page and case.case_no not in page
    notify_staff(users=[handler], kind="test", key="test:not-about-a-case", title="与事项无关的通知")
    result = outbox_deliver()
    # The leader above the accused loses sight of the case too (their reporting line), so theirs fails as well.
    assert (result.sent, result.failed) == (1, 2)
    assert [m.subject for m in mail.outbox] == ["[回音] 与事项无关的通知"]
    failed = OutboxMessage.objects.get(user=handler, channel="email", case=case)
    assert failed.status == "failed" and "no longer in the recipient's scope" in failed.last_error
