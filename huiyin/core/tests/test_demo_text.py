"""Tests of the pure-Python demo content generator (no database, no Django)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from huiyin.core import demo_text as dt

CATEGORY_CODES = {code for code, _name in dt.CATEGORIES}
TYPE_CODES = {code for code, _name in dt.TYPES}
ROLE_CODES = {code for code, _name in dt.ROLES}
UNITS = {u["code"]: u for u in dt.iter_units()}
CJK = re.compile(r"[\u4e00-\u9fff]")
MATTER_KEYS = {
    "category",
    "type",
    "subject",
    "content",
    "collective",
    "headcount",
    "representatives",
    "accused",
    "reply",
    "petitioner",
    "anonymous",
    "unit",
    "handling_unit",
    "scenario",
}
PETITIONER_KEYS = {"name", "gender", "birth_date", "employee_no", "phone", "id_number", "workplace", "unit", "retired"}


def matters(seed: int, n: int, **kwargs) -> list[dict]:
    rng = random.Random(seed)
    return [dt.make_matter(rng, **kwargs) for _ in range(n)]


def is_within(code: str, ancestor: str) -> bool:
    while code is not None:
        if code == ancestor:
            return True
        code = UNITS[code]["parent"]
    return False


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return matters(2026, 600)


# ----------------------------------------------------------------------------------------- determinism


def test_same_seed_same_matters():
    assert matters(7, 50) == matters(7, 50)


def test_different_seeds_differ():
    assert [m["content"] for m in matters(1, 20)] != [m["content"] for m in matters(2, 20)]


def test_same_seed_same_helper_texts():
    def run(seed: int) -> list:
        rng = random.Random(seed)
        return [
            dt.make_redirect_reason(rng),
            dt.make_not_accepted_reason(rng),
            dt.make_forward_target(rng),
            dt.make_forwarded_source(rng),
            dt.make_plan(rng, "wages"),
            dt.make_team(rng),
            dt.make_extension_reason(rng),
            dt.make_message_pair(rng),
            dt.make_rating_comment(rng, "satisfied"),
            dt.make_review_reason(rng),
            dt.make_petitioner(rng),
        ]

    assert run(3) == run(3)


def test_no_global_randomness_is_used():
    random.seed(12345)
    state = random.getstate()
    rng = random.Random(1)
    dt.make_matter(rng)
    dt.make_plan(rng, "safety")
    dt.make_petitioner(rng)
    assert random.getstate() == state


# ---------------------------------------------------------------------------------------------- shapes


def test_matter_shape_and_lengths(sample):
    for m in sample:
        assert set(m) == MATTER_KEYS
        assert m["category"] in CATEGORY_CODES
        assert m["type"] in TYPE_CODES
        assert 0 < len(m["subject"]) <= 60
        # A message without greeting or closing (left on the web form, told on the phone) is as real as a letter.
        assert len(CJK.findall(m["content"])) >= 80, m["content"]
        assert len(m["content"]) <= 600, m["content"]
        for text in (m["subject"], m["content"], m["reply"], m["accused"]):
            assert "{" not in text and "}" not in text
        assert m["unit"] in UNITS and UNITS[m["unit"]]["kind"] == "department"
        assert m["handling_unit"] in UNITS and UNITS[m["handling_unit"]]["kind"] != "group"


def test_collective_rules(sample):
    collective = [m for m in sample if m["collective"]]
    individual = [m for m in sample if not m["collective"]]
    assert collective and individual
    for m in collective:
        assert m["headcount"] >= 5
        assert 1 <= len(m["representatives"]) <= 5
        assert len(set(m["representatives"])) == len(m["representatives"])
        assert m["representatives"][0] == m["petitioner"]["name"]
        assert not m["anonymous"]
    for m in individual:
        assert m["headcount"] == 1
        assert m["representatives"] == []


def test_collective_can_be_forced_for_every_category_and_type():
    rng = random.Random(5)
    for category in CATEGORY_CODES:
        for type_ in TYPE_CODES:
            m = dt.make_matter(rng, category=category, type=type_, collective=True)
            assert m["collective"] and m["headcount"] >= 5 and m["representatives"]
            m = dt.make_matter(rng, category=category, type=type_, collective=False)
            assert not m["collective"] and m["headcount"] == 1


def test_accused_only_on_accusations_and_only_roles(sample):
    for m in sample:
        if m["type"] == "accusation":
            assert m["accused"] and "某" in m["accused"]
            assert m["handling_unit"].endswith("-DISC")
        else:
            assert m["accused"] == ""


def test_reply_states_basis_and_next_right(sample):
    for m in sample:
        reply = m["reply"]
        assert "依据" in reply
        assert "可自收到本意见之日起30日内向" in reply and "申请复查" in reply
        assert len(reply) >= 150


def test_letters_and_replies_carry_no_identity(sample):
    for m in sample:
        p = m["petitioner"]
        for secret in (p["phone"], p["id_number"], p["employee_no"]):
            assert secret not in m["content"] and secret not in m["reply"]
        for name in [p["name"], *m["representatives"]]:
            if len(name) >= 3:
                assert name not in m["content"] and name not in m["reply"]


# ---------------------------------------------------------------------------------------------- petitioner


def test_petitioner_shape(sample):
    for m in sample:
        p = m["petitioner"]
        assert set(p) == PETITIONER_KEYS
        assert p["gender"] in ("男", "女")
        assert 2 <= len(p["name"]) <= 3
        assert re.fullmatch(r"E(19|20)\d{2}\d{4}", p["employee_no"])
        assert re.fullmatch(r"1[3-9]\d{9}", p["phone"])
        assert dt.id_number_is_valid(p["id_number"])
        assert p["id_number"][:2] == "00"  # unassigned province code: fictional by construction
        assert p["id_number"][6:14] == p["birth_date"].replace("-", "")
        assert (int(p["id_number"][16]) % 2 == 1) == (p["gender"] == "男")
        assert p["unit"] == m["unit"]
        assert p["workplace"]


def test_retirees_are_retired(sample):
    retirees = [m for m in sample if m["scenario"].startswith("retirees_") and m["type"] != "accusation"]
    assert retirees
    for m in retirees:
        assert m["petitioner"]["retired"]
        assert int(m["petitioner"]["birth_date"][:4]) <= 2026 - 61


def test_id_number_checksum_known_vectors():
    # The two examples of GB 11643-1999.
    assert dt.id_number_checksum("11010519491231002") == "X"
    assert dt.id_number_checksum("44052418800101001") == "4"
    assert dt.id_number_is_valid("11010519491231002X")
    assert dt.id_number_is_valid("11010519491231002x")
    assert not dt.id_number_is_valid("110105194912310021")
    assert not dt.id_number_is_valid("11010519491331002X")  # month 13
    assert not dt.id_number_is_valid("1101051949123100")
    with pytest.raises(ValueError):
        dt.id_number_checksum("123")


def test_generated_id_numbers_are_valid():
    rng = random.Random(9)
    for _ in range(500):
        assert dt.id_number_is_valid(dt.make_id_number(rng))


# ----------------------------------------------------------------------------------------------- variety


@pytest.mark.parametrize("seed", [1, 2, 3, 42, 2026])
def test_variety(seed):
    batch = matters(seed, 300)
    assert len({m["subject"] for m in batch}) >= 0.9 * 300
    assert len({m["content"] for m in batch}) >= 0.95 * 300
    assert len({m["reply"] for m in batch}) >= 0.9 * 300


def test_every_category_and_type_reachable_by_default(sample):
    assert {m["category"] for m in sample} == CATEGORY_CODES
    assert {m["type"] for m in sample} == TYPE_CODES
    assert Counter(m["type"] for m in sample)["claim"] > Counter(m["type"] for m in sample)["accusation"]


def test_every_combination_and_every_scenario_works():
    rng = random.Random(11)
    seen = set()
    for category in sorted(CATEGORY_CODES):
        for type_ in sorted(TYPE_CODES):
            for _ in range(40):
                m = dt.make_matter(rng, category=category, type=type_)
                assert (m["category"], m["type"]) == (category, type_)
                seen.add(m["scenario"])
    assert seen == {s["key"] for scenarios in dt._SCENARIOS.values() for s in scenarios}


def test_every_template_fills_from_the_context():
    """Each template of each scenario formats with the context of any scenario: no missing slot anywhere."""
    rng = random.Random(4)
    scenario = dt._SCENARIOS[("wages", "claim")][0]
    numbers = {"age": 40, "years": 15, "join_year": 2011, "retire_year": 0}
    ctx = dt._context(
        rng,
        scenario,
        company="HX-MINE",
        branch="HX-MINE-M1",
        dept="HX-MINE-M1-FM",
        team="生产一班",
        job="支架工",
        collective=False,
        headcount=1,
        numbers=numbers,
        year=2026,
    )
    for scenarios in dt._SCENARIOS.values():
        for s in scenarios:
            templates = [s["topic"], *s["subjects"], *s["facts"], *s["asks"], *s["basis"], *s["accused"]]
            templates += [part for outcome in s["outcomes"] for part in outcome]
            templates += [*(s["tried"] or ()), *(s["opening"] or ()), *(s["opening_group"] or ())]
            for template in templates:
                assert "{" not in dt._fill(template, ctx), template


def test_unit_keeps_the_matter_inside_the_subtree():
    for unit in ("HX-PWR", "HX-MINE-M1", "HX-ENG-PJ2-SITE", "HX-LOG"):
        for m in matters(8, 40, unit=unit):
            assert is_within(m["unit"], unit)
            assert is_within(m["petitioner"]["unit"], unit)


def test_unknown_codes_are_refused():
    rng = random.Random(0)
    with pytest.raises(ValueError):
        dt.make_matter(rng, category="salary")
    with pytest.raises(ValueError):
        dt.make_matter(rng, type="complaint")
    with pytest.raises(ValueError):
        dt.make_matter(rng, unit="NOPE")
    with pytest.raises(ValueError):
        dt.make_plan(rng, "salary")
    with pytest.raises(ValueError):
        dt.make_rating_comment(rng, "happy")


def test_letter_facts_are_dated_before_the_receipt_year():
    for m in matters(6, 200, year=2027):
        years = {int(y) for y in re.findall(r"(20\d\d)年", m["content"])}
        assert all(y <= 2026 for y in years), m["content"]


# ------------------------------------------------------------------------------------------- org tree


def test_org_tree_shape():
    units = list(dt.iter_units())
    assert len(units) >= 30
    codes = [u["code"] for u in units]
    assert len(codes) == len(set(codes))
    kinds = Counter(u["kind"] for u in units)
    assert kinds["group"] == 1 and kinds["company"] >= 3 and kinds["branch"] >= 6
    order = {"group": 0, "company": 1, "branch": 2, "department": 3}
    for u in units:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", u["code"]) and len(u["code"]) <= 20
        assert u["name"] and CJK.search(u["name"])
        if u["parent"] is None:
            assert u["kind"] == "group" and u["code"] == "HX"
        else:
            parent = UNITS[u["parent"]]
            assert order[u["kind"]] > order[parent["kind"]]
            assert u["code"].startswith(parent["code"] + "-")
            assert parent["kind"] != "department"
    assert dt.ORG_TREE["name"] == dt.GROUP_NAME
    assert all("华信" not in u["name"] for u in units)  # an existing company's name: not used


def test_petition_offices_at_group_and_company_level():
    offices = [u for u in dt.iter_units() if u["petition_office"]]
    parents = {u["parent"] for u in offices}
    companies = {u["code"] for u in dt.iter_units() if u["kind"] == "company"}
    assert "HX" in parents
    assert companies <= parents


def test_unit_by_code_returns_a_copy():
    unit = dt.unit_by_code("HX-PWR")
    unit["name"] = "changed"
    assert dt.unit_by_code("HX-PWR")["name"] == "衡兴发电有限公司"
    with pytest.raises(KeyError):
        dt.unit_by_code("NOPE")


# ---------------------------------------------------------------------------------------------- staff


def test_staff_accounts():
    usernames = [s["username"] for s in dt.STAFF]
    assert len(usernames) == len(set(usernames))
    for s in dt.STAFF:
        assert set(s) == {"username", "name", "role", "unit", "department", "title"}
        assert s["username"].isascii() and re.fullmatch(r"[a-z0-9_]+", s["username"])
        assert s["role"] in ROLE_CODES
        assert s["unit"] in UNITS and UNITS[s["unit"]]["kind"] != "department"
        if s["department"] is not None:
            assert is_within(s["department"], s["unit"])
        assert CJK.search(s["name"]) and s["title"]
    group_roles = {s["role"] for s in dt.STAFF if s["unit"] == "HX"}
    assert group_roles == ROLE_CODES
    for role in ROLE_CODES:
        assert role in usernames  # the plain account name is the group-level one
    companies = [u["code"] for u in dt.iter_units() if u["kind"] == "company"]
    for company in companies:
        roles = {s["role"] for s in dt.STAFF if is_within(s["unit"], company)}
        assert {"handler", "leader", "office"} <= roles
    clerk_companies = {
        company for company in companies for s in dt.STAFF if s["role"] == "clerk" and is_within(s["unit"], company)
    }
    assert len(clerk_companies) >= 2
    eng_handler = next(s for s in dt.STAFF if s["username"] == "eng_handler")
    assert is_within(eng_handler["unit"], "HX-ENG")


# --------------------------------------------------------------------------------------- other texts


def test_redirect_forward_and_source_texts():
    rng = random.Random(2)
    channels = {"litigation", "arbitration", "reconsideration", "labour_inspection", "discipline", "other"}
    for _ in range(50):
        redirect = dt.make_redirect_reason(rng)
        assert redirect["channel"] in channels and redirect["body"] and "依据" in redirect["reason"]
        forward = dt.make_forward_target(rng)
        assert 0 < len(forward["target"]) <= 100 and forward["reason"]
        source = dt.make_forwarded_source(rng, year=2026)
        assert 0 < len(source["authority"]) <= 100
        assert 0 < len(source["reference"]) <= 60 and "2026" in source["reference"]
        assert source["deadline_days"] in (15, 30, 60) and source["authority"] in source["note"]
        assert dt.make_not_accepted_reason(rng)
        assert "30日" in dt.make_extension_reason(rng)
        # The reason names the days asked for, not always 30.
        assert "15日" in dt.make_extension_reason(rng, days=15) and "30日" not in dt.make_extension_reason(rng, days=15)
        assert "复" in dt.make_review_reason(rng)
    references = {dt.make_forwarded_source(rng)["reference"] for _ in range(200)}
    assert any(re.fullmatch(r"国资信转〔2026〕\d{1,3}号", ref) for ref in references)


def test_an_accusations_plan_is_a_verification_plan():
    """Found in a walk-through: an anonymous accusation's plan was to meet the petitioner, with a 社保 plan."""
    rng = random.Random(9)
    for _ in range(20):
        anonymous = dt.make_plan(rng, "social_insurance", accusation=True, anonymous=True)
        assert "核查组" in anonymous and "回避" in anonymous and "社保" not in anonymous
        assert "当面沟通" not in anonymous and "匿名检举无法反馈" in anonymous
        named = dt.make_plan(rng, "wages", accusation=True)
        assert "向实名检举人反馈" in named and "当面沟通" not in named


