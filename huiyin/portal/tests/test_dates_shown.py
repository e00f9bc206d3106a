"""The portal writes dates the way Chinese readers do (2026年11月24日); its API keeps ISO dates."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from huiyin.cases.models import Case
from huiyin.core.dates import date_text

ISO = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")


def test_the_case_page_and_my_matters_write_chinese_dates(client, api, employee, reply_case):
    client.force_login(employee)
    response = api.submit(
        {"type": "claim", "subject": "我的事项", "content": "内容", "anonymous": False}, key="dates-key-0001"
    )
    case_no = response.json()["case_no"]
    case = Case.objects.get(case_no=case_no)
    reply = reply_case(case)
    received = date_text(timezone.localtime(case.received_at))

    mine = client.get(reverse("portal:mine")).content.decode()
    assert received in mine and not ISO.search(mine)
    page = client.get(reverse("portal:mine_case", args=[case_no])).content.decode()
    assert received in page and date_text(reply.next_right_due) in page
    assert not ISO.search(page)

    # The API is read by programs: ISO dates there.
    data = api.case(case_no=case_no).json()
    assert data["replies"][0]["next_right_due"] == reply.next_right_due.isoformat()
