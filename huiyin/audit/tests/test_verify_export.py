"""Auditors verify the chain and export the log from the log page; both are recorded in the log itself."""

from __future__ import annotations

import html
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db, office):
    records = [
        audit_record(actor=office, action=AuditAction.IDENTITY_VIEW, object_type="test", object_id=str(n))
        for n in range(1, 4)
    ]
    records.append(
        audit_record(
            actor=None,
            action=AuditAction.EXPORT,
            object_type="test",
            object_id="4",
            # Text a spreadsheet would run as a formula, as a detail value may hold.
            detail={"note": '=HYPERLINK("http://evil.example","x")', "document": "stats_ledger"},
        )
    )
    return records


def _page(client) -> str:
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _person(name: str, username: str) -> str:
    return gettext("%(name)s (%(username)s)") % {"name": name, "username": username}


def _checks():
    return list(AuditRecord.objects.filter(action=AuditAction.CHAIN_VERIFY).order_by("seq"))


def test_page_says_the_chain_was_never_verified_and_offers_both_tools(client, auditor, chain):
    client.force_login(auditor)
    page = _page(client)
    assert gettext("The chain has not been verified yet.") in page
    assert 'id="verify-chain"' in page and 'id="export-link"' in page


def test_verifying_an_intact_chain_says_so_and_is_recorded(client, auditor, chain):
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"))
    assert response.status_code == 302 and response.url == reverse("audit:list")
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == [gettext("The audit chain is intact: %(count)s records checked.") % {"count": 4}]

    (check,) = _checks()
    assert check.actor_id == auditor.pk and check.detail == {"intact": True, "checked": 4}
    page = _page(client)
    status = page.split('id="chain-status">', 1)[1].split("</p>", 1)[0]
    assert _person("孙审计", "auditor") in status and "4" in status and gettext("Records checked") not in status
    # The check itself is in the chain, and a later check covers it.
    assert audit_verify().ok and audit_verify().checked == 5


def test_a_tampered_record_is_named_on_the_page_and_in_the_log(client, auditor, chain):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditRecord._meta.db_table} SET actor_name = %s WHERE seq = %s",  # noqa: S608
            ["mallory", 2],
        )
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"), follow=True)
    fault = gettext("A record's content does not match its hash")
    expected = gettext("The audit chain is broken at record #%(seq)s: %(fault)s. Tell the system administrator.") % {
        "seq": 2,
        "fault": fault,
    }
    assert [str(m) for m in response.context["messages"]] == [expected]

    (check,) = _checks()
    assert check.detail == {"intact": False, "checked": 2, "broken_at": 2, "reason": "chain_content"}
    page = _page(client)
    status = page.split('id="chain-status">', 1)[1].split("</p>", 1)[0]
    broken = gettext("Chain last verified %(when)s by %(who)s: broken at record #%(seq)s (%(fault)s).")
    assert broken.split("%(seq)s")[0].split("%(who)s")[1] + "2" in status and fault in status
    # The record of the check reads in words in the table too.
    table = page.split("<tbody>", 1)[1].split("</details>", 1)[0]
    assert gettext("Audit chain verified") in table and fault in table and gettext("First broken record") in table


