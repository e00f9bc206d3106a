"""Issue #5.1: category and route suggestions at registration, shown with their reasons, confirmed or
corrected by a person."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.db import connection
from django.urls import reverse

from huiyin.cases.models import Category
from huiyin.cases.services import case_accept, case_categorise
from huiyin.core.errors import DomainError
from huiyin.triage import engine
from huiyin.triage.models import CategoryRoute, Suggestion
from huiyin.triage.services import suggestion_confirm, suggestion_correct, suggestion_dismiss


def cat(code):
    return Category.objects.get(code=code)


def test_registration_suggests_category_by_keywords_with_reasons(case):
    s = Suggestion.objects.get(case=case, kind="category")
    assert (s.category.code, s.source, s.status) == ("wages", "keywords", "open")
    assert ["加班费", s.reasons["terms"][0][1]] == s.reasons["terms"][0]
    assert 0 < s.confidence <= 1
    assert not Suggestion.objects.filter(case=case, kind="route").exists()  # no route configured yet


def test_route_follows_the_deepest_matching_scope(org, make_case):
    wages = cat("wages")
    CategoryRoute.objects.create(category=wages, unit=org["a"])
    CategoryRoute.objects.create(category=wages, scope=org["a_plant"], unit=org["a_workshop"])
    CategoryRoute.objects.create(category=wages, scope=org["b"], unit=org["b"])
    in_plant = make_case(target_unit=org["a_workshop"])
    elsewhere = make_case()
    assert Suggestion.objects.get(case=in_plant, kind="route").unit == org["a_workshop"]
    route = Suggestion.objects.get(case=elsewhere, kind="route")
    assert (route.unit, route.source, route.reasons["category"]) == (org["a"], "route", "wages")


def test_an_accusation_gets_the_discipline_category_and_no_route(org, make_case, client, discipline):
    """An accusation report is discipline inspection's matter whatever its subject (Art. 30): the
    discipline category is suggested, with the text's own guess (wages) as the first alternative, and
    no route, since the wage office may be the accused's own (Art. 30 ¶3)."""
    CategoryRoute.objects.create(category=cat("wages"), unit=org["a"])
    CategoryRoute.objects.create(category=cat("discipline"), unit=org["a"])
    accusation = make_case(
        type="accusation", subject="检举车间主任虚报加班费", content="车间主任虚报加班费，侵吞工资。"
    )
    assert accusation.compartment == "discipline"
    s = Suggestion.objects.get(case=accusation, kind="category")
    assert s.category.code == "discipline" and s.reasons["type"] == "accusation"
    assert s.reasons["alternatives"][0][0] == "wages"
    assert not Suggestion.objects.filter(case=accusation, kind="route").exists()
    client.force_login(discipline)
    assert 'id="suggestion-by-type"' in client.get(accusation.get_absolute_url()).content.decode()
    # Other types keep the text's own category.
    assert Suggestion.objects.get(case=make_case(), kind="category").category.code == "wages"
    assert Suggestion.objects.filter(case=make_case(), kind="route").exists()  # the same route, any other case


def test_a_correction_is_recorded_and_moves_the_route(org, case, office):
    CategoryRoute.objects.create(category=cat("housing"), unit=org["a_plant"])
    s = Suggestion.objects.get(case=case, kind="category")
    suggestion_correct(suggestion=s, actor=office, category=cat("housing"))
    s.refresh_from_db()
    assert (s.status, s.corrected_category.code, s.decided_by) == ("corrected", "housing", office)
    assert s.final_category.code == "housing"
    case.refresh_from_db()
    assert case.category.code == "housing"  # the office's correction is the case's category, as a confirmation is
    route = Suggestion.objects.get(case=case, kind="route")
    assert route.unit == org["a_plant"] and route.is_open
    suggestion_confirm(suggestion=route, actor=office)
    route.refresh_from_db()
    assert route.status == "confirmed"
    # Once the case has a category, a further correction is refused: the case's category is changed on the case.
    with pytest.raises(DomainError):
        suggestion_correct(suggestion=s, actor=office, category=cat("wages"))
    # A decided route is not overwritten when the category changes again.
    case_categorise(case=case, actor=office, category=cat("wages"), reason="重新分类")
    route.refresh_from_db()
    assert route.status == "confirmed" and route.unit == org["a_plant"]


