"""Issue #5: the office keeps the enterprise category list (add, rename, reorder, keywords, retire,
reactivate, delete an unused one), every change audited; a retired category is offered for no new case."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.forms import AcceptForm, CategoriseForm
from huiyin.cases.models import Case, Category
from huiyin.core.errors import DomainError
from huiyin.intake.tests.test_register import form_data
from huiyin.nlp.keyword_rules import DEFAULT_CATEGORIES
from huiyin.org.models import User
from huiyin.triage.engine import category_keywords
from huiyin.triage.forms import SuggestionDecideForm
from huiyin.triage.models import CategoryKeywords, CategoryRoute, Suggestion
from huiyin.triage.selectors import category_rows
from huiyin.triage.services import category_create, category_delete, category_update

URL = reverse("triage:categories")
BUILTIN_HOUSING = next(c["keywords"] for c in DEFAULT_CATEGORIES if c["code"] == "housing")


def audit_records():
    return list(AuditRecord.objects.filter(action=AuditAction.CATEGORY_LIST_CHANGE).order_by("seq"))


def snapshot():
    """Everything the page may change, to show that a refused request changed nothing."""
    return (
        list(Category.objects.order_by("pk").values_list("code", "name_zh", "name_en", "sort", "active")),
        list(CategoryKeywords.objects.order_by("pk").values_list("category_id", "keywords")),
        AuditRecord.objects.count(),
    )


def edit_data(category, **overrides):
    """The edit form as the page fills it in, with `overrides` typed over it (active=False unchecks the box)."""
    data = {
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "sort": category.sort,
        "keywords": " ".join(category_keywords(category)),
        "active": category.active,
    }
    data.update(overrides)
    if data.pop("active"):
        data["active"] = "on"
    return data


@pytest.fixture
def superuser(org):
    from huiyin.org.testing import otp_verified

    return otp_verified(User.objects.create_superuser(username="root", password="pw-Huiyin-2026", email="r@x.cn"))


# Who may open the page ----------------------------------------------------------------------------------
# `org` is in the signatures below though the personas bring it: it makes pytest-django see a database test
# and run it before the transactional tests, whose flush removes the default categories.


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        (None, 302),
        ("clerk", 403),
        ("handler", 403),
        ("leader", 403),
        ("office", 403),  # a company's office: the list is the whole organisation's
        ("group_office", 200),
        ("superuser", 200),
    ],
)
def test_category_page_access(client, request, org, persona, code):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == code


@pytest.mark.parametrize("persona", ["clerk", "handler", "office"])
def test_without_the_right_nothing_is_changed(client, request, org, persona):
    client.force_login(request.getfixturevalue(persona))
    wages = Category.objects.get(code="wages")
    before = snapshot()
    assert client.post(URL, {"code": "canteen2", "name_zh": "食堂二"}).status_code == 403
    assert client.post(reverse("triage:category_edit", args=[wages.pk]), edit_data(wages)).status_code == 403
    assert client.get(reverse("triage:category_delete", args=[wages.pk])).status_code == 403
    assert client.post(reverse("triage:category_delete", args=[wages.pk])).status_code == 403
    assert snapshot() == before


def test_links_to_the_page_only_for_who_may_open_it(client, group_office, office):
    client.force_login(group_office)
    assert URL in client.get(reverse("home")).content.decode()
    assert URL in client.get(reverse("triage:routes")).content.decode()
    client.force_login(office)
    assert URL not in client.get(reverse("home")).content.decode()
    assert URL not in client.get(reverse("triage:routes")).content.decode()


# The list ----------------------------------------------------------------------------------------------------


def test_list_shows_every_category_in_order_with_cases_and_keywords(client, group_office, make_case):
    wages, housing = Category.objects.get(code="wages"), Category.objects.get(code="housing")
    make_case(category=wages)
    make_case(category=wages)
    CategoryKeywords.objects.create(category=wages, keywords="欠薪 加班费")
    category_update(
        category=housing, actor=group_office, name_zh=housing.name_zh, name_en=housing.name_en, sort=5, active=False
    )
    client.force_login(group_office)
    page = client.get(URL).content.decode()
    codes = [row.category.code for row in category_rows()]
    assert codes[0] == "housing"  # sort 5 first, then sort and code
    assert codes == [c.code for c in Category.objects.order_by("sort", "code")]
    assert page.index('data-category="housing"') < page.index('data-category="wages"')
    wages_row = page[page.index('data-category="wages"') :].split("</tr>")[0]
    assert "工资薪酬" in wages_row and "Wages and pay" in wages_row
    assert 'data-cases="2"' in wages_row and "欠薪 加班费" in wages_row
    housing_row = page[page.index('data-category="housing"') :].split("</tr>")[0]
    assert "data-retired" in housing_row and "已停用" in housing_row
    assert " ".join(BUILTIN_HOUSING) in housing_row and "系统内置" in housing_row  # no own keywords: built in
    # A category with cases offers no delete; an unused one does.
    assert reverse("triage:category_delete", args=[wages.pk]) not in page
    assert reverse("triage:category_delete", args=[housing.pk]) in page


def test_list_query_count_does_not_grow_with_the_list(group_office, django_assert_max_num_queries):
    for i in range(20):
        category_create(actor=group_office, code=f"extra_{i}", name_zh=f"附加类别{i}")
    with django_assert_max_num_queries(4):
        rows = category_rows()
    assert len(rows) == Category.objects.count()


# Adding ------------------------------------------------------------------------------------------------------


def test_office_adds_a_category(client, group_office):
    client.force_login(group_office)
    response = client.post(
        URL,
        {
            "code": " Canteen_Night ",
            "name_zh": "  夜班 食堂 ",
            "name_en": "Night canteen",
            "keywords": "夜班\n宵夜 夜宵",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(code="canteen_night")
    assert (category.name_zh, category.name_en, category.active) == ("夜班 食堂", "Night canteen", True)
    assert category.sort == max(Category.objects.exclude(pk=category.pk).values_list("sort", flat=True)) + 10
    assert CategoryKeywords.objects.get(category=category).words == ["夜班", "宵夜", "夜宵"]
    (record,) = audit_records()
    assert (record.actor_id, record.object_type, record.object_id) == (
        group_office.pk,
        "cases.category",
        "canteen_night",
    )
    assert record.detail["before"] is None
    assert record.detail["after"]["name_zh"] == "夜班 食堂" and record.detail["after"]["keywords"] == "夜班 宵夜 夜宵"
    # The new category is offered at once.
    assert category in SuggestionDecideForm(user=group_office).fields["category"].queryset


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "x1", "name_zh": ""}, "name_zh", "请填写中文名称。"),
        ({"code": "x1", "name_zh": "   "}, "name_zh", "请填写中文名称。"),
        ({"code": "wages", "name_zh": "新类别"}, "code", "已有其他类别使用代码“wages”。"),
        ({"code": "WAGES", "name_zh": "新类别"}, "code", "已有其他类别使用代码“wages”。"),
        ({"code": "x1", "name_zh": "社会保险"}, "name_zh", "已有其他类别名为“社会保险”。"),
        ({"code": "x1", "name_zh": " 社会  保险 "}, "name_zh", "已有其他类别名为“社会保险”。"),
        ({"code": "x1", "name_zh": "新类别", "name_en": "ＳＯＣＩＡＬ insurance"}, "name_en", None),
        (
            {"code": "x1", "name_zh": "新类别", "name_en": "WAGES AND PAY"},
            "name_en",
            "已有其他类别名为“Wages and pay”。",
        ),
        ({"code": "工资", "name_zh": "新类别"}, "code", "只能使用小写字母、数字、“-”和“_”。"),
        ({"code": "a b", "name_zh": "新类别"}, "code", "只能使用小写字母、数字、“-”和“_”。"),
        ({"code": "x" * 41, "name_zh": "新类别"}, "code", None),
        ({"code": "x1", "name_zh": "长" * 61}, "name_zh", None),
        ({"code": "x1", "name_zh": "新类别", "sort": "-1"}, "sort", None),
        ({"code": "x1", "name_zh": "新类别", "keywords": "词 " * 1001}, "keywords", None),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(client, group_office, data, field, message):
    client.force_login(group_office)
    before = snapshot()
    with translation.override("zh-hans"):
        response = client.post(URL, data)
    assert response.status_code == 400
    assert snapshot() == before
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
        assert message in response.content.decode()


def test_duplicate_name_of_a_retired_category_is_refused_too(group_office):
    housing = Category.objects.get(code="housing")
    category_update(category=housing, actor=group_office, name_zh="住房", name_en="", sort=1, active=False)
    with pytest.raises(DomainError) as exc:
        category_create(actor=group_office, code="housing2", name_zh="住房")
    assert "name_zh" in exc.value.fields


# Editing, retiring, reactivating -------------------------------------------------------------------------------


def test_office_renames_reorders_and_sets_keywords(client, group_office):
    housing = Category.objects.get(code="housing")
    client.force_login(group_office)
    url = reverse("triage:category_edit", args=[housing.pk])
    page = client.get(url).content.decode()
    assert " ".join(BUILTIN_HOUSING) in page  # the form starts from the keywords in force
    response = client.post(
        url, edit_data(housing, name_zh="住房与住房公积金", name_en="Housing", sort="15", keywords="公积金 宿舍 公积金")
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    assert (housing.name_zh, housing.name_en, housing.sort, housing.active) == ("住房与住房公积金", "Housing", 15, True)
    assert CategoryKeywords.objects.get(category=housing).words == ["公积金", "宿舍"]
    (record,) = audit_records()
    assert record.detail["before"] == {
        "name_zh": "住房与公积金",
        "name_en": "Housing and housing fund",
        "sort": 40,
        "keywords": " ".join(BUILTIN_HOUSING),
    }
    assert record.detail["after"] == {
        "name_zh": "住房与住房公积金",
        "name_en": "Housing",
        "sort": 15,
        "keywords": "公积金 宿舍",
    }
    # Keywords set back to the built-in ones: the category follows the built-in list again.
    assert client.post(url, edit_data(housing, keywords=" ".join(BUILTIN_HOUSING))).status_code == 302
    assert not CategoryKeywords.objects.filter(category=housing).exists()
    # Saving without a change writes nothing.
    count = AuditRecord.objects.count()
    assert client.post(url, edit_data(housing, keywords=" ".join(BUILTIN_HOUSING))).status_code == 302
    assert AuditRecord.objects.count() == count


def test_rename_to_another_categorys_name_is_refused(client, group_office):
    housing = Category.objects.get(code="housing")
    client.force_login(group_office)
    before = snapshot()
    with translation.override("zh-hans"):
        response = client.post(
            reverse("triage:category_edit", args=[housing.pk]), edit_data(housing, name_zh="工资薪酬")
        )
    assert response.status_code == 400
    assert "已有其他类别名为“工资薪酬”。" in response.context["form"].errors["name_zh"]
    assert snapshot() == before
    # Its own name, with other spacing, is not a duplicate of itself.
    response = client.post(
        reverse("triage:category_edit", args=[housing.pk]), edit_data(housing, name_zh=" 住房与公积金")
    )
    assert response.status_code == 302


def test_empty_name_on_edit_is_refused(client, group_office):
    housing = Category.objects.get(code="housing")
    client.force_login(group_office)
    before = snapshot()
    with translation.override("zh-hans"):
        response = client.post(reverse("triage:category_edit", args=[housing.pk]), edit_data(housing, name_zh=""))
    assert response.status_code == 400
    assert "请填写中文名称。" in response.content.decode()
    assert snapshot() == before


def register_category_choices(client) -> set[int]:
    """The category ids the registration page offers: read from its category select, not from the whole page,
    where a unit of the same id (PostgreSQL's sequences go on across tests) would match as well."""
    page = client.get(reverse("intake:register")).content.decode()
    select = re.search(r'<select name="category"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the registration page has no category select"
    return {int(v) for v in re.findall(r'value="(\d+)"', select.group(1))}


def test_retired_category_is_not_offered_for_new_cases_but_cases_keep_it(client, group_office, clerk, make_case):
    canteen = Category.objects.get(code="canteen_welfare")
    case = make_case(category=canteen)
    client.force_login(group_office)
    assert (
        client.post(reverse("triage:category_edit", args=[canteen.pk]), edit_data(canteen, active=False)).status_code
        == 302
    )
    canteen.refresh_from_db()
    assert canteen.active is False
    (record,) = audit_records()
    assert (record.detail["before"], record.detail["after"]) == ({"active": True}, {"active": False})

    # Not on the registration form, nor on acceptance, categorisation or the correction of a suggestion.
    client.force_login(clerk)
    assert canteen.pk not in register_category_choices(client)
    assert Category.objects.get(code="wages").pk in register_category_choices(client)
    response = client.post(reverse("intake:register"), form_data(unit=case.unit.pk, category=canteen.pk))
    assert response.status_code != 302 and "category" in response.context["form"].errors
    case = Case.objects.get(pk=case.pk)
    for form in (
        AcceptForm(case=case, user=group_office),
        CategoriseForm(case=case, user=group_office),
        SuggestionDecideForm(user=group_office),
    ):
        assert canteen not in form.fields["category"].queryset

    # The case keeps it and shows it.
    assert case.category == canteen
    client.force_login(group_office)
    assert "食堂与职工福利" in client.get(case.get_absolute_url()).content.decode()

    # Reactivated: offered again.
    assert (
        client.post(reverse("triage:category_edit", args=[canteen.pk]), edit_data(canteen, active=True)).status_code
        == 302
    )
    canteen.refresh_from_db()
    assert canteen.active is True
    assert audit_records()[-1].detail["after"] == {"active": True}
    client.force_login(clerk)
    assert canteen.pk in register_category_choices(client)


# Deleting ------------------------------------------------------------------------------------------------------


def test_office_deletes_an_unused_category_after_confirming(client, group_office, org):
    category = category_create(actor=group_office, code="tmp", name_zh="临时类别", keywords="临时")
    CategoryRoute.objects.create(category=category, unit=org["a"])
    client.force_login(group_office)
    url = reverse("triage:category_delete", args=[category.pk])
    page = client.get(url)
    assert page.status_code == 200 and "临时类别" in page.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert not Category.objects.filter(code="tmp").exists()
    assert not CategoryRoute.objects.filter(category_id=category.pk).exists()
    assert not CategoryKeywords.objects.filter(category_id=category.pk).exists()
    record = audit_records()[-1]
    assert (record.object_id, record.detail["after"]) == ("tmp", None)
    assert record.detail["before"]["name_zh"] == "临时类别"


def test_a_used_category_is_never_deleted(client, group_office, make_case):
    wages = Category.objects.get(code="wages")
    make_case(category=wages)
    client.force_login(group_office)
    url = reverse("triage:category_delete", args=[wages.pk])
    before = snapshot()
    with translation.override("zh-hans"):
        page = client.get(url).content.decode()
        assert "不能删除" in page and 'type="submit"' not in page
        response = client.post(url, follow=True)
    assert Category.objects.filter(pk=wages.pk).exists()
    assert snapshot() == before
    assert "不能删除" in response.content.decode()
    with pytest.raises(DomainError) as exc:
        category_delete(category=wages, actor=group_office)
    assert exc.value.code == "in_use"


def test_a_category_with_sub_categories_is_not_deleted(group_office):
    parent = category_create(actor=group_office, code="parent_x", name_zh="上级")
    Category.objects.create(code="child_x", name_zh="下级", parent=parent)
    with pytest.raises(DomainError):
        category_delete(category=parent, actor=group_office)
    assert Category.objects.filter(pk=parent.pk).exists()


def test_delete_is_post_only_after_the_question(client, group_office):
    category = category_create(actor=group_office, code="tmp2", name_zh="临时二")
    client.force_login(group_office)
    assert client.put(reverse("triage:category_delete", args=[category.pk])).status_code == 405
    assert Category.objects.filter(pk=category.pk).exists()


def test_unknown_category_is_a_404(client, group_office):
    client.force_login(group_office)
    assert client.get(reverse("triage:category_edit", args=[999999])).status_code == 404
    assert client.post(reverse("triage:category_delete", args=[999999])).status_code == 404


def test_audit_log_page_labels_the_category_changes(client, group_office, auditor):
    category_create(actor=group_office, code="audited", name_zh="审计类别")
    client.force_login(auditor)
    with translation.override("zh-hans"):
        page = client.get(reverse("audit:list")).content.decode()
    assert "类别目录变更" in page and "类别代码" in page and "审计类别" in page


def test_a_category_with_a_retention_rule_is_not_deleted(client, group_office):
    """The rule would go with the category without a word (it cascades): the category counts as in use."""
    from huiyin.retention.models import RetentionRule

    category = category_create(actor=group_office, code="kept", name_zh="长期保存类")
    RetentionRule.objects.create(category=category, archive_years=30, personal_data_years=10)
    client.force_login(group_office)
    assert reverse("triage:category_delete", args=[category.pk]) not in client.get(URL).content.decode()
    client.post(reverse("triage:category_delete", args=[category.pk]))
    assert Category.objects.filter(pk=category.pk).exists()
    assert RetentionRule.objects.filter(category=category).exists()


def test_a_name_differing_only_by_an_invisible_character_is_a_duplicate(group_office):
    """Found in a walk-through: 工资薪酬 with a zero-width space was a second, identical-looking 工资薪酬."""
    with pytest.raises(DomainError) as refused:
        category_create(actor=group_office, code="wages2", name_zh="工资\u200b薪酬")
    assert "name_zh" in refused.value.fields and not Category.objects.filter(code="wages2").exists()
    made = category_create(actor=group_office, code="night_shift", name_zh="\ufeff夜班\u200d补贴\u2060")
    assert made.name_zh == "夜班补贴"


def test_keywords_may_be_separated_by_chinese_punctuation(group_office, make_case):
    """Found in a walk-through: "培训，技能培训、职称评定;学历" was kept as one keyword, and matched nothing."""
    made = category_create(
        actor=group_office, code="training", name_zh="培训与职称", keywords="培训，技能培训、职称评定;学历；夜校 , 进修"
    )
    assert category_keywords(made) == ["培训", "技能培训", "职称评定", "学历", "夜校", "进修"]
    case = make_case(subject="请求组织职称评定", content="希望公司组织职称评定和技能培训。")
    assert Suggestion.objects.get(case=case, kind="category").category == made


def test_uses_of_one_kind_in_two_roles_are_told_apart(group_office, make_case):
    """Found in a walk-through: the delete page listed 智能建议: 59 and 智能建议: 21, the same label twice."""
    from huiyin.triage.services import category_uses, suggestion_correct

    wages, housing = Category.objects.get(code="wages"), Category.objects.get(code="housing")
    suggested = Suggestion.objects.get(case=make_case(), kind="category")
    assert suggested.category == wages
    suggestion_correct(suggestion=suggested, actor=group_office, category=housing)
    with translation.override("zh-hans"):
        assert dict(category_uses(category=wages))["智能建议（问题类别）"] == 1
        assert dict(category_uses(category=housing))["智能建议（更正为）"] == 1


def test_the_audit_log_names_the_category_changed(client, group_office, auditor):
    """Found in a walk-through: the log's object column read 问题类别 wages, the code only."""
    category_create(actor=group_office, code="night_pay", name_zh="夜班津贴")
    client.force_login(auditor)
    page = client.get(reverse("audit:list"), {"action": "taxonomy.change"}).content.decode()
    assert "问题类别 夜班津贴（night_pay）" in page


def test_a_category_added_without_a_code_gets_one(client, group_office):
    """Found in a walk-through: adding a category required a Latin code (canteen_welfare) of Chinese staff."""
    client.force_login(group_office)
    count = Category.objects.count()
    response = client.post(URL, {"code": "", "name_zh": "困难帮扶"})
    assert response.status_code == 302
    made = Category.objects.get(name_zh="困难帮扶")
    assert made.code == f"category_{count + 1}"
    Category.objects.create(code=f"category_{count + 3}", name_zh="占位", sort=1)
    client.post(URL, {"code": " ", "name_zh": "劳模待遇"})
    client.post(URL, {"code": "", "name_zh": "子女入学"})
    codes = {c.name_zh: c.code for c in Category.objects.filter(name_zh__in=["劳模待遇", "子女入学"])}
    assert codes == {"劳模待遇": f"category_{count + 4}", "子女入学": f"category_{count + 5}"}
