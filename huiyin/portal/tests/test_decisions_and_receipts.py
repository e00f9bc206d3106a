"""QA walk-through (s11): what the portal tells a petitioner about a decision not to handle the matter as a
petition, the answers of each stage under their own names, and receipt texts that stay true.

Given/when/then; staff act through the same services their pages use.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.cases.models import Case
from huiyin.cases.services import (
    case_assign,
    case_forward,
    case_not_accept,
    case_note_add,
    case_redirect,
    case_reply,
    next_stage_request_due,
)
from huiyin.cases.states import CaseStatus, LawfulChannel
from huiyin.clock.rules import DISCIPLINE, NATIONAL_2022
from huiyin.core.dates import date_text
from huiyin.portal.notices import acceptance_notice
from huiyin.portal.tests.test_pages import RECEIPT, form_body
from huiyin.workflow.models import Deadline, DeadlineKind

REDIRECT_REASON = "工资争议属于劳动争议，应向劳动人事争议仲裁委员会申请仲裁。"
FORWARD_REASON = "该事项属于乙公司管理范围。"
NOT_ACCEPT_REASON = "同一事实和理由已经复核终结。"
INTERNAL_NOTE = "内部：此人多次来访，注意情绪"


def _open_with_receipt(client, receipt):
    opened = client.post(reverse("portal:track"), {"receipt": receipt})
    assert opened.status_code == 302
    return client.get(reverse("portal:case")).content.decode()


def _section(html, section_id):
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


# 1. Decisions: redirected, forwarded, not accepted ----------------------------------------------


def test_a_redirected_matter_shows_the_lawful_channel_reason_and_next_right(client, api, submitted, office):
    case, receipt = submitted
    case_note_add(case=case, actor=office, text=INTERNAL_NOTE)

    case_redirect(case=case, actor=office, channel=LawfulChannel.ARBITRATION, reason=REDIRECT_REASON)

    page = _open_with_receipt(client, receipt)
    decision = _section(page, "decision")
    assert str(CaseStatus.REDIRECTED.label) in decision
    assert str(LawfulChannel.ARBITRATION.label) in decision
    assert REDIRECT_REASON in decision
    next_right = gettext(
        "You may pursue the matter through {channel}. That procedure has its own time limits; ask the body "
        "that handles it."
    ).format(channel=LawfulChannel.ARBITRATION.label)
    assert next_right in decision
    assert date_text(timezone.localdate()) in decision
    # Only what the petitioner was told: no staff names, no internal notes.
    assert office.display_name not in page and INTERNAL_NOTE not in page

    data = api.case(receipt).json()
    assert data["decision"] == {
        "kind": "redirected",
        "label": str(CaseStatus.REDIRECTED.label),
        "decided_on": timezone.localdate().isoformat(),
        "channel": "arbitration",
        "channel_label": str(LawfulChannel.ARBITRATION.label),
        "forwarded_to": None,
        "reason": REDIRECT_REASON,
        "next_right": next_right,
        "next_right_due": None,
    }
    assert office.display_name not in str(data) and INTERNAL_NOTE not in str(data)


def test_a_forwarded_matter_shows_the_body_it_went_to(client, api, submitted, office):
    case, receipt = submitted

    case_forward(case=case, actor=office, to_whom="乙公司信访办", reason=FORWARD_REASON)

    decision = _section(_open_with_receipt(client, receipt), "decision")
    assert str(CaseStatus.FORWARDED.label) in decision and "乙公司信访办" in decision and FORWARD_REASON in decision
    data = api.case(receipt).json()["decision"]
    assert data["kind"] == "forwarded" and data["forwarded_to"] == "乙公司信访办" and data["channel"] is None
    assert data["reason"] == FORWARD_REASON
    assert data["next_right"] == gettext(
        "{body} will handle the matter and tell you the result; follow it up with them."
    ).format(body="乙公司信访办")


def test_a_signed_in_petitioner_sees_why_the_matter_was_not_accepted(client, api, employee, office):
    client.force_login(employee)
    body = {"type": "claim", "subject": "我的事项", "content": "内容", "anonymous": False}
    case_no = api.submit(body, key="named-decision-01").json()["case_no"]
    case = Case.objects.get(case_no=case_no)

    case_not_accept(case=case, actor=office, reason=NOT_ACCEPT_REASON)

    page = client.get(reverse("portal:mine_case", args=[case_no])).content.decode()
    decision = _section(page, "decision")
    assert str(CaseStatus.NOT_ACCEPTED.label) in decision and NOT_ACCEPT_REASON in decision
    assert 'id="decision-channel"' not in decision and 'id="decision-forwarded-to"' not in decision
    # The row is headed "the decision" (决定), not a leader's sign-off opinion (审批意见, the same English word)
    assert "<dt>决定</dt>" in decision and "审批意见" not in decision
    data = api.case(case_no=case_no).json()["decision"]
    assert data["kind"] == "not_accepted" and data["reason"] == NOT_ACCEPT_REASON
    assert data["next_right"] == gettext(
        "The matter will not be handled as a petition. If you have new facts or reasons, you may submit them "
        "as a new matter."
    )


def test_no_decision_card_while_the_matter_is_handled(client, api, submitted, reply_case):
    case, receipt = submitted
    assert 'id="decision"' not in _open_with_receipt(client, receipt)
    reply_case(case)
    assert 'id="decision"' not in client.get(reverse("portal:case")).content.decode()
    assert api.case(receipt).json()["decision"] is None


# 3. Each answer and rating under its stage -------------------------------------------------------


def test_after_a_review_reply_each_answer_and_rating_carries_its_stage(
    client, api, submitted, reply_case, office, review_leader, review_handler, org
):
    case, receipt = submitted
    reply_case(case, text="第一次答复：已补发。")
    api.post("case/rating", {"rating": "dissatisfied", "comment": "没有补发"}, receipt)
    api.post("case/review-request", {"reason": "工资卡上没有看到补发记录。"}, receipt)
    case.refresh_from_db()
    # The review is 甲公司's, the body above 一厂, with people who took no part in the first reply (Art. 35).
    case_assign(
        case=case, actor=office, handling_unit=org["a"], leader=review_leader, team=[review_handler], plan="复查"
    )
    case_reply(case=case, actor=review_handler, text="复查意见：经复查，已于10月补发。")

    page = _open_with_receipt(client, receipt)

    first, review = _section(page, "stage-first"), _section(page, "stage-review")
    assert f"<h2>{gettext('Reply')}</h2>" in first and "第一次答复" in first
    rated_label = gettext("Your rating of the %(answer)s") % {"answer": gettext("Reply")}
    assert rated_label in first and "没有补发" in first
    assert 'id="rate"' not in first
    review_label = gettext("Review opinion")
    assert f"<h2>{review_label}</h2>" in review and "复查意见：经复查" in review
    assert "工资卡上没有看到补发记录。" in review  # the request that opened the stage
    assert 'id="rate"' in review and gettext("Rate the %(answer)s") % {"answer": review_label} in review
    # In the order they happened.
    order = ["reply-first", "rating-first", "request-review", "reply-review", 'id="rate"']
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)

    data = api.case(receipt).json()
    assert [(r["stage"], r["label"]) for r in data["replies"]] == [
        ("first", gettext("Reply")),
        ("review", review_label),
    ]
    assert data["reply"]["label"] == review_label
    assert [(r["stage"], r["answer_label"]) for r in data["ratings"]] == [("first", gettext("Reply"))]


# 4. Receipt texts -------------------------------------------------------------------------------


def _print_slip(client, clerk, case):
    client.force_login(clerk)
    response = client.post(reverse("portal:receipt_slip", args=[case.case_no]))
    assert response.status_code == 200
    return re.search(r'id="slip-acceptance">([^<]+)<', response.content.decode()).group(1)


def test_a_slip_printed_after_acceptance_and_reply_states_the_status(client, in_handling_case, handler, clerk):
    case = in_handling_case
    case_reply(case=case, actor=handler, text="经核实，已补发。")
    case.refresh_from_db()

    notice = _print_slip(client, clerk, case)

    assert notice == gettext(
        "On {date} the office decided: {decision}. Current status of the matter: {status}."
    ).format(
        date=date_text(timezone.localdate()),
        decision=CaseStatus.ACCEPTED.label,
        status=CaseStatus.REPLIED.label,
    )
    assert clock_text_absent(notice, case)


def clock_text_absent(notice, case):
    """The stale promise (a date to decide by) is gone."""
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER)
    return date_text(clock.due) not in notice


def test_a_slip_for_a_not_accepted_matter_states_the_decision(client, case, office, clerk):
    case_not_accept(case=case, actor=office, reason=NOT_ACCEPT_REASON)
    case.refresh_from_db()

    assert _print_slip(client, clerk, case) == gettext("On {date} the office decided: {decision}.").format(
        date=date_text(timezone.localdate()), decision=CaseStatus.NOT_ACCEPTED.label
    )


def test_the_portal_receipt_of_an_accusation_states_working_days(client, org):
    response = client.post(reverse("portal:home"), form_body(type="accusation", subject="检举某科长收受好处"))
    assert response.status_code == 201 and RECEIPT.search(response.content.decode())
    case = Case.objects.get()
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER)

    notice = re.search(r'id="acceptance-notice">([^<]+)<', response.content.decode()).group(1)

    rule = DISCIPLINE.rules["register"]
    limit = gettext("{days} working days").format(days=rule.days)
    assert limit in notice and date_text(clock.due) in notice
    assert gettext("{days} days").format(days=15) not in notice.replace(date_text(clock.due), "")
    # Anonymous: the Rules' duty to tell a named reporter is not cited as a promise to this one.
    assert rule.article not in notice and "实名" in notice and "回执码" in notice


def test_a_named_accusations_receipt_cites_the_duty_to_tell_the_reporter(make_case):
    report = make_case(type="accusation", subject="检举某科长收受好处")

    notice = acceptance_notice(report)

    assert DISCIPLINE.rules["register"].article in notice and "告知您" in notice


def test_the_portal_receipt_of_a_claim_states_calendar_days(client, org):
    response = client.post(reverse("portal:home"), form_body())
    case = Case.objects.get()
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER)

    notice = re.search(r'id="acceptance-notice">([^<]+)<', response.content.decode()).group(1)

    assert gettext("{days} days").format(days=15) in notice and date_text(clock.due) in notice
    assert NATIONAL_2022.rules["register"].article in notice
    assert gettext("{days} working days").format(days=15) not in notice


# 5. The request period ----------------------------------------------------------------------------


def test_once_the_request_period_ends_the_form_gives_way_to_when_it_ended(
    client, api, submitted, reply_case, time_machine
):
    case, receipt = submitted
    reply_case(case)
    case.refresh_from_db()
    due = next_stage_request_due(case=case)
    page = _open_with_receipt(client, receipt)
    assert 'action="/portal/case/review/#review"' in _section(page, "review") and 'id="review-lapsed"' not in page
    assert api.case(receipt).json()["can_request_review"] is True

    time_machine.move_to(timezone.make_aware(datetime.combine(due + timedelta(days=1), time(10))))

    review = _section(_open_with_receipt(client, receipt), "review")
    assert "<form" not in review and date_text(due) in review and 'id="review-lapsed"' in review
    assert api.case(receipt).json()["can_request_review"] is False