def test_extension_reason_fits_the_matter():
    rng = random.Random(5)
    housing = {dt.make_extension_reason(rng, category="housing") for _ in range(200)}
    assert not any("社会保险" in r or "工伤" in r or "工资台账" in r for r in housing)
    assert any("房改档案" in r for r in housing) and any("历史遗留" in r for r in housing)
    injury = {dt.make_extension_reason(rng, category="work_injury") for _ in range(200)}
    assert not any("造价" in r or "社会保险" in r for r in injury)
    assert any("工伤认定" in r for r in injury)
    with pytest.raises(ValueError):
        dt.make_extension_reason(rng, category="nonsense")


def test_plan_team_messages_and_ratings():
    rng = random.Random(3)
    for category in CATEGORY_CODES:
        plan = dt.make_plan(rng, category)
        assert plan.startswith("一、") and "五、" in plan and "包案领导" in plan
    for _ in range(30):
        team = dt.make_team(rng)
        assert 3 <= len(team) <= 5 and len(set(team)) == len(team)
        question, answer = dt.make_message_pair(rng)
        assert question and answer and "{" not in answer
    assert len(dt.make_team(rng, size=2)) == 2
    for rating, _label in dt.RATINGS:
        assert dt.make_rating_comment(rng, rating)


def test_a_forward_reason_fits_the_matters_category():
    """Found in a walk-through: a housing-fund matter was transferred for 外包单位拖欠农民工工资."""
    rng = random.Random(3)
    for _ in range(20):
        assert "公积金" in dt.make_forward_target(rng, "housing")["reason"]
        assert "工伤" in dt.make_forward_target(rng, "work_injury")["reason"]
        assert dt.make_forward_target(rng, "no_such_category")["target"] == "当地生态环境局"


