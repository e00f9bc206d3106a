"""A review (复查) or re-review (复核) waiting for assignment is work for the petition office of the body above the
one that decided, and of the bodies above it (Arts. 35, 36): not for the office of the body that decided."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huiyin.cases import services as s
from huiyin.cases.actions import ACTIONS
from huiyin.cases.models import Case
from huiyin.cases.selectors import my_work, takes_up
from huiyin.notify.models import OutboxMessage
from huiyin.org.services import user_create
from huiyin.workflow.tests.test_review import GOOD, assign, request_next_stage


def to_act(user):
    return [case.pk for case in my_work(user=user, today=timezone.localdate()).to_act]


@pytest.fixture
def plant_office(org):
    """The petition office of 一厂, the branch that handled the first stage."""
    return user_create(
        username="plant_office", password="pw-Huiyin-2026", unit=org["a_plant"], roles=["office"], full_name="一厂信访"
    )


@pytest.fixture
def sibling_office(org):
    """The office of 乙公司, a body beside 甲公司, with the whole of 甲公司 out of its scope anyway."""
    return user_create(
        username="sibling_office", password="pw-Huiyin-2026", unit=org["b"], roles=["office"], full_name="乙公司信访"
    )


@pytest.fixture
def first_handled(in_handling_case, handler, office, plant_office, group_office):
    """一厂 handled and replied; the offices of 一厂, 甲公司 and the group all exist before any request."""
    s.case_reply(case=in_handling_case, actor=handler, text=GOOD)
    in_handling_case.refresh_from_db()
    return in_handling_case


def _told(case):
    return set(
        OutboxMessage.objects.filter(kind="review.requested", channel="inbox", case=case).values_list(
            "user__username", flat=True
        )
    )


def test_a_review_of_a_branchs_decision_is_work_for_the_company_above_and_the_group(
    first_handled, clerk, office, plant_office, group_office
):
    case = request_next_stage(first_handled, clerk)

    assert case.pk in to_act(office) and case.pk in to_act(group_office)
    assert case.pk not in to_act(plant_office)  # 一厂 decided: it does not review itself
    assert _told(case) == {"office", "group_office"}
    assert ACTIONS["assign"].available(case, office) and not ACTIONS["assign"].available(case, plant_office)


def test_a_re_review_of_the_companys_review_is_the_groups_alone(
    first_handled, clerk, office, plant_office, group_office, review_leader, review_handler, org
):
    case = request_next_stage(first_handled, clerk)
    assign(case, office, org["a"], review_leader, [review_handler])
    s.case_reply(case=case, actor=review_handler, text="复查意见：维持原答复。" + GOOD)
    case.refresh_from_db()
    OutboxMessage.objects.all().delete()

    case = request_next_stage(case, clerk)

    assert case.pk in to_act(group_office)
    assert case.pk not in to_act(office) and case.pk not in to_act(plant_office)
    assert _told(case) == {"group_office"}
    assert not takes_up(user=office, case=case) and takes_up(user=group_office, case=case)


def test_the_first_handling_is_anyones_in_scope_as_before(case, office, group_office, sibling_office):
    s.case_accept(case=case, actor=office)
    assert case.pk in to_act(office) and case.pk in to_act(group_office)
    assert case.pk not in to_act(sibling_office)  # out of scope, as ever


def test_at_the_top_the_deciding_body_passes_the_request_on(
    make_case, group_office, leader, handler, clerk, office, org
):
    """The group decided: no body above it is in the organisation, so its own office takes the request up (to
    pass it on to the authority above), while 甲公司's office, below it, does not."""
    case = make_case()
    s.case_accept(case=case, actor=group_office)
    assign(case, group_office, org["group"], leader, [handler])
    s.case_reply(case=case, actor=handler, text=GOOD)
    case = request_next_stage(case, clerk)

    assert case.pk in to_act(group_office) and case.pk not in to_act(office)


def test_the_case_page_says_who_takes_the_request_up(client, first_handled, clerk, office, plant_office, org):
    case = request_next_stage(first_handled, clerk)

    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="next-stage-request"' in page and "第三十五条" in page
    assert reverse("cases:action", args=[case.pk, "assign"]) in page

    client.force_login(plant_office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="next-stage-request"' in page and "甲公司" in page
    assert reverse("cases:action", args=[case.pk, "assign"]) not in page
    before = case.events.count()
    response = client.post(
        reverse("cases:action", args=[case.pk, "assign"]),
        {"handling_unit": org["a"].pk, "plan": "复查"},
    )
    assert response.status_code == 403
    assert case.events.count() == before and Case.objects.get(pk=case.pk).status == case.status


def test_the_panel_is_gone_once_the_review_is_assigned(
    client, first_handled, clerk, office, review_leader, review_handler, org
):
    case = request_next_stage(first_handled, clerk)
    assign(case, office, org["a"], review_leader, [review_handler])
    client.force_login(office)
    assert 'id="next-stage-request"' not in client.get(case.get_absolute_url()).content.decode()


def deadline_lists(user, today):
    work = my_work(user=user, today=today)
    return {case.pk for case in work.due_soon} | {case.pk for case in work.overdue}


def test_a_pending_reviews_clock_is_on_the_list_of_the_office_that_takes_it_up(
    first_handled, clerk, office, plant_office
):
    case = request_next_stage(first_handled, clerk)
    later = timezone.localdate() + timedelta(days=400)  # every clock of the review has run out

    assert case.pk in deadline_lists(office, later)
    assert case.pk not in deadline_lists(plant_office, later)


@pytest.fixture
def workshop_handler(org):
    """A handler of 一厂's workshop who took no part in the first handling."""
    return user_create(
        username="workshop_handler",
        password="pw-Huiyin-2026",
        unit=org["a_workshop"],
        roles=["handler"],
        full_name="车间承办",
    )


def test_an_assigned_review_is_the_reviewing_bodys_work_and_its_teams(
    first_handled, clerk, office, plant_office, group_office, review_leader, review_handler, workshop_handler, org
):
    case = request_next_stage(first_handled, clerk)
    assign(case, office, org["a"], review_leader, [review_handler, workshop_handler])
    case.refresh_from_db()
    later = timezone.localdate() + timedelta(days=400)

    for user in (office, group_office):
        assert case.pk in deadline_lists(user, later)
        assert ACTIONS["reassign"].available(case, user)
    assert case.pk not in deadline_lists(plant_office, later)
    assert not ACTIONS["reassign"].available(case, plant_office)
    # The team works on it wherever they sit: 车间承办 is under 一厂, and it is still theirs.
    assert case.pk in to_act(workshop_handler) and case.pk in to_act(review_handler)
    assert case.pk in to_act(review_leader)


def test_the_home_lists_say_which_clock_puts_a_case_on_them(client, in_handling_case, office, time_machine):
    """Found in a walk-through: a case overdue on one clock and due soon on another was listed twice with nothing
    to tell the two apart. Each row names the clock and its due day."""
    from huiyin.workflow.models import Deadline

    clock = Deadline.objects.get(case=in_handling_case, kind="handle", stage="first")
    later = clock.due + timedelta(days=3)
    overdue = my_work(user=office, today=later).overdue
    assert [c.pk for c in overdue] == [in_handling_case.pk]
    assert overdue[0].list_clock == (clock.get_kind_display(), clock.due)

    time_machine.move_to(timezone.make_aware(datetime.combine(later, time(10, 0))), tick=False)
    client.force_login(office)
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    assert "list-clock" in section and str(clock.get_kind_display()) in section
    assert f"{clock.due.year}年{clock.due.month}月{clock.due.day}日" in section
