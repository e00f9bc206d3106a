"""In a real browser: a clerk takes a case from registration through assignment, reply, rating, review and
re-review to final, each step a timeline event; a handler of another company gets 404 on it. (Issue #2)
The handler drafts each reply and the responsible leader signs it off or returns it (领导审签)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huiyin.cases.models import Case, Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, action: str, fill, button: str = "#action-form button[type=submit]", done: str = "已完成") -> None:
    page.click(f"#case-actions [data-action={action}]")
    page.wait_for_selector("#action-form")
    fill(page)
    # Success answers with HX-Redirect: wait for that navigation, not for the old page's messages.
    with page.expect_navigation():
        page.click(button)
    expect(page.locator(".messages")).to_contain_text(done)


def submit_draft(page, text: str) -> None:
    """The handler drafts the reply and submits it for the responsible leader's sign-off (the second button)."""
    act(
        page,
        "draft_reply",
        lambda p: p.fill("#id_text", text),
        button="#action-form button[data-intent=submit]",
        done="草稿已提交包案领导审签",
    )
    expect(page.locator("#reply-drafts [data-draft-status=submitted]")).to_be_visible()


def test_case_goes_from_registration_to_final_in_the_browser(
    live_server,
    login,
    clerk,
    office,
    handler,
    leader,
    other_unit_handler,
    review_leader,
    review_handler,
    group_office,
    group_leader,
    group_handler,
    org,
):
    base = live_server.url
    page = login("clerk")
    expect(page.locator("h1")).to_contain_text("我的工作")
    page.goto(f"{base}/intake/new/")
    page.select_option("#id_channel", "visit")
    page.fill("#id_subject", "检修车间拖欠夜班补贴")
    page.fill("#id_content", "检修车间2026年7月至9月夜班补贴未发放，涉及十余名职工，请公司核实并补发。")
    page.fill("#id_name", "刘某")
    page.fill("#id_phone", "13800001111")
    page.click("form.register button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator("#case-status")).to_have_text("已登记")
    case = Case.objects.get()
    case_url = page.url

    office_page = login("office")
    office_page.goto(case_url)
    office_page.wait_for_load_state("networkidle")  # the panels are served before this thread writes
    # A category is required to accept; the live server's database may have been flushed by earlier tests.
    wages, _created = Category.objects.get_or_create(code="wages", defaults={"name_zh": "工资薪酬", "name_en": "Wages"})
    act(office_page, "accept", lambda p: p.select_option("#id_category", str(wages.pk)))
    expect(office_page.locator("#case-status")).to_have_text("已受理")

    def assign(unit, stage_leader, team=()):
        def fill(p):
            p.select_option("#id_handling_unit", str(unit.pk))
            p.select_option("#id_leader", str(stage_leader.pk))
            for member in team:
                p.check(f"input[name=team][value='{member.pk}']")
            p.fill("#id_plan", "核实排班记录与补贴发放台账，两周内答复。")

        return fill

    act(office_page, "assign", assign(org["a_plant"], leader, [handler]))
    expect(office_page.locator("#case-status")).to_have_text("办理中")

    handler_page = login("handler")
    handler_page.goto(case_url)
    # The handler drafts; saving first keeps the draft without sending it anywhere.
    act(
        handler_page,
        "draft_reply",
        lambda p: p.fill("#id_text", "经核实，夜班补贴已于10月补发。"),
        button="#action-form button[data-intent=save]",
        done="草稿已保存",
    )
    expect(handler_page.locator("#reply-drafts [data-draft-status=draft]")).to_be_visible()
    expect(handler_page.locator("#case-actions [data-action=reply]")).to_have_count(0)
    submit_draft(handler_page, "经核实，夜班补贴已于10月补发。依据公司《薪酬管理办法》第十二条。")
    expect(handler_page.locator("#case-status")).to_have_text("办理中")

    # The responsible leader finds it on the home page and signs it off, adding a sentence.
    leader_page = login("leader")
    expect(leader_page.locator("#sign-off")).to_contain_text(case.case_no)
    leader_page.click(f"#sign-off a[href='{case.get_absolute_url()}']")

    def sign_off(p):
        expect(p.locator("#id_text")).to_have_value(re.compile("薪酬管理办法"))
        p.fill("#id_text", "经核实，夜班补贴已于10月补发。依据公司《薪酬管理办法》第十二条。如有疑问请联系人力资源部。")

    act(leader_page, "sign_off", sign_off)
    expect(leader_page.locator("#case-status")).to_have_text("已答复")
    expect(leader_page.locator(".reply .signed-off").first).to_contain_text("张承办")
    expect(leader_page.locator(".next-right").first).to_contain_text("复查")

    page.goto(case_url)

    def rate_dissatisfied(p):
        p.check("input[name=rating][value=dissatisfied]")
        p.fill("#id_comment", "补发金额少算了一个月")

    act(page, "rate", rate_dissatisfied)
    expect(page.locator("#case-status")).to_have_text("已办结")
    act(page, "next_stage", lambda p: p.fill("#id_reason", "对答复不服，申请复查"))
    expect(page.locator("#case-status")).to_have_text("已受理")

    # The review is made by the body above 一厂, 甲公司, and by people who took no part in the first reply
    # (Art. 35): the form proposes 甲公司 and no longer starts at the first stage's unit, leader and team.
    office_page.goto(case_url)

    def review_assign(p):
        expect(p.locator("#id_handling_unit")).to_have_value(str(org["a"].pk))
        expect(p.locator("#id_leader")).to_have_value("")
        assign(org["a"], review_leader, [review_handler])(p)

    act(office_page, "assign", review_assign)
    handler_page = login("review_handler")
    handler_page.goto(case_url)
    # A draft without a basis: the reply check stops the submission until the handler ticks "submit anyway".
    handler_page.click("#case-actions [data-action=draft_reply]")
    handler_page.wait_for_selector("#action-form")
    handler_page.fill("#id_text", "复查意见：经核实，补发9月夜班补贴。")
    # The live check shows under the text, not only in the side panel a long scroll away.
    inline = handler_page.locator("#action-form .reply-check-inline")
    expect(inline).to_contain_text("引用政策或制度依据")
    assert inline.bounding_box()["y"] - handler_page.locator("#id_text").bounding_box()["y"] < 400
    handler_page.click("#action-form button[data-intent=submit]")
    expect(handler_page.locator("#id_submit_anyway")).to_be_visible()
    handler_page.check("#id_submit_anyway")
    with handler_page.expect_navigation():
        handler_page.click("#action-form button[data-intent=submit]")
    expect(handler_page.locator("#reply-drafts [data-draft-status=submitted]")).to_be_visible()
    # Returned with a note: the handler sees it, revises and submits a second version.
    leader_page = login("review_leader")
    leader_page.goto(case_url)
    act(leader_page, "return_draft", lambda p: p.fill("#id_note", "请写明依据的制度条款。"))
    handler_page.goto(case_url)
    expect(handler_page.locator("#reply-drafts [data-draft-status=returned]")).to_contain_text("请写明依据的制度条款。")
    submit_draft(handler_page, "复查意见：经核实，根据公司《薪酬管理办法》第十二条，补发9月夜班补贴，维持其余答复。")
    leader_page.goto(case_url)
    act(leader_page, "sign_off", lambda p: None)
    expect(leader_page.locator("#case-status")).to_have_text("已答复")
    page.goto(case_url)
    act(page, "rate", rate_dissatisfied)
    act(page, "next_stage", lambda p: p.fill("#id_reason", "申请复核"))

    # The re-review is the group's, the body above the reviewer (Art. 36): its petition office assigns it.
    group_page = login("group_office")
    group_page.goto(case_url)
    act(group_page, "assign", assign(org["group"], group_leader, [group_handler]))
    # In the re-review the leader writes and issues the opinion directly.
    leader_page = login("group_leader")
    leader_page.goto(case_url)
    act(
        leader_page,
        "reply",
        lambda p: p.fill(
            "#id_text", "复核意见：经核实，夜班补贴已补发，依据公司《薪酬管理办法》第十二条，维持复查意见。"
        ),
    )
    expect(leader_page.locator("#case-status")).to_have_text("终结")

    case.refresh_from_db()
    assert case.status == "final" and case.stage == "recheck"
    timeline = leader_page.locator("#timeline li")
    assert timeline.count() == case.events.count() >= 20

    outsider = login("other_handler")
    response = outsider.goto(case_url)
    assert response.status == 404
    expect(outsider.locator("h1")).to_have_text("未找到")


def test_case_list_filters_and_phone_layout(live_server, login, make_case, office):
    for i in range(3):
        make_case(subject=f"宿舍热水供应不足{i}", channel="phone")
    make_case(subject="食堂价格", channel="letter")
    page = login("office", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cases/?channel=phone")
    expect(page.locator("table.cases tbody tr")).to_have_count(3)
    page.select_option("#id_channel", "letter")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    # On a phone the navigation folds behind a menu button and rows become cards.
    assert page.locator(".nav-burger").is_visible()
    assert not page.locator("table.cases thead").is_visible()


def test_form_errors_appear_in_the_action_panel(live_server, login, case, office):
    """htmx must swap a 400 answer in, or a refused form would look like nothing happened."""
    page = login("office")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#case-actions [data-action=not_accept]")
    page.wait_for_selector("#action-form")
    page.click("#action-form button[type=submit]")
    expect(page.locator("#action-form .error").first).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("已登记")