# ------------------------------------------------------------------------------ what the triage features see


def test_no_turn_of_phrase_is_common_to_most_letters(sample):
    """Found in a walk-through: greetings and 恳请领导… were in half the letters, so the similar cases of a case page
    and the hot issues showed them as the words cases share. Each petitioner writes in their own words."""
    letters = [m["content"] for m in sample]
    for phrase in ("恳请", "尊敬的领导", "盼复", "百忙之中", "好几年", "越来越", "一直没有", "写信", "大家"):
        share = sum(phrase in text for text in letters) / len(letters)
        assert share < 0.2, (phrase, share)


def test_suggestions_on_different_topics_are_not_related():
    """Found in a walk-through: the demo's top hot issue grouped management suggestions on different topics, whose
    letters differed only in the topic's name."""
    from huiyin.nlp.segment import tokens
    from huiyin.nlp.similar import RELATED_SCORE, similarity

    by_topic: dict[str, set[str]] = {}
    rng = random.Random(5)
    while len(by_topic) < 8:
        m = dt.make_matter(rng, category="management", type="suggestion")
        if m["scenario"] == "management_process":
            topic = next(t for t in dt._MGMT_DETAILS if t in m["subject"])
            by_topic.setdefault(topic, set(tokens(m["subject"])) | set(tokens(m["content"])))
    words = list(by_topic.values())
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            assert similarity(a, b, max_words=None)[0] < RELATED_SCORE


