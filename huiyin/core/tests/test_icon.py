from django.contrib.staticfiles import finders
from django.urls import reverse


def test_staff_and_portal_pages_name_a_local_icon(client, office):
    """Browsers ask for /favicon.ico (a 404 in every console) unless the page names an icon."""
    assert finders.find("img/favicon.svg")
    client.force_login(office)
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(reverse("home")).content.decode()
    client.logout()
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(reverse("portal:knowledge")).content.decode()
