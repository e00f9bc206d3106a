"""The admin names roles and permissions in Chinese, keeps role groups read-only, and has no English left over."""

from __future__ import annotations

import html
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from huiyin.org.models import User
from huiyin.org.roles import ROLE_PERMISSIONS
from huiyin.org.testing import otp_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(org, clerk):
    user = User.objects.create_superuser(username="root", password="pw-Huiyin-2026", email="root@example.com")
    return otp_verified(user)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def _page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_user_form_lists_roles_and_permissions_in_words(admin_client, clerk):
    page = _page(admin_client.get(reverse("admin:org_user_change", args=[clerk.pk])))
    groups = page.split('name="groups"', 1)[1].split("</select>", 1)[0]
    assert "登记员（clerk）" in groups and ">clerk<" not in groups
    permissions = page.split('name="user_permissions"', 1)[1].split("</select>", 1)[0]
    assert "Can add" not in permissions and "Can view" not in permissions
    assert "信访事项 | 信访事项 | 新增信访事项" in permissions
    # Permissions that mean nothing to grant (two-step devices change only through audited services) are not offered.
    assert "device" not in permissions and "Otp" not in permissions and "会话" not in permissions
    assert "时限与督办 | 不计入期限的时间 | 可登记不计入期限的时间（听证时间）" in permissions


def test_the_user_list_shows_and_filters_roles(admin_client, clerk, office):
    page = _page(admin_client.get(reverse("admin:org_user_changelist"), {"role": "clerk"}))
    rows = page.split('id="result_list"', 1)[1]
    assert "登记员（clerk）" in rows and ">office<" not in rows and "王登记" in rows


def test_a_role_group_is_read_only_and_lists_its_permissions(admin_client):
    group = Group.objects.get(name="custodian")
    before = set(group.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = _page(admin_client.get(url))
    assert "身份信息保管人（custodian）" in page and "由系统设定" in page and 'name="permissions"' not in page
    listed = page.split("由系统设定", 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == len(before) and "Can " not in listed
    assert admin_client.post(url, {"name": "custodian", "permissions": []}).status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 403
    assert Group.objects.filter(name="custodian").exists()


def test_a_group_that_is_no_role_stays_editable(admin_client):
    extra = Group.objects.create(name="档案室")
    permission = Permission.objects.get(codename="view_case")
    url = reverse("admin:auth_group_change", args=[extra.pk])
    assert 'name="permissions"' in _page(admin_client.get(url))
    response = admin_client.post(url, {"name": "档案室", "permissions": [permission.pk]})
    assert response.status_code == 302
    assert list(extra.permissions.all()) == [permission]
    assert "custodian" in ROLE_PERMISSIONS and "档案室" not in ROLE_PERMISSIONS


def test_admin_messages_missing_from_djangos_catalogue_read_in_chinese(admin_client):
    add = _page(admin_client.get(reverse("admin:org_user_add")))
    assert "创建用户后，即可编辑更多用户信息" in add and "After you" not in add
    catalogue = admin_client.get(reverse("admin:jsi18n")).content.decode()
    for text in ("选择全部%s", "移除全部%s", "选中要添加的%s，然后点击“选择”箭头。"):
        assert json.dumps(text)[1:-1] in catalogue  # the catalogue is JSON with \\u escapes


def test_a_group_is_named_as_a_group_and_cannot_take_a_roles_code(admin_client):
    add = reverse("admin:auth_group_add")
    page = _page(admin_client.get(add))
    assert "组名称" in page and "姓名" not in page.split('id="group_form"', 1)[1]
    refused = _page(admin_client.post(add, {"name": "auditor", "permissions": []}))
    assert "“auditor”是角色“审计员”的代码，请另取一个名称。" in refused
    assert admin_client.post(add, {"name": "档案室", "permissions": []}).status_code == 302
    again = _page(admin_client.post(add, {"name": "档案室", "permissions": []}))
    assert "已有名为“档案室”的组。" in again
    assert Group.objects.filter(name="档案室").count() == 1
    listing = _page(admin_client.get(reverse("admin:auth_group_changelist")))
    assert "角色或组" in listing and "审计员（auditor）" in listing