def test_decisions_rules(case, office, org):
    s = Suggestion.objects.get(case=case, kind="category")
    with pytest.raises(DomainError):
        suggestion_correct(suggestion=s, actor=office, category=None)
    inactive = Category.objects.create(code="old", name_zh="旧类", active=False)
    with pytest.raises(DomainError):
        suggestion_correct(suggestion=s, actor=office, category=inactive)
    suggestion_correct(suggestion=s, actor=office, category=s.category)  # correcting to the same = confirming
    s.refresh_from_db()
    assert s.status == "confirmed" and s.corrected_category is None
    # A decided suggestion is not dismissed: the decision is changed by correcting it.
    with pytest.raises(DomainError, match="如需改变决定，请更正"):
        suggestion_dismiss(suggestion=s, actor=office)
    s.refresh_from_db()
    assert s.status == "confirmed" and s.final_category == s.category


@pytest.mark.parametrize(("chosen", "status"), [("wages", "confirmed"), ("housing", "corrected")])
def test_acceptance_with_a_category_decides_the_open_suggestion(case, office, chosen, status):
    case_accept(case=case, actor=office, category=cat(chosen))
    s = Suggestion.objects.get(case=case, kind="category")
    assert (s.status, s.decided_by, s.final_category.code) == (status, office, chosen)


def test_a_triage_failure_never_blocks_registration(make_case, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "category_guess", broken)
    case = make_case()
    assert case.pk and case.events.filter(kind="registered").exists()
    assert not Suggestion.objects.filter(case=case).exists()


def test_office_keywords_replace_the_builtin_ones(make_case):
    from huiyin.triage.models import CategoryKeywords

    CategoryKeywords.objects.create(category=cat("canteen_welfare"), keywords="加班费 夜宵")
    CategoryKeywords.objects.create(category=cat("wages"), keywords="薪水")
    s = Suggestion.objects.get(case=make_case(), kind="category")
    assert s.category.code == "canteen_welfare" and s.reasons["terms"][0][0] == "加班费"


def test_case_page_shows_suggestions_with_reasons(client, clerk, case):
    client.force_login(clerk)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="triage-suggestions"' in page and "加班费" in page and 'data-decide="correct"' in page
    # Keyword counts are not a probability: no percentage, and the words to check instead.
    panel = page[
        page.index('id="triage-suggestions"') : page.index("</section>", page.index('id="triage-suggestions"'))
    ]
    assert "关键词规则（尚未训练模型" in panel and "%</span>" not in panel
    assert f'hx-get="/triage/cases/{case.pk}/similar/"' in page


def test_executive_sees_suggestions_but_cannot_decide(client, executive, case):
    client.force_login(executive)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="triage-suggestions"' in page and 'data-decide="confirm"' not in page


@pytest.mark.parametrize(
    ("persona", "code"),
    [(None, 302), ("executive", 403), ("no_perm_user", 403), ("other_unit_clerk", 404), ("clerk", 302)],
)
def test_decide_view_access(client, request, case, persona, code):
    s = Suggestion.objects.get(case=case, kind="category")
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("triage:suggestion_decide", args=[s.pk]), {"decision": "confirm"})
    assert response.status_code == code
    if persona is None:
        assert response.url.startswith(reverse("login"))
    s.refresh_from_db()
    assert s.status == ("confirmed" if persona == "clerk" else "open")


