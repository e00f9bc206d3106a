"""Staff pages and notices write dates the way Chinese readers do (2026年11月24日), not as ISO dates; ISO
stays where programs read it (the API)."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from huiyin.cases import services as s
from huiyin.core.dates import date_text
from huiyin.notify.models import OutboxMessage

ISO = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
GOOD = "经核实，加班费已于11月20日补发。依据公司《薪酬管理办法》第十二条。"


def test_the_case_page_home_and_inbox_write_chinese_dates(client, in_handling_case, handler, leader):
    case = in_handling_case
    s.reply_draft_save(case=case, actor=handler, text=GOOD, submit=True)
    handle = case.deadlines.get(kind="handle")
    client.force_login(leader)

    page = client.get(case.get_absolute_url()).content.decode()
    assert date_text(timezone.localtime(case.received_at)) in page  # received
    clocks = page[page.index('id="clocks"') :]
    assert f"<b>{date_text(handle.due)}</b>" in clocks
    timeline = page[page.index('id="timeline"') :]
    assert re.search(r"<time>\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}</time>", timeline)
    for url in (case.get_absolute_url(), reverse("home"), reverse("cases:list"), reverse("notify:inbox")):
        assert not ISO.search(client.get(url).content.decode()), url

    # The notice of the assignment gives the reply's due date the same way.
    assigned = OutboxMessage.objects.get(user=handler, channel="inbox", kind="case.assigned")
    assert date_text(handle.due) in assigned.body and not ISO.search(assigned.body)


def test_the_api_keeps_iso_dates(client, in_handling_case, office):
    client.force_login(office)
    response = client.get(f"/api/v1/cases/{in_handling_case.pk}")
    assert response.status_code == 200
    assert ISO.search(response.content.decode())
