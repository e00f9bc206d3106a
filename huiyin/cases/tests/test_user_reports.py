"""Defects found walking the demo as real users: late completion shown as on time, categories and
reasons, the extension decision form, identity unsealing on accusations, reassignment to the same
people, telling people apart in pickers, the phone label and petitioner steps on the timeline."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from huiyin.cases import services as s
from huiyin.cases.actions import ACTIONS
from huiyin.cases.models import Category, EventKind
from huiyin.cases.states import CaseStatus
from huiyin.cases.templatetags.cases_tags import clock
from huiyin.core.errors import DomainError
from huiyin.notify.models import OutboxMessage
from huiyin.org.services import user_create
from huiyin.workflow.models import Deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")


def cat(code):
    return Category.objects.get(code=code)


def action_url(case, name):
    return reverse("cases:action", args=[case.pk, name])


# 1. A deadline met late is never shown as met on time --------------------------------------------


def _met(due: date, met_on: date, hour: int = 23) -> Deadline:
    return Deadline(
        due=due, party="unit", met_at=datetime(met_on.year, met_on.month, met_on.day, hour, tzinfo=SHANGHAI)
    )


def test_a_deadline_met_on_its_due_day_is_on_time():
    state = clock(_met(date(2026, 3, 10), date(2026, 3, 10)), date(2026, 4, 1))
    assert state == {"css": "ok", "text": gettext("Completed on time"), "late": 0}


@pytest.mark.parametrize("days", [1, 3])
def test_a_deadline_met_after_its_due_day_is_shown_late_with_a_warning(days):
    # 23:00 in Shanghai is the next day in UTC: the local date decides.
    state = clock(_met(date(2026, 3, 10), date(2026, 3, 10) + timedelta(days=days)), date(2026, 4, 1))
    assert state["late"] == days and "ok" not in state["css"].split()
    assert state["text"] == ngettext("Completed {days} day late", "Completed {days} days late", days).format(days=days)


def test_the_case_page_shows_a_late_completion(client, office, in_handling_case, english):
    clock_row = in_handling_case.deadlines.get(kind="handle")
    Deadline.objects.filter(pk=clock_row.pk).update(
        met_at=datetime.combine(clock_row.due + timedelta(days=2), datetime.min.time(), SHANGHAI).replace(hour=10)
    )
    client.force_login(office)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    handle = page.split('id="clocks"')[1].split("Handle and reply")[1].split("</li>")[0]
    assert "Completed 2 days late" in handle and "Completed on time" not in handle


# 2. Changing a category needs a reason; accepting needs a category --------------------------------


def test_changing_a_category_without_a_reason_is_refused_and_changes_nothing(case, office):
    s.case_categorise(case=case, actor=office, category=cat("wages"))  # the first one needs no reason
    events = case.events.count()
    with pytest.raises(DomainError) as refused:
        s.case_categorise(case=case, actor=office, category=cat("housing"), reason="   ")
    assert refused.value.message == gettext("Give the reason for changing the category.")
    assert "reason" in refused.value.fields
    case.refresh_from_db()
    assert case.category == cat("wages") and case.events.count() == events


def test_the_change_form_requires_the_reason(client, office, case, english):
    s.case_categorise(case=case, actor=office, category=cat("wages"))
    client.force_login(office)
    response = client.post(action_url(case, "categorise"), {"category": cat("housing").pk, "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    case.refresh_from_db()
    assert case.category == cat("wages")


def test_accepting_without_any_category_is_refused_on_the_page(client, office, case, english):
    assert case.category_id is None
    client.force_login(office)
    response = client.post(action_url(case, "accept"), {"category": "", "note": ""})
    assert response.status_code == 400 and gettext("Choose a category.") in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.category_id is None


def test_the_accept_service_refuses_a_missing_category_for_the_command(case, office):
    with pytest.raises(DomainError) as refused:
        s.case_accept(case=case, actor=office, require_category=True)
    assert refused.value.message == gettext("Choose a category.")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_accepting_with_a_category_or_one_already_set_works(client, office, make_case):
    client.force_login(office)
    bare = make_case()
    assert client.post(action_url(bare, "accept"), {"category": cat("wages").pk, "note": ""}).status_code == 302
    bare.refresh_from_db()
    assert (bare.status, bare.category) == (CaseStatus.ACCEPTED, cat("wages"))
    preset = make_case(category=cat("housing"))
    form = ACTIONS["accept"].make_form(preset, office)
    assert not form.fields["category"].required
    assert client.post(action_url(preset, "accept"), {"category": "", "note": ""}).status_code == 302
    preset.refresh_from_db()
    assert (preset.status, preset.category) == (CaseStatus.ACCEPTED, cat("housing"))


# 4. The extension decision shows the request --------------------------------------------------------


def test_the_extension_decision_form_shows_the_request_and_the_new_date(client, in_handling_case, handler, leader):
    ext = s.case_extension_request(case=in_handling_case, actor=handler, days=12, reason="需调取三年工资台账")
    current = in_handling_case.deadlines.get(kind="handle").due
    client.force_login(leader)
    html = client.get(action_url(in_handling_case, "decide_extension")).content.decode()
    summary = html.split('id="action-summary"')[1].split("</dl>")[0]
    assert handler.display_name in summary and "12" in summary and ext.reason in summary
    # Dates as Chinese readers write them (2027年1月25日), not ISO.
    shown = [date(*map(int, d)) for d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", summary)]
    assert shown[0] == current and shown[-1] > current
    assert not re.search(r"\d{4}-\d{2}-\d{2}", summary)
    # What the approval then does is what the form said.
    client.post(action_url(in_handling_case, "decide_extension"), {"decision": "approve", "note": ""})
    assert in_handling_case.deadlines.get(kind="handle").due == shown[-1]


# 5. Identities on an accusation: ask the custodian first --------------------------------------------


@pytest.fixture
def accusation(make_case):
    return make_case(type="accusation", subject="检举一厂某科长违规报销", content="一厂某科长多次虚开发票报销。")


def test_without_approval_the_page_offers_the_request_not_a_form_that_fails(client, discipline, accusation, english):
    client.force_login(discipline)
    page = client.get(accusation.get_absolute_url()).content.decode()
    identity = page.split('id="identity"')[1].split("</div>")[0]
    assert reverse("cases:identity", args=[accusation.pk]) not in identity
    assert action_url(accusation, "request_unseal") in identity
    assert "Ask a custodian to unseal identities" in identity


def test_a_pending_request_is_explained_and_an_approval_brings_the_form(
    client, discipline, custodian, accusation, english
):
    from huiyin.people.services import unseal_request_create, unseal_request_decide

    request = unseal_request_create(case=accusation, actor=discipline, reason="核查需要，调查取证")
    client.force_login(discipline)
    page = client.get(accusation.get_absolute_url()).content.decode()
    identity = page.split('id="identity"')[1].split("</div>")[0]
    assert gettext("Your request is already waiting for a custodian.") in identity
    assert reverse("cases:identity", args=[accusation.pk]) not in identity
    unseal_request_decide(request=request, actor=custodian, approve=True)
    page = client.get(accusation.get_absolute_url()).content.decode()
    assert reverse("cases:identity", args=[accusation.pk]) in page.split('id="identity"')[1]


def test_an_ordinary_case_keeps_the_form(client, discipline, office, case):
    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:identity", args=[case.pk]) in page


# 6. Reassigning to the same people -----------------------------------------------------------------


def _assigned_items(user):
    return OutboxMessage.objects.filter(user=user, channel="inbox", kind="case.assigned").count()


def test_reassigning_to_the_same_people_is_refused_and_tells_nobody_again(
    in_handling_case, office, leader, handler, org
):
    before = (_assigned_items(leader), _assigned_items(handler), in_handling_case.events.count())
    with pytest.raises(DomainError) as refused:
        s.case_assign(
            case=in_handling_case,
            actor=office,
            handling_unit=org["a_plant"],
            leader=leader,
            team=[handler],
            plan="核实考勤与工资发放记录",
        )
    assert "leader" in refused.value.fields
    assert (_assigned_items(leader), _assigned_items(handler), in_handling_case.events.count()) == before


def test_the_reassign_page_shows_the_refusal(client, in_handling_case, office, leader, handler, org, english):
    client.force_login(office)
    data = {
        "handling_unit": org["a_plant"].pk,
        "leader": leader.pk,
        "team": [handler.pk],
        "plan": in_handling_case.plan,
    }
    response = client.post(action_url(in_handling_case, "reassign"), data)
    assert response.status_code == 400
    assert "already assigned" in response.content.decode()


def test_a_real_reassignment_tells_only_the_people_newly_given_the_case(in_handling_case, office, leader, handler, org):
    newcomer = user_create(
        username="handler2", password="pw-Huiyin-2026", unit=org["a_plant"], roles=["handler"], full_name="周承办"
    )
    before = (_assigned_items(leader), _assigned_items(handler))
    s.case_assign(
        case=in_handling_case,
        actor=office,
        handling_unit=org["a_plant"],
        leader=leader,
        team=[handler, newcomer],
        plan="增派人员核实",
    )
    assert (_assigned_items(leader), _assigned_items(handler)) == before
    assert _assigned_items(newcomer) == 1


# 7. Telling people apart in pickers ----------------------------------------------------------------


def test_pickers_show_each_persons_company_and_unit(in_handling_case, office, org, django_assert_max_num_queries):
    twin = user_create(
        username="leader_b", password="pw-Huiyin-2026", unit=org["b"], roles=["leader"], full_name="赵领导"
    )
    assert twin.pk
    office.is_superuser = True  # sees both companies
    form = ACTIONS["reassign"].make_form(in_handling_case, office)
    with django_assert_max_num_queries(4):
        labels = [label for value, label in form.fields["leader"].choices if value]
    assert "赵领导（甲公司）" in labels and "赵领导（乙公司）" in labels
    team = [label for value, label in form.fields["team"].choices if value]
    assert "张承办（甲公司 · 甲公司一厂）" in team


# 8. The petitioner's phone is a phone number, not the "Phone" channel --------------------------------


def test_the_identity_card_labels_the_phone_number(client, office, case, english):
    client.force_login(office)
    identity = client.get(case.get_absolute_url()).content.decode().split('id="identity"')[1]
    assert "Phone number" in identity


# 10. Petitioner steps on the staff timeline --------------------------------------------------------


def test_portal_steps_are_shown_as_the_petitioner_never_as_system(client, office, handler, in_handling_case, english):
    from huiyin.portal.services import PORTAL_ACTOR

    s.case_reply(
        case=in_handling_case, actor=handler, text="经核实，8月加班费已于9月补发。依据《工资支付暂行规定》第十三条。"
    )
    s.case_rate(case=in_handling_case, actor=PORTAL_ACTOR, rating="dissatisfied", comment="仍有差额")
    rated = in_handling_case.events.get(kind=EventKind.RATED)
    assert rated.actor_id is None and rated.data["by"] == "petitioner" and rated.by_petitioner
    client.force_login(office)
    page = client.get(in_handling_case.get_absolute_url()).content.decode()
    item = page.split('class="ev ev-rated"')[1].split("</li>")[0]
    assert "Petitioner" in item and "System" not in item and "刘某某" not in item


def test_steps_without_anyone_stay_system(in_handling_case):
    registered = in_handling_case.events.get(kind=EventKind.REGISTERED)
    assert not registered.by_petitioner
