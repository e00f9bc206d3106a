"""Staff sign-in: brute-force limit with a cool-off, audit records, sessions end when an account is disabled."""

from django.urls import reverse

from huiyin.audit.models import AuditRecord


def test_sign_in_page_is_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_repeated_failures_cool_off_the_account_even_with_the_right_password(client, clerk, settings):
    settings.HUIYIN_STAFF_LOGIN_FAILURES = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "clerk", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "clerk", "password": "pw-Huiyin-2026"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="auth.login_failed").count() == 3


def test_other_accounts_are_not_cooled_off(client, clerk, office, settings):
    settings.HUIYIN_STAFF_LOGIN_FAILURES = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "clerk", "password": "nope"})
    response = client.post(reverse("login"), {"username": "office", "password": "pw-Huiyin-2026"})
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="auth.login", actor_name="office").exists()


def test_new_session_id_at_sign_in(client, clerk):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    client.post(reverse("login"), {"username": "clerk", "password": "pw-Huiyin-2026"})
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"


def test_disabling_an_account_ends_its_sessions(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("cases:list")).status_code == 200
    clerk.is_active = False
    clerk.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_idle_session_times_out(client, clerk, settings):
    import time

    settings.SESSION_IDLE_SECONDS = 60
    client.force_login(clerk)
    assert client.get(reverse("cases:list")).status_code == 200
    session = client.session
    session["_last_seen"] = int(time.time()) - 3600
    session.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302


def test_security_headers(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("cases:list"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
