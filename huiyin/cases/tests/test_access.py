"""Scoping and the permission matrix of every staff page:
anonymous → sign-in, no permission → 403, other unit → 404, permitted → 200."""

import pytest
from django.urls import reverse

from huiyin.audit.models import AuditRecord
from huiyin.cases import services as s
from huiyin.cases.models import Case


def visible(user):
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_scope_follows_the_unit_subtree(
    case, clerk, office, handler, leader, other_unit_clerk, executive, no_perm_user
):
    assert case.pk in visible(clerk)
    assert case.pk in visible(office)
    assert case.pk in visible(leader)
    assert case.pk in visible(executive)  # group level sees the whole tree
    assert case.pk not in visible(other_unit_clerk)
    assert case.pk not in visible(no_perm_user)
    assert case.pk not in visible(handler)  # the plant sees it only once it handles it


def test_handling_unit_and_personal_assignment_grant_sight(
    in_handling_case, handler, other_unit_handler, office, leader, org
):
    assert in_handling_case.pk in visible(handler)
    assert in_handling_case.pk not in visible(other_unit_handler)
    s.case_assign(
        case=in_handling_case,
        actor=office,
        handling_unit=org["a_plant"],
        leader=leader,
        team=[other_unit_handler],
        plan="跨公司协办",
    )
    assert in_handling_case.pk in visible(other_unit_handler)


def test_discipline_compartment_is_closed_to_ordinary_staff(make_case, clerk, office, discipline, executive):
    report = make_case(type="accusation", subject="检举某分厂违规招聘")
    assert report.pk not in visible(clerk)
    assert report.pk not in visible(office)
    assert report.pk not in visible(executive)
    assert report.pk in visible(discipline)


def test_recused_user_loses_sight(case, office, clerk):
    s.case_recuse(case=case, user=clerk, reason="利益冲突", actor=office)
    assert case.pk not in visible(clerk)


def test_inactive_user_sees_nothing(case, clerk):
    clerk.is_active = False
    clerk.save()
    assert visible(clerk) == set()


def test_visible_to_uses_no_distinct_and_no_join_for_scope(clerk):
    sql = str(Case.objects.visible_to(clerk).query).upper()
    assert "DISTINCT" not in sql
    assert "EXISTS" in sql


PAGES = [
    ("home", lambda c: reverse("home")),
    ("list", lambda c: reverse("cases:list")),
    ("detail", lambda c: reverse("cases:detail", args=[c.pk])),
    ("action-accept", lambda c: reverse("cases:action", args=[c.pk, "accept"])),
    ("register", lambda c: reverse("intake:register")),
    ("api-list", lambda c: "/api/v1/cases"),
    ("api-detail", lambda c: f"/api/v1/cases/{c.pk}"),
]
OBJECT_PAGES = {"detail", "action-accept", "api-detail"}


@pytest.mark.parametrize(("name", "url"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, case, name, url):
    response = client.get(url(case))
    if name.startswith("api"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "url"), PAGES)
def test_no_permission_is_403(client, case, no_perm_user, name, url):
    client.force_login(no_perm_user)
    assert client.get(url(case)).status_code == 403


@pytest.mark.parametrize(("name", "url"), [p for p in PAGES if p[0] in OBJECT_PAGES])
def test_other_unit_is_404_and_logged(client, case, other_unit_clerk, name, url):
    client.force_login(other_unit_clerk)
    before = AuditRecord.objects.filter(action="access.denied").count()
    assert client.get(url(case)).status_code == 404
    assert AuditRecord.objects.filter(action="access.denied").count() == before + 1


@pytest.mark.parametrize(("name", "url"), PAGES)
def test_permitted_is_200(client, case, office, name, url):
    client.force_login(office)
    assert client.get(url(case)).status_code == 200


def test_missing_case_is_the_same_404(client, office):
    client.force_login(office)
    assert client.get(reverse("cases:detail", args=[999999])).status_code == 404


def test_attachment_and_identity_pages_follow_the_matrix(client, make_case, office, other_unit_clerk, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(uploads=[SimpleUploadedFile("工资条.txt", "八月工资条".encode())])
    attachment = case.attachments.get()
    url = reverse("cases:attachment", args=[case.pk, attachment.pk])
    client.force_login(other_unit_clerk)
    assert client.get(url).status_code == 404
    assert client.post(reverse("cases:identity", args=[case.pk]), {"reason": "核实身份"}).status_code == 404
    client.force_login(handler)  # not in scope before handling, and no unseal right
    assert client.get(url).status_code == 404
    assert client.post(reverse("cases:identity", args=[case.pk]), {"reason": "核实身份"}).status_code == 403
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == "八月工资条".encode()


def test_audit_page_is_for_auditors_only(client, auditor, office):
    client.force_login(office)
    assert client.get(reverse("audit:list")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("audit:list")).status_code == 200


def test_group_level_discipline_sees_the_whole_tree(make_case, org):
    """Regression: an empty Q() OR-ed with the personal clause used to narrow the scope to personal cases."""
    from huiyin.org.services import user_create

    group_discipline = user_create(username="g_disc", password=None, unit=org["group"], roles=["discipline"])
    general, report = make_case(), make_case(type="accusation")
    assert {general.pk, report.pk} <= visible(group_discipline)