def test_decide_view_htmx_corrects_and_rerenders_the_panel(client, handler, in_handling_case):
    s = Suggestion.objects.get(case=in_handling_case, kind="category")
    client.force_login(handler)
    response = client.post(
        reverse("triage:suggestion_decide", args=[s.pk]),
        {"decision": "correct", "category": cat("housing").pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<section") and 'id="triage-suggestions"' in body and "张承办" in body
    s.refresh_from_db()
    assert s.corrected_category.code == "housing"
    bad = client.post(
        reverse("triage:suggestion_decide", args=[s.pk]), {"decision": "correct"}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 200 and 'class="alert error"' in bad.content.decode()


def test_office_accepts_with_the_suggested_category(client, office, clerk, case):
    client.force_login(clerk)  # a clerk may not screen: no accept button, and the view refuses
    assert 'data-action="accept-with-category"' not in client.get(case.get_absolute_url()).content.decode()
    assert client.post(reverse("triage:accept_with_category", args=[case.pk])).status_code == 403
    client.force_login(office)
    assert 'data-action="accept-with-category"' in client.get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("triage:accept_with_category", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.category.code) == ("accepted", "wages")
    assert Suggestion.objects.get(case=case, kind="category").status == "confirmed"
    assert client.post(reverse("triage:accept_with_category", args=[case.pk])).status_code == 403


def test_confirming_the_category_suggestion_sets_the_category_on_the_timeline(client, office, case):
    from django.utils.translation import gettext

    from huiyin.audit.models import AuditAction, AuditRecord
    from huiyin.cases.models import EventKind

    s = Suggestion.objects.get(case=case, kind="category")
    assert case.category is None
    client.force_login(office)
    response = client.post(
        reverse("triage:suggestion_decide", args=[s.pk]), {"decision": "confirm"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"] == case.get_absolute_url()
    case.refresh_from_db()
    s.refresh_from_db()
    assert case.category.code == "wages" and (s.status, s.decided_by) == ("confirmed", office)
    event = case.events.get(kind=EventKind.CATEGORY_CHANGED)
    assert event.actor == office and event.data["from"] is None and event.data["to"]["code"] == "wages"
    assert event.text == gettext("Suggested category confirmed.")
    assert AuditRecord.objects.filter(action=AuditAction.CATEGORY_CHANGE, object_id=str(case.pk)).exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'class="ev ev-category_changed"' in page


def test_confirming_without_the_right_to_categorise_records_the_view_only(client, clerk, case):
    from django.utils.translation import gettext

    s = Suggestion.objects.get(case=case, kind="category")
    client.force_login(clerk)  # may confirm suggestions, may not screen (set categories)
    response = client.post(reverse("triage:suggestion_decide", args=[s.pk]), {"decision": "confirm"}, follow=True)
    case.refresh_from_db()
    s.refresh_from_db()
    assert s.status == "confirmed" and case.category is None
    assert not case.events.filter(kind="category_changed").exists()
    text = gettext("Your decision is recorded. The category of the case is set by the petition office.")
    assert text in [str(m) for m in response.context["messages"]]


def test_confirming_a_suggestion_other_than_the_case_category_says_so(make_case, office):
    case = make_case(category=cat("housing"))
    s = Suggestion.objects.get(case=case, kind="category")
    assert s.category.code == "wages" and s.is_open
    with pytest.raises(DomainError) as refused:
        suggestion_confirm(suggestion=s, actor=office)
    assert str(cat("housing")) in refused.value.message
    s.refresh_from_db()
    case.refresh_from_db()
    assert s.is_open and case.category.code == "housing"


def test_a_clerks_confirmation_says_the_office_sets_the_category(client, clerk, office, case):
    """A clerk may confirm the suggestion but not categorise: the panel says the confirmation is their view and
    who sets the category, instead of leaving them to think it was set. The office's confirmation sets it."""
    s = Suggestion.objects.get(case=case, kind="category")
    client.force_login(clerk)
    body = client.post(
        reverse("triage:suggestion_decide", args=[s.pk]), {"decision": "confirm"}, headers={"HX-Request": "true"}
    ).content.decode()
    case.refresh_from_db()
    assert case.category_id is None
    assert 'id="category-not-set"' in body and "信访工作机构" in body

    client.force_login(office)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="category-not-set"' in page  # still not set: the office sees it too, and sets it by accepting


def test_after_a_correction_the_panel_offers_no_confirm_of_the_first_suggestion(client, org, case, office):
    """Found in a walk-through: 更正 to 工资薪酬, then 确定 beside it confirmed the first suggestion (其他), set the
    case to it and overwrote the correction. A decided suggestion is changed by correcting it again, on the panel."""
    s = Suggestion.objects.get(case=case, kind="category")
    client.force_login(office)
    url = reverse("triage:suggestion_decide", args=[s.pk])
    assert client.post(url, {"decision": "correct", "category": cat("housing").pk}).status_code == 302
    case.refresh_from_db()
    s.refresh_from_db()
    assert case.category.code == "housing" and s.status == "corrected"
    panel = client.get(case.get_absolute_url()).content.decode().split('id="triage-suggestions"', 1)[1]
    category_part = panel.split('data-kind="category"', 1)[1].split('data-kind="route"', 1)[0]
    assert 'data-decide="confirm"' not in category_part and "更正为" in category_part
    # A confirm posted anyway (an old page) cannot undo the correction.
    response = client.post(url, {"decision": "confirm"})
    case.refresh_from_db()
    s.refresh_from_db()
    assert response.status_code == 302 and case.category.code == "housing" and s.status == "corrected"


def test_the_route_suggestion_names_units_with_their_company(client, org, case, office):
    from huiyin.org.services import unit_create

    hr_a = unit_create(name="人力资源部", code="A-HR", kind="department", parent=org["a"])
    unit_create(name="人力资源部", code="B-HR", kind="department", parent=org["b"])
    CategoryRoute.objects.create(category=cat("housing"), unit=hr_a)
    s = Suggestion.objects.get(case=case, kind="category")
    suggestion_correct(suggestion=s, actor=office, category=cat("housing"))
    client.force_login(office)
    panel = client.get(case.get_absolute_url()).content.decode().split('data-kind="route"', 1)[1]
    assert '<b class="suggested">甲公司 · 人力资源部</b>' in panel
    assert ">甲公司 · 人力资源部</option>" in panel


# Deciding again ----------------------------------------------------------------------------------------


def test_a_confirmed_suggestion_is_not_confirmed_again_by_someone_else(case, office, clerk):
    s = Suggestion.objects.get(case=case, kind="category")
    suggestion_confirm(suggestion=s, actor=office)
    with pytest.raises(DomainError, match="已由李信访于.*确认"):
        suggestion_confirm(suggestion=Suggestion.objects.get(pk=s.pk), actor=clerk)
    s.refresh_from_db()
    assert (s.status, s.decided_by) == ("confirmed", office)


def test_a_decided_suggestion_is_not_dismissed_and_keeps_its_decision(case, make_case, office, clerk):
    s = Suggestion.objects.get(case=case, kind="category")
    suggestion_confirm(suggestion=s, actor=office)
    with pytest.raises(DomainError, match="如需改变决定，请更正"):
        suggestion_dismiss(suggestion=Suggestion.objects.get(pk=s.pk), actor=clerk)
    s.refresh_from_db()
    case.refresh_from_db()
    assert (s.status, s.decided_by, case.category.code) == ("confirmed", office, "wages")
    fresh = Suggestion.objects.get(case=make_case(), kind="category")
    suggestion_dismiss(suggestion=fresh, actor=clerk)
    with pytest.raises(DomainError, match="已标为不采纳"):
        suggestion_dismiss(suggestion=fresh, actor=clerk)


def test_the_same_correction_twice_is_refused_and_another_one_taken(case, clerk):
    s = Suggestion.objects.get(case=case, kind="category")
    suggestion_correct(suggestion=s, actor=clerk, category=cat("housing"))
    with pytest.raises(DomainError, match="already corrected to “住房与公积金”|已.*更正为“住房与公积金”"):
        suggestion_correct(suggestion=s, actor=clerk, category=cat("housing"))
    suggestion_correct(suggestion=s, actor=clerk, category=cat("canteen_welfare"))  # a change of mind
    s.refresh_from_db()
    assert (s.status, s.corrected_category.code) == ("corrected", "canteen_welfare")


def test_a_decision_made_on_a_page_loaded_before_anothers_sees_it(case, office):
    """Two people open the case at the same time and correct the suggestion to different categories:
    the second decision is taken on what the first left, and refused."""
    first, second = (Suggestion.objects.select_related("case").get(case=case, kind="category") for _ in range(2))
    suggestion_correct(suggestion=first, actor=office, category=cat("housing"))
    with pytest.raises(DomainError, match="“住房与公积金”"):
        suggestion_correct(suggestion=second, actor=office, category=cat("canteen_welfare"))
    case.refresh_from_db()
    assert case.category.code == "housing"
    assert case.events.filter(kind="category_changed").count() == 1
    first.refresh_from_db()
    assert first.corrected_category.code == "housing"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_corrections_at_the_same_moment_one_wins_and_the_other_is_told(case, office):
    import threading

    from django.db import connections

    barrier, outcomes = threading.Barrier(2), {}
    # A transactional test may run after another has flushed the categories the migrations made.
    categories = {
        code: Category.objects.get_or_create(code=code, defaults={"name_zh": name})[0]
        for code, name in (("housing", "住房与公积金"), ("canteen_welfare", "食堂与职工福利"))
    }
    loaded = {
        code: Suggestion.objects.select_related("case").get(case=case, kind="category")
        for code in ("housing", "canteen_welfare")
    }

    def decide(code):
        try:
            barrier.wait()
            suggestion_correct(suggestion=loaded[code], actor=office, category=categories[code])
            outcomes[code] = "ok"
        except DomainError as exc:
            outcomes[code] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(code,)) for code in loaded]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winner = next(code for code, outcome in outcomes.items() if outcome == "ok")
    loser = next(code for code in outcomes if code != winner)
    assert "already has the category" in outcomes[loser] or "已经是" in outcomes[loser]
    case.refresh_from_db()
    assert case.category.code == winner and case.events.filter(kind="category_changed").count() == 1
    assert Suggestion.objects.get(case=case, kind="category").corrected_category.code == winner


# Deciding on a page that is out of date -------------------------------------------------------------


@pytest.fixture
def clerk2(org):
    from huiyin.org.services import user_create

    return user_create(
        username="clerk2", password="pw-Huiyin-2026", unit=org["a_office"], roles=["clerk"], full_name="赵登记"
    )


def test_a_correction_made_on_an_out_of_date_page_does_not_replace_anothers_unseen(case, clerk, clerk2):
    """Found in the verification walk-through: two clerks with the case open both corrected it; the later
    correction silently replaced the earlier (a clerk's correction sets no category, so nothing stopped it)."""
    s = Suggestion.objects.get(case=case, kind="category")
    assert s.decided_at is None  # both pages show an undecided suggestion
    suggestion_correct(suggestion=s, actor=clerk, category=cat("housing"), seen=None)
    with pytest.raises(DomainError) as refused:
        suggestion_correct(
            suggestion=Suggestion.objects.get(pk=s.pk), actor=clerk2, category=cat("canteen_welfare"), seen=None
        )
    assert refused.value.code == "changed"
    assert "王登记" in refused.value.message and "住房与公积金" in refused.value.message
    s.refresh_from_db()
    assert (s.corrected_category.code, s.decided_by) == ("housing", clerk)
    # Having seen that decision, the second clerk may still correct it.
    suggestion_correct(suggestion=s, actor=clerk2, category=cat("canteen_welfare"), seen=s.decided_at)
    s.refresh_from_db()
    assert (s.corrected_category.code, s.decided_by) == ("canteen_welfare", clerk2)
    # A confirmation or a dismissal on an out-of-date page is refused the same way.
    with pytest.raises(DomainError, match="赵登记"):
        suggestion_confirm(suggestion=s, actor=clerk, seen=None)


def test_the_panel_sends_what_it_showed_and_an_out_of_date_decision_is_shown_not_taken(client, case, clerk, clerk2):
    s = Suggestion.objects.get(case=case, kind="category")
    client.force_login(clerk2)
    panel = client.get(case.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="seen" value="">' in panel
    suggestion_correct(suggestion=s, actor=clerk, category=cat("housing"), seen=None)
    response = client.post(
        reverse("triage:suggestion_decide", args=[s.pk]),
        {"decision": "correct", "category": cat("canteen_welfare").pk, "seen": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "王登记" in response.content.decode()
    s.refresh_from_db()
    assert (s.corrected_category.code, s.decided_by) == ("housing", clerk)
    # The panel now carries the decision it shows.
    seen = re.search(r'name="seen" value="([^"]+)"', response.content.decode()).group(1)
    assert datetime.fromisoformat(seen) == s.decided_at


def test_the_panel_says_why_no_unit_is_suggested_and_what_a_route_rests_on(client, clerk, office, org, make_case):
    """Found in a walk-through: with no routing rule the panel said nothing about the handling unit, and a
    case without the unit concerned was routed by the registering unit without saying so."""
    unrouted = make_case()
    client.force_login(clerk)
    page = client.get(unrouted.get_absolute_url()).content.decode()
    # No rule of the category anywhere: naming the unit concerned cannot help (found in a walk-through); the
    # office, who may set one, is led to the routes page.
    assert 'id="route-none"' in page and "还没有分办规则" in page and "填写涉及单位" not in page
    assert 'id="route-rules-link"' not in page
    client.force_login(office)
    assert 'id="route-rules-link"' in client.get(unrouted.get_absolute_url()).content.decode()
    # A rule of the category for another company: one for this case's unit may exist once it is named.
    CategoryRoute.objects.create(category=cat("wages"), scope=org["b"], unit=org["b_office"])
    client.force_login(clerk)
    page = client.get(unrouted.get_absolute_url()).content.decode()
    assert 'id="route-none"' in page and "没有适用于本事项的分办规则" in page and "填写涉及单位" in page

    CategoryRoute.objects.create(category=cat("wages"), unit=org["a_plant"])
    by_office = make_case()
    concerned = make_case(target_unit=org["a_workshop"])
    page = client.get(by_office.get_absolute_url()).content.decode()
    assert 'id="route-none"' not in page and "按登记单位分办" in page
    assert "按登记单位分办" not in client.get(concerned.get_absolute_url()).content.decode()

    # Confirming the route is the clerk's view: the page says the unit is set at assignment
    route = Suggestion.objects.get(case=concerned, kind="route")
    suggestion_confirm(suggestion=route, actor=clerk)
    page = client.get(concerned.get_absolute_url()).content.decode()
    assert 'id="unit-not-set"' in page
