"""Staff are told when a petitioner writes on the portal or requests a review (复查/复核) there."""

from __future__ import annotations

from django.utils.translation import gettext

from huiyin.cases.services import case_reply, case_transition
from huiyin.notify.handlers import notify_on_petitioner_message
from huiyin.notify.models import OutboxMessage
from huiyin.portal.services import message_from_petitioner, portal_request_review

MESSAGE = "请问我的事项办到哪一步了？"


def _told(kind):
    return set(OutboxMessage.objects.filter(kind=kind, channel="inbox").values_list("user__username", flat=True))


def test_a_petitioner_message_tells_the_handling_team_and_leader(in_handling_case, office, clerk):
    message = message_from_petitioner(case=in_handling_case, text=MESSAGE)

    assert _told("message.petitioner") == {"handler", "leader"}
    item = OutboxMessage.objects.get(kind="message.petitioner", channel="inbox", user__username="handler")
    assert item.title == gettext("New message from the petitioner on case {case_no}").format(
        case_no=in_handling_case.case_no
    )
    assert MESSAGE not in item.title and item.body == MESSAGE  # the text only in the inbox
    assert item.case_id == in_handling_case.pk and item.url == in_handling_case.get_absolute_url()

    # Reporting the same message again adds nothing; a second message is a second notice.
    count = OutboxMessage.objects.filter(kind="message.petitioner").count()
    notify_on_petitioner_message(message)
    assert OutboxMessage.objects.filter(kind="message.petitioner").count() == count
    message_from_petitioner(case=in_handling_case, text="补充一句。")
    assert OutboxMessage.objects.filter(kind="message.petitioner", channel="inbox").count() == 4


def test_a_message_on_an_unassigned_case_tells_the_petition_office(case, office, clerk, other_unit_clerk, handler):
    message_from_petitioner(case=case, text=MESSAGE)

    assert _told("message.petitioner") == {"office"}  # not the clerk, not another company's office


def test_a_message_on_an_accusation_goes_to_discipline_inspection_only(make_case, office, discipline):
    report = make_case(type="accusation", subject="检举某科长收受好处", anonymous=True, petitioner=None)

    message_from_petitioner(case=report, text="补充线索：时间是9月。")

    assert _told("message.petitioner") == {"discipline"}


def test_a_review_request_tells_the_petition_office(replied_case, office, handler, leader, other_unit_clerk):
    portal_request_review(case=replied_case, reason="工资卡上没有看到补发记录。")

    assert _told("review.requested") == {"office"}
    item = OutboxMessage.objects.get(kind="review.requested", channel="inbox")
    assert item.title == gettext("Review requested for case {case_no}").format(case_no=replied_case.case_no)
    assert "工资卡上没有看到补发记录。" in item.body and "工资卡" not in item.title


def test_a_re_review_request_is_named_as_such(replied_case, office, handler, leader):
    portal_request_review(case=replied_case, reason="不同意。")
    replied_case.refresh_from_db()
    case_transition(case=replied_case, to="in_handling", actor=office)
    case_reply(case=replied_case, actor=handler, text="复查意见：维持原答复。")
    replied_case.refresh_from_db()

    portal_request_review(case=replied_case, reason="仍不同意，请求复核。")

    titles = list(
        OutboxMessage.objects.filter(kind="review.requested", user=office)
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles == [
        gettext("Review requested for case {case_no}").format(case_no=replied_case.case_no),
        gettext("Re-review requested for case {case_no}").format(case_no=replied_case.case_no),
    ]
