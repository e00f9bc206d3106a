"""Rule profiles as data: the built-in profiles, shortening, lengthening, unknown codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from huiyin.clock import (
    CORE_RULE_CODES,
    DISCIPLINE,
    NATIONAL_2022,
    PROFILES,
    ExtensionError,
    Profile,
    ProfileError,
    Unit,
    compute_due,
    get_profile,
)

D = dt.date


def test_national_profile_has_the_regulations_limits():
    expected = {
        "register": (15, Unit.CALENDAR, "第二十二条"),
        "object": (5, Unit.WORKING, "第二十三条"),
        "handle": (60, Unit.CALENDAR, "第三十四条"),
        "extend": (30, Unit.CALENDAR, "第三十四条"),
        "review_request": (30, Unit.CALENDAR, "第三十五条"),
        "review_decide": (30, Unit.CALENDAR, "第三十五条"),
        "recheck_request": (30, Unit.CALENDAR, "第三十六条"),
        "recheck_decide": (30, Unit.CALENDAR, "第三十六条"),
    }
    assert NATIONAL_2022.codes == CORE_RULE_CODES
    for code, (days, unit, article) in expected.items():
        rule = NATIONAL_2022.rule(code)
        assert (rule.days, rule.unit) == (days, unit)
        assert article in rule.article
        assert rule.label_zh
        assert rule.label_en
    assert NATIONAL_2022.max_extension_days == 30


def test_discipline_profile_defines_every_core_rule():
    for code in CORE_RULE_CODES:
        assert DISCIPLINE.rule(code).days > 0
    assert (DISCIPLINE.rule("register").days, DISCIPLINE.rule("register").unit) == (15, Unit.WORKING)
    assert (DISCIPLINE.rule("object").days, DISCIPLINE.rule("object").unit) == (5, Unit.WORKING)
    assert DISCIPLINE.rule("feedback").unit is Unit.WORKING
    assert "检举控告" in DISCIPLINE.rule("register").article


@pytest.mark.parametrize("profile", [NATIONAL_2022, DISCIPLINE], ids=lambda p: p.name)
def test_articles_are_written_as_chinese_text(profile):
    # Shown as they are on the case page and the portal: full-width brackets, no space before 第.
    for code in profile.codes:
        article = profile.rule(code).article
        assert not set(article) & set("() "), (code, article)
    assert NATIONAL_2022.rule("handle").article == "《信访工作条例》（2022）第三十四条"


def test_profiles_registry_lists_the_built_in_profiles():
    assert PROFILES["national-2022"] is NATIONAL_2022
    assert get_profile("discipline") is DISCIPLINE
    with pytest.raises(ProfileError, match="unknown profile 'nope'; known profiles: national-2022, discipline"):
        get_profile("nope")


def test_shortening_is_accepted_and_used():
    data = {"name": "province-x", "rules": {"handle": 45, "register": {"days": 10, "article": "某省信访条例 第十条"}}}
    province = Profile.from_dict(data, parent=NATIONAL_2022)
    assert province.parent == "national-2022"
    assert province.rule("handle").days == 45
    assert province.rule("register").article == "某省信访条例 第十条"
    assert province.rule("review_request").days == 30  # inherited
    # 2025-03-03 + 45 days = 2025-04-17 (Thursday, a working day)
    assert compute_due(rule="handle", start=D(2025, 3, 3), profile=province).due == D(2025, 4, 17)


def test_a_derived_profile_may_derive_again_and_names_its_parent_by_name():
    province = Profile.from_dict({"name": "province-x", "parent": "national-2022", "rules": {"handle": 45}})
    enterprise = province.derive(name="enterprise-y", overrides={"handle": 30})
    assert enterprise.rule("handle").days == 30
    with pytest.raises(ProfileError, match="longer than the 45 calendar days of 'province-x'"):
        province.derive(name="enterprise-z", overrides={"handle": 50})


def test_lengthening_is_rejected():
    with pytest.raises(ProfileError) as caught:
        Profile.from_dict({"name": "too-long", "rules": {"handle": 61}}, parent=NATIONAL_2022)
    message = str(caught.value)
    assert "rule 'handle': 61 calendar days is longer than the 60 calendar days of 'national-2022'" in message
    assert "may only shorten" in message


def test_switching_calendar_days_to_working_days_is_rejected():
    with pytest.raises(ProfileError, match="cannot change 15 calendar days to working days"):
        NATIONAL_2022.derive(name="x", overrides={"register": {"days": 10, "unit": "working"}})


def test_switching_working_days_to_as_many_calendar_days_is_accepted():
    derived = NATIONAL_2022.derive(name="x", overrides={"object": {"unit": "calendar"}})
    assert derived.rule("object").unit is Unit.CALENDAR


def test_unknown_rule_codes_are_rejected():
    with pytest.raises(ProfileError, match="unknown rule 'hndle'"):
        Profile.from_dict({"name": "typo", "rules": {"hndle": 30}}, parent=NATIONAL_2022)
    with pytest.raises(ProfileError, match="unknown rule 'hndle'"):
        Profile.from_dict({"name": "root", "label_zh": "根", "label_en": "Root", "rules": {"hndle": {}}})
    with pytest.raises(ProfileError, match="unknown keys in profile: rule"):
        Profile.from_dict({"name": "typo", "rule": {}}, parent=NATIONAL_2022)
    with pytest.raises(ProfileError, match="unknown fields color"):
        NATIONAL_2022.derive(name="x", overrides={"handle": {"color": "red"}})


def test_asking_for_an_unknown_rule_names_the_known_ones():
    with pytest.raises(ProfileError, match="unknown rule 'feedback' in profile 'national-2022'; known rules: register"):
        compute_due(rule="feedback", start=D(2025, 3, 3))


@pytest.mark.parametrize("days", [0, -5, 2.5, True, "10"])
def test_malformed_days_are_rejected(days):
    with pytest.raises(ProfileError, match="days must be a whole number"):
        NATIONAL_2022.derive(name="x", overrides={"handle": days})


def test_profiles_round_trip_through_json():
    for profile in (NATIONAL_2022, DISCIPLINE):
        assert Profile.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile
    derived = NATIONAL_2022.derive(name="x", overrides={"handle": 40})
    assert Profile.from_dict(json.loads(json.dumps(derived.to_dict()))) == derived


def test_a_root_profile_must_define_every_core_rule():
    data = NATIONAL_2022.to_dict()
    del data["rules"]["recheck_decide"]
    data["name"] = "incomplete"
    with pytest.raises(ProfileError, match="lacks rules: recheck_decide"):
        Profile.from_dict(data)


def test_extension_above_the_maximum_is_rejected():
    assert compute_due(rule="handle", start=D(2025, 3, 3), extension_days=30).extension_days == 30
    with pytest.raises(ExtensionError, match="an extension of 31 days exceeds the maximum of 30 days"):
        compute_due(rule="handle", start=D(2025, 3, 3), extension_days=31)
    with pytest.raises(ExtensionError, match="cannot be negative"):
        compute_due(rule="handle", start=D(2025, 3, 3), extension_days=-1)


def test_a_shortened_extend_rule_lowers_the_maximum_extension():
    strict = NATIONAL_2022.derive(name="strict", overrides={"extend": 15})
    assert strict.max_extension_days == 15
    with pytest.raises(ExtensionError, match="maximum of 15 days allowed by profile 'strict'"):
        compute_due(rule="handle", start=D(2025, 3, 3), profile=strict, extension_days=20)