def test_verify_needs_the_auditor_permission_and_a_post(client, clerk, auditor, chain):
    client.force_login(clerk)
    assert client.post(reverse("audit:verify")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("audit:verify")).status_code == 405
    assert _checks() == []
    assert not AuditRecord.objects.filter(object_type="audit.log").exists()


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    assert response["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_the_filtered_records_newest_first_and_is_recorded(client, auditor, chain):
    client.force_login(auditor)
    wb = _workbook(client.get(reverse("audit:export"), {"action": AuditAction.IDENTITY_VIEW}))
    log, about = wb.worksheets
    rows = list(log.iter_rows(values_only=True))
    assert rows[0][:3] == (gettext("Sequence"), gettext("Time"), gettext("Actor"))
    assert [r[0] for r in rows[1:]] == [3, 2, 1]
    assert {r[2] for r in rows[1:]} == {_person("李信访", "office")}
    assert {r[3] for r in rows[1:]} == {str(AuditAction.IDENTITY_VIEW.label)}
    stored = {r.seq: r for r in chain}
    assert [(r[8], r[9]) for r in rows[1:]] == [(stored[s].prev_hash, stored[s].hash) for s in (3, 2, 1)]

    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert facts[gettext("Records")] == "3"
    assert facts[gettext("Filter")] == f"{gettext('Action')}：{AuditAction.IDENTITY_VIEW.label}"
    assert _person("孙审计", "auditor") in facts[gettext("Exported by")]

    export = AuditRecord.objects.filter(action=AuditAction.EXPORT, object_type="audit.log").get()
    assert export.actor_id == auditor.pk
    assert export.detail == {"document": "audit_log", "records": 3, "filter": {"action": "identity.view"}}
    table = _page(client).split("<tbody>", 1)[1].split("</details>", 1)[0]
    assert gettext("Audit log (Excel)") in table and gettext("Records exported") in table
    assert gettext("Identity viewed") in table  # the filter's action by its name, not its code
    assert audit_verify().ok


def test_export_keeps_formula_text_as_text(client, auditor, chain):
    client.force_login(auditor)
    wb = _workbook(client.get(reverse("audit:export"), {"action": AuditAction.EXPORT}))
    cells = [c for row in wb.worksheets[0].iter_rows(min_row=2) for c in row]
    raw = next(c for c in cells if isinstance(c.value, str) and c.value.startswith('{"document"'))
    assert raw.data_type == "s"
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like == []  # the detail cell starts with its label, the raw JSON with a brace
    assert not any(c.data_type == "f" for c in cells)


def test_export_of_a_bad_filter_or_too_many_records_is_refused_and_changes_nothing(client, auditor, chain, settings):
    client.force_login(auditor)
    before = AuditRecord.objects.count()
    # A hand-made URL with a bad date goes back to the page, which names the field and its error.
    response = client.get(reverse("audit:export"), {"from": "2026-13-01"})
    assert response.status_code == 302 and response.url == reverse("audit:list") + "?from=2026-13-01"
    page = html.unescape(client.get(response.url).content.decode())
    assert gettext("Enter the date as YYYY-MM-DD.") in page and 'id="export-link"' not in page

    settings.HUIYIN_AUDIT_EXPORT_MAX_ROWS = 3
    response = client.get(reverse("audit:export"), follow=True)
    message = [str(m) for m in response.context["messages"]]
    assert message == [
        gettext("The filter selects {count} records; an export holds at most {limit}. Narrow the filter.").format(
            count=4, limit=3
        )
    ]
    assert AuditRecord.objects.count() == before


def test_the_export_record_names_its_filter_in_words_and_an_unfiltered_one_says_so(client, auditor, chain):
    client.force_login(auditor)
    _workbook(client.get(reverse("audit:export")))
    _workbook(client.get(reverse("audit:export"), {"action": AuditAction.IDENTITY_VIEW, "from": "2026-01-01"}))
    rows = _page(client).split("<tbody>", 1)[1].split("<tr>")
    filtered, whole = rows[1], rows[2]
    assert gettext("None (the whole log)") in whole
    assert f"{gettext('Action')}：{AuditAction.IDENTITY_VIEW.label}；{gettext('From date')}：2026-01-01" in filtered


def test_times_in_the_export_are_whole_seconds_as_on_the_page(client, auditor, chain):
    client.force_login(auditor)
    wb = _workbook(client.get(reverse("audit:export")))
    times = [row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert times and all(t.microsecond == 0 for t in times)


def test_the_daily_check_records_itself_and_tells_the_auditors_once_per_break(client, auditor, clerk, chain):
    from huiyin.audit.services import audit_check_scheduled
    from huiyin.core.scheduling import JOBS
    from huiyin.notify.services import inbox_for

    assert JOBS["audit.verify"].func is audit_check_scheduled and JOBS["audit.verify"].every_seconds == 24 * 3600
    assert audit_check_scheduled() == {"intact": True, "checked": 4, "broken_at": None}
    (check,) = _checks()
    assert check.actor_id is None and check.detail == {"intact": True, "checked": 4}
    assert not inbox_for(auditor).exists()
    client.force_login(auditor)
    page = _page(client)
    status = page.split('id="chain-status">', 1)[1].split("</p>", 1)[0]
    assert gettext("the daily check") in status
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]  # the check's own row names it too
    assert f'<td data-label="{gettext("Actor")}">{gettext("the daily check")}</td>' in row

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE seq = 2")  # noqa: S608
    assert audit_check_scheduled()["broken_at"] == 2
    audit_check_scheduled()  # the next day: the same break is not announced again
    (told,) = inbox_for(auditor)
    assert told.title == gettext("The audit chain is broken at record #{seq}").format(seq=2)
    assert gettext("A record is missing") in told.body
    assert told.url == reverse("audit:list") and told.case is None
    assert not inbox_for(clerk).exists()  # only those who read the log


def test_with_a_task_queue_the_pages_check_runs_in_the_background(client, auditor, chain, settings, monkeypatch):
    from huiyin.audit import tasks

    queued = []
    monkeypatch.setattr(tasks.verify_chain_task, "delay", lambda actor_id: queued.append(actor_id))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"), follow=True)
    assert queued == [auditor.pk] and _checks() == []  # nothing checked in the request itself
    from huiyin.audit.views import CHECK_STARTED

    assert [str(m) for m in response.context["messages"]] == [str(CHECK_STARTED)]
    # The worker's run: recorded under the auditor's name, as the page's check is.
    assert tasks.verify_chain_task.run(auditor.pk) == {"intact": True, "checked": 4, "broken_at": None}
    (check,) = _checks()
    assert check.actor_id == auditor.pk
