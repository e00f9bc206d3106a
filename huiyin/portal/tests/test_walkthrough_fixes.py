"""Defects from the QA walk-through of the employee portal (phone viewport).

1. Back, then Submit again, made a second case; 2. a replaced receipt code said "not found";
3. the printed receipt slip was thin and had no way back to the case; 4. "provisional" meant nothing
and showed on finished clocks; 5. an invalid subject had no red border; 6. a full-width colon in English.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Case
from huiyin.clock.rules import NATIONAL_2022
from huiyin.core.dates import date_text
from huiyin.portal import receipts
from huiyin.portal.models import Receipt
from huiyin.portal.services import REPLACED_CODES_CHECKED, receipt_issue
from huiyin.workflow.models import Deadline, DeadlineKind

REPLACED = "This receipt code has been replaced by a new one. Use the new code, or contact the petition office."

RECEIPT = re.compile(r"\d{4}-\d{6}(?:-[0-9A-Z]{4}){6}")
KEY_INPUT = re.compile(r'<input type="hidden" name="idempotency_key" value="([^"]+)"')


def form_body(key, **overrides):
    body = {
        "idempotency_key": key,
        "type": "claim",
        "subject": "食堂饭菜涨价",
        "content": "食堂午餐从12元涨到18元，没有通知。",
        "anonymous": "on",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def open_form(client):
    """What a browser does for /portal/: follow the redirect to a form of its own; (url, key)."""
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
    url = response.url
    page = client.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    return url, KEY_INPUT.search(page.content.decode()).group(1)


# 1. Back and submit again -----------------------------------------------------------------------


def test_each_new_form_gets_a_key_of_its_own_in_its_address(client, org):
    url, key = open_form(client)
    other_url, other_key = open_form(client)

    assert parse_qs(urlsplit(url).query)["form"] == [key]
    assert key != other_key and url != other_url


def test_back_then_submit_again_lands_on_already_submitted_not_a_second_case(client, org):
    # given a submitted form and its receipt
    url, key = open_form(client)
    first = client.post(url, form_body(key))
    assert first.status_code == 201 and RECEIPT.search(first.content.decode())

    # when the petitioner goes Back (the page is never stored: the browser fetches it again) ...
    back = client.get(url)
    assert KEY_INPUT.search(back.content.decode()).group(1) == key  # the key already used, not a new one
    # ... and presses Submit again on the restored form
    again = client.post(url, form_body(key))

    # then they get the same answer as a reload: already submitted, no receipt, one case
    assert again.status_code == 200 and RECEIPT.search(again.content.decode()) is None
    assert Case.objects.count() == 1
    assert Case.objects.get().case_no in again.content.decode()


def test_resubmitting_without_the_files_is_the_same_submission(client, org):
    # A browser never restores a file input on Back: the form comes back with the text only.
    url, key = open_form(client)
    upload = SimpleUploadedFile("排班表.txt", "十月排班\n".encode(), content_type="text/plain")
    assert client.post(url, {**form_body(key), "attachments": upload}).status_code == 201

    again = client.post(url, form_body(key))

    assert again.status_code == 200 and RECEIPT.search(again.content.decode()) is None
    case = Case.objects.get()
    assert case.attachments.count() == 1  # nothing accepted is lost either


def test_a_changed_form_under_a_used_key_keeps_the_text_and_needs_one_more_press(client, org):
    url, key = open_form(client)
    first = client.post(url, form_body(key))
    first_no = Case.objects.get().case_no

    changed = client.post(url, form_body(key, subject="澡堂热水不足"))

    html = changed.content.decode()
    assert changed.status_code == 400 and Case.objects.count() == 1
    assert "澡堂热水不足" in html  # what was typed is kept
    new_key = KEY_INPUT.search(html).group(1)
    assert new_key != key
    assert first_no not in html  # a key alone never reveals the case it made
    # One more press sends it, as a new matter, under the new key.
    sent = client.post(url, form_body(new_key, subject="澡堂热水不足"))
    assert sent.status_code == 201 and Case.objects.count() == 2
    assert first.status_code == 201


def test_submit_another_matter_opens_a_fresh_form(client, org):
    url, key = open_form(client)
    html = client.post(url, form_body(key)).content.decode()

    assert f'href="{reverse("portal:home")}" id="submit-another"' in html
    _next_url, next_key = open_form(client)
    assert next_key != key
    assert client.post(_next_url, form_body(next_key, subject="另一件事")).status_code == 201
    assert Case.objects.count() == 2


def test_only_a_browser_form_may_drop_the_files_of_a_used_key(org):
    # An API client resends what it sent: for it a body without the files is another body.
    from huiyin.portal.services import IdempotencyConflict, Submission, portal_submit

    submission = Submission(type="claim", subject="排班", content="十月排班有误。", anonymous=True)
    upload = SimpleUploadedFile("排班表.txt", "十月排班\n".encode(), content_type="text/plain")
    portal_submit(key="svc-key-000001", submission=submission, uploads=[upload])

    with pytest.raises(IdempotencyConflict):
        portal_submit(key="svc-key-000001", submission=submission)
    replay = portal_submit(key="svc-key-000001", submission=submission, files_may_be_missing=True)
    assert replay.replayed and replay.receipt is None and Case.objects.count() == 1
    other = Submission(type="claim", subject="排班", content="另一件事。", anonymous=True)
    with pytest.raises(IdempotencyConflict):
        portal_submit(key="svc-key-000001", submission=other, files_may_be_missing=True)


# 2. A replaced receipt code ---------------------------------------------------------------------


def _secret_part(receipt: str) -> str:
    return receipt.split("-", 2)[2]


def _flip_last(receipt: str) -> str:
    return receipt[:-1] + ("0" if receipt[-1] != "0" else "1")


@pytest.fixture
def replaced(submitted, clerk):
    """(case, old receipt, new receipt): the office re-issued the code (补发新回执码)."""
    case, old = submitted
    new = receipt_issue(case=case, actor=clerk, reason="信访人遗失回执")
    return case, old, new


def test_a_replaced_code_says_so(client, replaced):
    _case, old, new = replaced

    response = client.post(reverse("portal:track"), {"receipt": old})

    assert response.status_code == 410
    html = response.content.decode()
    assert (
        gettext("This receipt code has been replaced by a new one. Use the new code, or contact the petition office.")
        in html
    )
    assert gettext("No matter was found for this receipt code. Check it and try again.") not in html
    assert client.get(reverse("portal:case"))["Location"] == reverse("portal:track")  # and it opens nothing
    assert client.post(reverse("portal:track"), {"receipt": new}).status_code == 302


def test_a_guess_at_a_case_with_a_replaced_code_learns_nothing(client, replaced):
    case, old, _new = replaced
    unknown = client.post(reverse("portal:track"), {"receipt": "2099-999999-" + _secret_part(old)})
    wrong = client.post(reverse("portal:track"), {"receipt": _flip_last(old)})

    assert unknown.status_code == wrong.status_code == 404
    replaced_text = gettext(REPLACED)[:10]
    assert replaced_text not in unknown.content.decode() and replaced_text not in wrong.content.decode()


def test_the_code_replaced_before_last_is_recognised_too(client, replaced, clerk):
    case, old, _new = replaced
    receipt_issue(case=case, actor=clerk, reason="再次补发")

    assert client.post(reverse("portal:track"), {"receipt": old}).status_code == 410


@pytest.mark.parametrize("which", ["unknown", "wrong", "replaced"])
def test_every_failed_lookup_costs_the_same_verifications(client, replaced, monkeypatch, which):
    case, old, _new = replaced
    text = {"unknown": "2099-999999-" + _secret_part(old), "wrong": _flip_last(old), "replaced": old}[which]
    calls = []
    real = receipts.verify_secret
    monkeypatch.setattr(receipts, "verify_secret", lambda h, s: calls.append(h) or real(h, s))

    client.post(reverse("portal:track"), {"receipt": text})

    assert len(calls) == 1 + REPLACED_CODES_CHECKED
    old_hash = Receipt.objects.get(case=case, revoked_at__isnull=False).secret_hash
    assert (old_hash in calls) == (which != "unknown")  # a replaced code is checked against the kept old hash


def test_a_replaced_code_is_audited_and_counted_like_any_failure(client, replaced, settings):
    settings.HUIYIN_RECEIPT_FAILURES_PER_CASE = 2
    case, old, new = replaced

    client.post(reverse("portal:track"), {"receipt": old})
    client.post(reverse("portal:track"), {"receipt": old})

    denied = AuditRecord.objects.filter(action=AuditAction.ACCESS_DENIED, object_type="portal.receipt")
    assert [d.detail["reason"] for d in denied] == ["receipt_replaced", "receipt_replaced"]
    assert client.post(reverse("portal:track"), {"receipt": new}).status_code == 429


def test_an_open_page_whose_code_was_replaced_says_so(client, submitted, clerk):
    case, receipt = submitted
    client.post(reverse("portal:track"), {"receipt": receipt})
    receipt_issue(case=case, actor=clerk, reason="补办")

    response = client.get(reverse("portal:case"), follow=True)

    assert response.redirect_chain == [(reverse("portal:track"), 302)]
    assert gettext(REPLACED)[:10] in response.content.decode()
    assert case.content not in response.content.decode()


# 3. The receipt slip ----------------------------------------------------------------------------


def _print_slip(client, user, case):
    client.force_login(user)
    response = client.post(reverse("portal:receipt_slip", args=[case.case_no]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_slip_states_subject_office_date_acceptance_and_how_to_follow(client, case, clerk):
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER)

    html = _print_slip(client, clerk, case)

    assert case.subject in html and case.unit.name in html
    assert date_text(timezone.localtime(case.received_at)) in html
    notice = _notice(html)
    assert date_text(clock.due) in notice and "15" in notice
    assert "http://testserver" + reverse("portal:track") in html and RECEIPT.search(html)


def test_the_slip_says_15_days_when_no_clock_runs(client, case, clerk):
    Deadline.objects.filter(case=case, kind=DeadlineKind.REGISTER).update(cancelled_at=timezone.now())

    notice = _notice(_print_slip(client, clerk, case))

    assert "15" in notice and not re.search(r"\d{4}(?:-\d{2}-\d{2}|年\d{1,2}月\d{1,2}日)", notice)


def _notice(html):
    return re.search(r'id="slip-acceptance">([^<]+)<', html).group(1)


def test_the_slip_explains_a_provisional_acceptance_date(client, case, clerk):
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.REGISTER)
    Deadline.objects.filter(pk=clock.pk).update(provisional=True)

    notice = _notice(_print_slip(client, clerk, case))

    assert notice == gettext(
        "Under {basis}, the office will decide by {due} (within {limit} of receiving the matter; the date may "
        "change once the holiday schedule is published) whether to accept it, and tell you."
    ).format(
        basis=NATIONAL_2022.rules["register"].article,
        due=date_text(clock.due),
        limit=gettext("{days} days").format(days=15),
    )


def test_the_slip_leads_staff_back_to_the_case_and_not_on_paper(client, case, clerk):
    html = _print_slip(client, clerk, case)

    back = re.search(r'<p class="p-noprint p-back"><a href="([^"]+)" id="back-to-case">', html)
    assert back and back.group(1) == case.get_absolute_url()
    issue = client.get(reverse("portal:receipt_slip", args=[case.case_no])).content.decode()
    assert f'href="{case.get_absolute_url()}" id="back-to-case"' in issue


def test_a_clerk_who_cannot_see_the_case_is_led_to_the_staff_home(client, make_case, clerk):
    report = make_case(type="accusation", subject="检举某科长收受好处", anonymous=True, petitioner=None)

    html = _print_slip(client, clerk, report)

    assert f'href="{reverse("home")}" id="back-to-case"' in html
    assert report.get_absolute_url() not in html


# 4. Provisional clocks --------------------------------------------------------------------------


def _open_case_page(client, receipt):
    assert client.post(reverse("portal:track"), {"receipt": receipt}).status_code == 302
    return client.get(reverse("portal:case")).content.decode()


def test_a_provisional_clock_is_explained_in_plain_words(client, submitted):
    case, receipt = submitted
    Deadline.objects.filter(case=case, kind=DeadlineKind.REGISTER).update(provisional=True)

    html = _open_case_page(client, receipt)

    clocks = html[html.index('id="clocks"') :]
    assert gettext("(may change once the holiday schedule is published)") in clocks
    assert f">{gettext('provisional')}<" not in clocks and "title=" not in clocks


def test_a_finished_clock_is_never_called_provisional(client, api, submitted):
    case, receipt = submitted
    Deadline.objects.filter(case=case, kind=DeadlineKind.REGISTER).update(provisional=True, met_at=timezone.now())

    html = _open_case_page(client, receipt)

    clocks = html[html.index('id="clocks"') :]
    assert "✓" in clocks
    assert gettext("(may change once the holiday schedule is published)") not in clocks
    assert f">{gettext('provisional')}<" not in clocks
    data = api.case(receipt).json()
    assert [c["provisional"] for c in data["clocks"] if c["rule"] == "register"] == [False]


# 5. Invalid fields look the same ----------------------------------------------------------------


def _widget(html, name):
    return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


def test_every_invalid_field_is_marked_the_same_way(client, org):
    html = client.post(reverse("portal:home"), form_body("form-key-000005", type=None, subject="", content=""))
    html = html.content.decode()

    for name in ("subject", "content", "type"):
        widget = _widget(html, name)
        assert 'aria-invalid="true"' in widget and "p-invalid" in widget, widget
    assert "p-invalid" not in _widget(html, "contact")  # only the invalid ones


def test_the_stylesheet_draws_an_invalid_text_input_like_an_invalid_textarea():
    # The bug: `.has-error input` lost to the more specific `.p-field input[type=text]`.
    from django.contrib.staticfiles import finders

    css = Path(finders.find("portal/portal.css")).read_text(encoding="utf-8")
    rule = ".p-field :is(input, textarea, select).p-invalid"
    assert rule in css and css.index(rule) > css.index(".p-field input[type=text]")
    assert ".has-error input" not in css


# 6. Punctuation follows the language ------------------------------------------------------------


def test_the_english_receipt_page_has_no_full_width_colon(client, org, english):
    with override("en"):
        html = client.post(reverse("portal:home"), form_body("form-key-000006"))
        html = html.content.decode()

    assert "Case number" in html and "：" not in html


def test_a_named_matter_sent_while_signed_in_points_to_my_matters(client, org, employee):
    """Found in a walk-through: the receipt page told a signed-in named submitter only to come back with the code."""
    client.force_login(employee)
    url, key = open_form(client)
    response = client.post(url, form_body(key, anonymous=None, name="陈职工", contact="13800001111"))
    assert response.status_code == 201, response.content.decode()[-2000:]
    html = response.content.decode()
    assert f'href="{reverse("portal:mine")}"' in html and "我的事项" in html

    client.logout()
    url, key = open_form(client)
    anonymous = client.post(url, form_body(key, subject="澡堂热水不足")).content.decode()
    assert f'href="{reverse("portal:mine")}">' not in anonymous and "请凭回执码回来查看留言和答复。" in anonymous
    # Each language joins the two sentences its own way: no space between Chinese sentences.
    assert "告知您。请凭回执码" in anonymous and "告知您。可在" in html
