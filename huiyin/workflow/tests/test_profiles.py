"""Editable rule profiles: shortening only, one in force per lane, used by new clocks."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from huiyin.core.errors import DomainError
from huiyin.workflow import clocks
from huiyin.workflow.models import RuleProfile
from huiyin.workflow.services import rule_profile_save


def test_lengthening_a_limit_is_refused_with_a_clear_error(org):
    with pytest.raises(DomainError) as exc:
        rule_profile_save(profile=RuleProfile(name="lax", rules={"handle": 90}))
    assert exc.value.message == (
        "时限规则方案无效：规则 'handle'（办理并出具处理意见）：90 个自然日长于上级方案 'national-2022' 的 60 个自然日；"
        "派生的时限规则方案只能缩短期限"
    )
    assert not RuleProfile.objects.exists()


def test_every_problem_is_named_in_the_users_language(org):
    with pytest.raises(DomainError) as exc:
        rule_profile_save(profile=RuleProfile(name="lax", rules={"handle": 90, "register": 0}))
    assert exc.value.fields["rules"] == [
        "规则 'handle'（办理并出具处理意见）：90 个自然日长于上级方案 'national-2022' 的 60 个自然日；"
        "派生的时限规则方案只能缩短期限",
        "规则 'register'（登记并转送、交办或告知）：天数必须是 1 至 3650 的整数，不能是 0",
    ]
    with translation.override("en"), pytest.raises(DomainError) as exc:
        rule_profile_save(profile=RuleProfile(name="lax", rules={"handle": 90}))
    assert "90 calendar days is longer than the 60 calendar days of 'national-2022'" in exc.value.message
    assert "rule 'handle' (Handle and reply):" in exc.value.message


def test_rule_codes_are_named_by_the_lane_they_belong_to(org):
    with pytest.raises(DomainError) as exc:
        rule_profile_save(profile=RuleProfile(name="lax", parent="discipline", rules={"handle": 900}))
    assert "规则 'handle'（处置并办结）" in exc.value.message
    with pytest.raises(DomainError) as exc:
        rule_profile_save(profile=RuleProfile(name="odd", rules={"lunch": 1}))
    # The codes a profile may use are listed with what each of them is.
    assert "'lunch'：上级方案 'national-2022' 定义的规则有 'register'（登记并转送、交办或告知）；" in exc.value.message
    assert "'recheck_decide'（提出复核意见（听证时间不计入））" in exc.value.message


def test_switching_calendar_days_to_working_days_is_refused(org):
    with pytest.raises(DomainError, match="不能把 15 个自然日改为工作日"):
        rule_profile_save(profile=RuleProfile(name="lax", rules={"register": {"days": 10, "unit": "working"}}))


def test_unknown_rule_and_built_in_name_are_refused(org):
    with pytest.raises(DomainError, match="未知规则 'lunch'"):
        rule_profile_save(profile=RuleProfile(name="odd", rules={"lunch": 1}))
    with pytest.raises(DomainError, match="built-in|内置"):
        rule_profile_save(profile=RuleProfile(name="national-2022", rules={}))


def test_active_profile_applies_to_new_clocks(make_case, office, leader, handler, org):
    from huiyin.cases.services import case_accept

    rule_profile_save(
        profile=RuleProfile(
            name="acme-2026", rules={"handle": 45, "register": 10}, lane="general", active=True, label_zh="某集团"
        )
    )
    case = make_case()
    assert case.deadlines.get(kind="register").due == date(2026, 12, 4)
    case_accept(case=case, actor=office)
    handle = case.deadlines.get(kind="handle")
    assert (handle.profile, handle.due) == ("acme-2026", date(2027, 1, 8))
    # A discipline report keeps its own lane.
    report = make_case(type="accusation", anonymous=True, petitioner=None)
    assert report.deadlines.get(kind="register").profile == "discipline"


def test_one_profile_in_force_per_lane(org):
    first = rule_profile_save(profile=RuleProfile(name="a", rules={"handle": 50}, active=True))
    rule_profile_save(profile=RuleProfile(name="b", rules={"handle": 40}, active=True))
    first.refresh_from_db()
    assert first.active is False
    assert clocks.clock_data().active == {"general": "b"}


def test_admin_form_shows_the_lengthening_error(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:workflow_ruleprofile_add"),
        {"name": "lax", "parent": "national-2022", "rules": '{"handle": 90}', "lane": "general"},
    )
    assert response.status_code == 200
    assert "长于上级方案 &#x27;national-2022&#x27; 的 60 个自然日" in response.content.decode()
    assert not RuleProfile.objects.exists()
    response = client.post(
        reverse("admin:workflow_ruleprofile_add"),
        {"name": "strict", "parent": "national-2022", "rules": '{"handle": 45}', "lane": "general", "active": "on"},
    )
    assert response.status_code == 302
    assert clocks.profile_get("strict").rule("handle").days == 45