def test_an_issue_group_is_one_matter_raised_by_several_employees():
    group = dt.make_issue_group(
        random.Random(3), scenario="wages_allowance_arrears", unit="HX-PWR-P2", size=5, collective=1, follow_up=True
    )
    *members, follow_up = group
    assert len(members) == 5 and sum(m["collective"] for m in members) == 1
    assert all(m["headcount"] > 1 for m in members if m["collective"])
    assert len({m["petitioner"]["name"] for m in members}) == 5
    assert len({m["content"] for m in group}) == 6
    # One workplace, one allowance: every letter names the same team and the same allowance.
    assert len({m["unit"] for m in group}) == 1 and all(is_within(m["unit"], "HX-PWR-P2") for m in group)
    allowance = next(a for a in ("津贴", "奖", "补贴", "补助") if a in members[0]["subject"])
    assert all(allowance in m["subject"] + m["content"] for m in group)
    # The follow-up is the first individual petitioner's, on the same matter.
    first = next(m for m in members if not m["collective"])
    assert follow_up["petitioner"] is first["petitioner"] and not follow_up["collective"]
    assert (follow_up["category"], follow_up["type"]) == (first["category"], first["type"])
    with pytest.raises(ValueError):
        dt.make_issue_group(random.Random(1), scenario="nope", unit="HX", size=2)
    with pytest.raises(ValueError):
        dt.make_issue_group(random.Random(1), scenario="injury_recognition", unit="HX", size=2, collective=1)


