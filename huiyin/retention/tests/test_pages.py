"""The office's pages: rules, the due list and the archival review; legal holds on the case page.
Rights are checked on the server, scope answers 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from huiyin.audit.models import AuditRecord
from huiyin.cases.models import Case, Category
from huiyin.retention.models import ArchiveReview, DestroyedCase, LegalHold, RetentionRule
from huiyin.retention.services import legal_hold_set
from huiyin.retention.tests.conftest import after, run_at


@pytest.fixture
def default_rule(db):
    return RetentionRule.objects.get(category__isnull=True)


@pytest.fixture
def due_review(closed_case):
    run_at(after(years=10, days=1))
    return ArchiveReview.objects.get(case=closed_case)


# Rules -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"), [("office", 200), ("discipline", 200), ("clerk", 403), ("handler", 403), ("auditor", 403)]
)
def test_who_sees_the_rules(client, request, persona, code, default_rule):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("retention:rules"))
    assert response.status_code == code
    if code == 200:
        assert f'data-rule="{default_rule.pk}"' in response.content.decode()


def test_the_office_changes_the_default_rule(client, office, default_rule):
    client.force_login(office)
    url = reverse("retention:rule_edit", args=[default_rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"archive_years": "30", "personal_data_years": "5", "archive_action": "review", "note": "信访档案30年"}
    )
    assert response.status_code == 302
    default_rule.refresh_from_db()
    assert (default_rule.archive_years, default_rule.personal_data_years, default_rule.updated_by) == (30, 5, office)
    record = AuditRecord.objects.get(action="retention.rule_change")
    assert record.detail["before"]["archive_years"] == 10 and record.detail["after"]["archive_years"] == 30


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"archive_years": "3", "personal_data_years": "5", "archive_action": "review"}, "personal_data_years"),
        ({"archive_years": "", "personal_data_years": "5", "archive_action": "destroy"}, "archive_action"),
        ({"archive_years": "0", "personal_data_years": "1", "archive_action": "review"}, "archive_years"),
        ({"archive_years": "10", "personal_data_years": "abc", "archive_action": "review"}, "personal_data_years"),
        ({"archive_years": "10", "personal_data_years": "3", "archive_action": "burn"}, "archive_action"),
    ],
)
def test_a_bad_rule_is_refused_and_changes_nothing(client, office, default_rule, data, field):
    client.force_login(office)
    response = client.post(reverse("retention:rule_edit", args=[default_rule.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    default_rule.refresh_from_db()
    assert (default_rule.archive_years, default_rule.personal_data_years) == (10, 3)
    assert not AuditRecord.objects.filter(action="retention.rule_change").exists()


@pytest.mark.parametrize("years", ["-3", "0"])
def test_too_few_years_are_refused_with_the_real_minimum(client, office, default_rule, years):
    from django.core.validators import MinValueValidator

    client.force_login(office)
    data = {"archive_years": years, "personal_data_years": "1", "archive_action": "review"}
    response = client.post(reverse("retention:rule_edit", args=[default_rule.pk]), data)
    assert response.status_code == 400
    expected = str(MinValueValidator(1).message) % {"limit_value": 1}  # Django's own message, saying 1
    assert response.context["form"].errors["archive_years"] == [expected]
    assert 'min="1"' in response.content.decode()


def test_a_category_rule_is_added_and_removed_but_not_the_default(client, office, default_rule):
    client.force_login(office)
    wages = Category.objects.get(code="wages")
    response = client.post(
        reverse("retention:rules"),
        {"category": wages.pk, "archive_years": "30", "personal_data_years": "3", "archive_action": "review"},
    )
    assert response.status_code == 302
    rule = RetentionRule.objects.get(category=wages)
    # The same category twice is not offered.
    again = client.post(
        reverse("retention:rules"),
        {"category": wages.pk, "archive_years": "30", "personal_data_years": "3", "archive_action": "review"},
    )
    assert again.status_code == 400 and RetentionRule.objects.filter(category=wages).count() == 1
    # Removing it would put wages cases under the 10-year default: refused, with the way to do it.
    refused = client.post(reverse("retention:rule_delete", args=[rule.pk]), follow=True)
    assert "先将其改为较短的期限" in refused.content.decode() and RetentionRule.objects.filter(pk=rule.pk).exists()
    # Made equal to the default, the change waits out its notice; after it the rule can go.
    same = {"archive_years": "10", "personal_data_years": "3", "archive_action": "review"}
    assert client.post(reverse("retention:rule_edit", args=[rule.pk]), same).status_code == 302
    assert client.post(reverse("retention:rule_delete", args=[rule.pk])).status_code == 302
    assert RetentionRule.objects.filter(pk=rule.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client.force_login(office)
        assert client.post(reverse("retention:rule_delete", args=[rule.pk])).status_code == 302
    assert not RetentionRule.objects.filter(category=wages).exists()
    client.post(reverse("retention:rule_delete", args=[default_rule.pk]))
    assert RetentionRule.objects.filter(pk=default_rule.pk).exists()


def test_a_shortened_rule_shows_its_notice_on_the_rules_page(client, office, default_rule):
    client.force_login(office)
    shorter = {"archive_years": "10", "personal_data_years": "1", "archive_action": "review"}
    assert client.post(reverse("retention:rule_edit", args=[default_rule.pk]), shorter).status_code == 302
    default_rule.refresh_from_db()
    assert default_rule.personal_data_years == 1 and default_rule.longer["personal_data_years"] == 3
    page = client.get(reverse("retention:rules")).content.decode()
    row = page[page.index(f'data-rule="{default_rule.pk}"') :]
    until = timezone.localtime(default_rule.longer_until)
    assert f"{until.year}年{until.month}月{until.day}日" in row[: row.index("</tr>")]  # the page's date format
    assert "个人信息 3 年" in row[: row.index("</tr>")]


@pytest.mark.parametrize("persona", ["discipline", "clerk", "handler"])
def test_only_the_office_changes_rules(client, request, persona, default_rule):
    client.force_login(request.getfixturevalue(persona))
    data = {"archive_years": "1", "personal_data_years": "1", "archive_action": "destroy"}
    assert client.post(reverse("retention:rule_edit", args=[default_rule.pk]), data).status_code == 403
    assert client.post(reverse("retention:rule_delete", args=[default_rule.pk])).status_code == 403
    default_rule.refresh_from_db()
    assert default_rule.archive_years == 10


# The due list and the archival review ------------------------------------------------------------------


def test_the_due_list_shows_reviews_and_held_back_data_in_scope(client, office, other_unit_clerk, closed_case):
    legal_hold_set(case=closed_case, actor=office, reason="诉讼中，保留材料")
    run_at(after(years=3, days=1))
    with time_machine.travel(after(years=3, days=2), tick=False):
        client.force_login(office)
        page = client.get(reverse("retention:due"))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="waiting-table"' in html and f'data-case="{closed_case.pk}"' in html
        client.force_login(other_unit_clerk)  # the petition office of another company
        html = client.get(reverse("retention:due")).content.decode()
    assert 'id="waiting-table"' in html and f'data-case="{closed_case.pk}"' not in html


def test_the_office_keeps_an_archive_longer(client, office, due_review):
    client.force_login(office)
    url = reverse("retention:review_decide", args=[due_review.pk])
    assert f'data-review="{due_review.pk}"' in client.get(reverse("retention:due")).content.decode()
    assert client.get(url).status_code == 200
    with time_machine.travel(after(years=10, days=2), tick=False):
        client.force_login(office)
        response = client.post(url, {"decision": "keep", "keep_years": "5", "reason": "典型案例，延长保管"})
    assert response.status_code == 302
    due_review.refresh_from_db()
    assert due_review.decision == "keep" and due_review.decided_by == office and due_review.keep_until
    assert run_at(after(years=12)).marked_for_review == 0  # kept: not due again before keep_until


@pytest.fixture
def ten_years_on():
    with time_machine.travel(after(years=10, days=2), tick=False):
        yield


def test_the_office_destroys_an_archive_after_review(client, office, due_review, closed_case, ten_years_on):
    client.force_login(office)
    url = reverse("retention:review_decide", args=[due_review.pk])
    assert client.post(url, {"decision": "destroy", "reason": ""}).status_code == 400
    assert Case.objects.filter(pk=closed_case.pk).exists()
    response = client.post(url, {"decision": "destroy", "reason": "保管期满，经鉴定无保存价值"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    entry = DestroyedCase.objects.get(case_no=closed_case.case_no)
    assert entry.destroyed_by == office and entry.reason == "保管期满，经鉴定无保存价值"


def test_a_hold_set_after_marking_still_blocks_destruction(client, office, due_review, closed_case, ten_years_on):
    legal_hold_set(case=closed_case, actor=office, reason="上级交办复查，保留档案")
    client.force_login(office)
    response = client.post(
        reverse("retention:review_decide", args=[due_review.pk]), {"decision": "destroy", "reason": "保管期满"}
    )
    assert response.status_code == 400
    assert Case.objects.filter(pk=closed_case.pk).exists() and not DestroyedCase.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("other_unit_clerk", 404), ("clerk", 403), ("handler", 403)])
def test_the_review_is_scoped_and_needs_the_right(
    client, request, persona, code, due_review, closed_case, ten_years_on
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("retention:review_decide", args=[due_review.pk])
    assert client.get(url).status_code == code
    assert client.post(url, {"decision": "destroy", "reason": "保管期满，无保存价值"}).status_code == code
    assert Case.objects.filter(pk=closed_case.pk).exists()


# Legal holds on the case page --------------------------------------------------------------------------


def test_the_office_sets_and_lifts_a_hold_on_the_case_page(client, office, closed_case):
    client.force_login(office)
    page = client.get(closed_case.get_absolute_url()).content.decode()
    assert 'data-action="legal_hold_set"' in page and 'data-action="legal_hold_lift"' not in page
    url = reverse("cases:action", args=[closed_case.pk, "legal_hold_set"])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "劳动争议诉讼中，法院调取材料"}).status_code == 302
    hold = LegalHold.objects.get(case=closed_case)
    assert hold.set_by == office and hold.active
    page = client.get(closed_case.get_absolute_url()).content.decode()
    assert 'id="legal-hold-active"' in page and 'data-action="legal_hold_lift"' in page

    lift = reverse("cases:action", args=[closed_case.pk, "legal_hold_lift"])
    assert client.post(lift, {"hold": hold.pk, "lift_reason": ""}).status_code == 400
    assert client.post(lift, {"hold": hold.pk, "lift_reason": "判决已生效，解除保全"}).status_code == 302
    hold.refresh_from_db()
    assert not hold.active and hold.lifted_by == office
    assert list(AuditRecord.objects.filter(action__startswith="retention.hold").values_list("action", flat=True)) == [
        "retention.hold_lift",
        "retention.hold_set",
    ]


@pytest.mark.parametrize(("persona", "code"), [("handler", 403), ("clerk", 403), ("other_unit_clerk", 404)])
def test_who_may_set_a_hold(client, request, persona, code, closed_case):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("cases:action", args=[closed_case.pk, "legal_hold_set"])
    assert client.post(url, {"reason": "需要保留全部材料"}).status_code == code
    assert not LegalHold.objects.exists()


def test_a_hold_of_another_case_cannot_be_lifted_through_this_one(client, office, closed_case, make_case):
    other = make_case(subject="另一事项")
    hold = legal_hold_set(case=other, actor=office, reason="另一案件的诉讼保全")
    legal_hold_set(case=closed_case, actor=office, reason="本案诉讼保全")
    client.force_login(office)
    lift = reverse("cases:action", args=[closed_case.pk, "legal_hold_lift"])
    assert client.post(lift, {"hold": hold.pk, "lift_reason": "误操作解除"}).status_code == 400
    hold.refresh_from_db()
    assert hold.active
