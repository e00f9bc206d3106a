"""The in-app inbox page and the unread count in the top bar."""

import pytest
from django.urls import reverse

from huiyin.notify.models import OutboxMessage


@pytest.fixture
def leader_item(in_handling_case, leader):
    return OutboxMessage.objects.get(user=leader, channel="inbox", kind="case.assigned")


def test_inbox_needs_login(client, org):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_user_sees_own_items_and_the_unread_count(client, leader, leader_item, office):
    client.force_login(leader)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert f'data-notification="{leader_item.pk}"' in page
    assert 'id="inbox-unread">1<' in page
    client.force_login(office)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert f'data-notification="{leader_item.pk}"' not in page and 'id="inbox-unread"' not in page


def test_a_user_without_any_role_still_has_an_inbox(client, no_perm_user):
    client.force_login(no_perm_user)
    assert client.get(reverse("notify:inbox")).status_code == 200


def test_opening_marks_read_and_goes_to_the_case(client, leader, leader_item, in_handling_case):
    client.force_login(leader)
    response = client.post(reverse("notify:open", args=[leader_item.pk]))
    assert response.status_code == 302 and response["Location"] == in_handling_case.get_absolute_url()
    leader_item.refresh_from_db()
    assert leader_item.read_at is not None
    assert 'id="inbox-unread"' not in client.get(reverse("notify:inbox")).content.decode()


def test_another_users_item_is_not_found(client, office, leader_item):
    client.force_login(office)
    assert client.post(reverse("notify:read", args=[leader_item.pk])).status_code == 404
    assert client.post(reverse("notify:open", args=[leader_item.pk])).status_code == 404
    leader_item.refresh_from_db()
    assert leader_item.read_at is None


def test_mark_read_needs_post(client, leader, leader_item):
    client.force_login(leader)
    assert client.get(reverse("notify:read", args=[leader_item.pk])).status_code == 405


def test_mark_all_read(client, handler, in_handling_case):
    client.force_login(handler)
    assert client.post(reverse("notify:read_all")).status_code == 302
    assert not OutboxMessage.objects.filter(user=handler, read_at__isnull=True, channel="inbox").exists()


def test_unread_only_filter(client, leader, leader_item):
    client.force_login(leader)
    OutboxMessage.objects.filter(pk=leader_item.pk).update(read_at="2026-11-24T10:00:00+08:00")
    page = client.get(reverse("notify:inbox"), {"unread": "1"}).content.decode()
    assert f'data-notification="{leader_item.pk}"' not in page