def test_the_stories_of_a_demo_batch_are_hot_issues_of_their_own():
    """The demo's stories (seed_demo's STORIES) among the other recent matters: the wages story is one hot issue,
    growing, of the matter's cases only and named by the matter's own words; the stories do not run together."""
    import datetime as dtm

    from huiyin.nlp.cluster import cluster

    rng = random.Random(2026)
    now = dtm.datetime(2026, 11, 25, 12)
    stories = [
        ("wages_allowance_arrears", "HX-PWR-P2", 6, 1, True, (17, 12, 9, 6, 4, 2, 1)),
        ("housing_dormitory", "HX-MINE-M1", 3, 1, False, (26, 13, 5)),
        ("canteen_commuter_bus", "HX-LOG-PORT", 3, 0, False, (33, 20, 9)),
    ]
    items, story_of = [], {}

    def add(m: dict, ago: int) -> None:
        items.append(
            {
                "id": len(items),
                "title": m["subject"],
                "text": m["content"],
                "headcount": m["headcount"],
                "unit": m["unit"],
                "time": now - dtm.timedelta(days=ago),
            }
        )

    for s, (scenario, unit, size, collective, follow_up, days) in enumerate(stories):
        group = dt.make_issue_group(
            rng, scenario=scenario, unit=unit, size=size, collective=collective, follow_up=follow_up
        )
        for m, ago in zip(group, days, strict=True):
            story_of[len(items)] = s
            add(m, ago)
    for m in matters(7, 110):
        if m["type"] != "accusation":
            add(m, rng.randint(0, 90))
    clusters = cluster(items, window_days=7, now=now)
    top = next(c for c in clusters if story_of.get(c.members[0]) == 0)
    assert {story_of.get(i) for i in top.members} == {0}, [items[i]["title"] for i in top.members]
    assert top.size >= 5 and top.growth > 1
    # Named by the matter's words (its workplace, its allowance): each key word is in most of its letters.
    letters = [items[i]["title"] + items[i]["text"] for i in top.members]
    for term in top.top_terms[:5]:
        assert sum(term in text for text in letters) > len(letters) / 2, (term, top.top_terms)
    assert not {"恳请", "领导", "尊敬", "以上", "情况", "写信"} & set(top.top_terms)
    for c in clusters:
        assert len({story_of[i] for i in c.members if i in story_of}) <= 1
