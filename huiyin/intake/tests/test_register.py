"""Registration from every channel through the staff page, and the checks on uploads."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from huiyin.cases.attachments import AttachmentError, inspect_upload, safe_filename
from huiyin.cases.models import Case
from huiyin.cases.states import Channel

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def form_data(**overrides):
    data = {
        "channel": "letter",
        "source": "own",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "type": "claim",
        "subject": "食堂饭菜价格上涨过快",
        "content": "二车间食堂近三个月菜价上涨三成，希望公开成本核算。",
        "name": "陈某",
        "phone": "13900002222",
        "headcount": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("channel", Channel.values)
def test_clerk_registers_from_every_channel(client, clerk, org, channel):
    client.force_login(clerk)
    response = client.post(reverse("intake:register"), form_data(channel=channel, unit=org["a_office"].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.channel == channel and case.status == "registered"
    assert case.petitioner.name == "陈某"  # decrypted on read …
    from django.db import connection

    with connection.cursor() as cursor:  # … but not stored as plain text
        cursor.execute("SELECT name, phone FROM people_petitioner")
        raw_name, raw_phone = cursor.fetchone()
    assert "陈某" not in raw_name and "13900002222" not in raw_phone


def test_anonymous_and_forwarded_registration(client, clerk, org):
    client.force_login(clerk)
    data = form_data(
        anonymous="on",
        name="",
        phone="",
        source="forwarded",
        forwarded_authority="省国资委信访处",
        forwarded_ref="国资信转〔2026〕8号",
        forwarded_deadline="2026-12-31",
        unit=org["a_office"].pk,
    )
    assert client.post(reverse("intake:register"), data).status_code == 302
    case = Case.objects.get()
    assert case.anonymous and case.petitioner is None
    assert case.forwarded_ref == "国资信转〔2026〕8号"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"content": "   "}, "content"),
        ({"channel": "pigeon"}, "channel"),
        ({"name": "", "phone": ""}, "name"),
        ({"source": "forwarded", "forwarded_authority": ""}, "forwarded_authority"),
        ({"collective": "on", "headcount": "1"}, "headcount"),
        (
            {
                "collective": "on",
                "headcount": "30",
                "representatives": "\n".join(f"代表{i},1380000000{i}" for i in range(6)),
            },
            "representatives",
        ),
        ({"received_at": "2099-01-01T08:00"}, "received_at"),
        ({"id_number": "12345"}, "id_number"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_changes_nothing(client, clerk, org, overrides, field):
    client.force_login(clerk)
    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Case.objects.count() == 0
    text = response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(response.context["form"].errors[field]))
    assert 'class="error"' in text


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"received_at": "1999-01-01T08:00"}, "received_at", "More than a year ago."),
        (
            {
                "source": "forwarded",
                "forwarded_authority": "省国资委信访处",
                "forwarded_ref": "国资信转〔2026〕9号",
                "forwarded_deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
            },
            "forwarded_deadline",
            "Before the day received.",
        ),
    ],
)
def test_implausible_dates_are_refused_on_their_field(client, clerk, org, overrides, field, error):
    from django.utils.translation import gettext

    client.force_login(clerk)
    response = client.post(reverse("intake:register"), form_data(unit=org["a_office"].pk, **overrides))
    assert response.status_code == 400
    assert gettext(error) in response.context["form"].errors[field]
    assert Case.objects.count() == 0


def test_registering_unit_must_be_in_scope(client, clerk, org):
    client.force_login(clerk)
    response = client.post(reverse("intake:register"), form_data(unit=org["b_office"].pk))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_upload_with_a_lying_extension_is_refused(client, clerk, org):
    client.force_login(clerk)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200)  # a Windows executable
    response = client.post(reverse("intake:register"), {**form_data(unit=org["a_office"].pk), "attachments": [fake]})
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_uploads_are_stored_with_type_from_bytes_and_safe_name(client, clerk, org):
    client.force_login(clerk)
    files = [SimpleUploadedFile("../../etc/工资单\u202egpj.exe", PNG), SimpleUploadedFile("scan.bin", PDF)]
    response = client.post(reverse("intake:register"), {**form_data(unit=org["a_office"].pk), "attachments": files})
    assert response.status_code == 302
    names = sorted(Case.objects.get().attachments.values_list("original_name", "content_type"))
    assert names == [("scan.pdf", "application/pdf"), ("工资单gpj.png", "image/png")]
    for attachment in Case.objects.get().attachments.all():
        assert "/" not in attachment.original_name
        assert ".." not in attachment.file.name and attachment.original_name not in attachment.file.name


def _docx(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_disguised_as_word_file_is_refused():
    bomb = _docx([("word/media/huge.bin", b"\x00" * (30 * 1024 * 1024))])
    with pytest.raises(AttachmentError):
        inspect_upload(SimpleUploadedFile("report.docx", bomb))


def test_ordinary_word_file_is_accepted():
    info = inspect_upload(SimpleUploadedFile("说明.docx", _docx([("word/styles.xml", "<w:styles/>" * 50)])))
    assert info.extension == "docx"


@pytest.mark.parametrize("data", [b"", b"x" * 0])
def test_empty_file_is_refused(data):
    with pytest.raises(AttachmentError):
        inspect_upload(SimpleUploadedFile("empty.txt", data))


def test_oversized_file_is_refused(settings):
    settings.HUIYIN_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(AttachmentError):
        inspect_upload(SimpleUploadedFile("big.txt", b"a" * 2048))


def test_binary_that_is_not_text_is_refused():
    with pytest.raises(AttachmentError):
        inspect_upload(SimpleUploadedFile("notes.txt", b"\x00\x01\x02\xff" * 100))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("..\\..\\boot.ini", "boot.txt"),
        ("a\u202eexe.txt", "aexe.txt"),
        ("\x00\x01bad.txt", "bad.txt"),
        ("", "file.txt"),
        ("...", "file.txt"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, "txt") == expected


def test_implausible_dates_are_refused_by_the_shared_check():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.utils.translation import gettext

    from huiyin.core.errors import DomainError
    from huiyin.intake.services import intake_dates_check

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 11, 24, 10, 0, tzinfo=tz)
    with pytest.raises(DomainError) as old:
        intake_dates_check(received_at=datetime(1999, 1, 1, 8, 0, tzinfo=tz), now=now)
    assert old.value.message == gettext("The time received cannot be more than a year ago: check the date.")
    assert list(old.value.fields) == ["received_at"]
    with pytest.raises(DomainError) as early:
        intake_dates_check(
            received_at=datetime(2026, 11, 2, 9, 0, tzinfo=tz),
            source="forwarded",
            forwarded_deadline=date(2026, 11, 1),
            now=now,
        )
    assert list(early.value.fields) == ["forwarded_deadline"]
    # Limits included: a year ago to the day, a deadline on the day received; an own matter has no deadline.
    intake_dates_check(received_at=datetime(2025, 11, 24, 0, 0, tzinfo=tz), now=now)
    intake_dates_check(
        received_at=datetime(2026, 11, 2, 9, 0, tzinfo=tz),
        source="forwarded",
        forwarded_deadline=date(2026, 11, 2),
        now=now,
    )
    intake_dates_check(received_at=now, source="own", forwarded_deadline=date(2026, 1, 1), now=now)
    with pytest.raises(DomainError):
        intake_dates_check(received_at=datetime(2025, 11, 23, 23, 59, tzinfo=tz), now=now)


def test_a_refused_file_is_reported_with_the_other_errors_and_named(client, clerk, org):
    """Found in a walk-through: with a missing subject and an .exe attached, only the subject was reported; the
    file's refusal came after a second try, once the browser had cleared the file field. Both come at once
    now, the file named."""
    client.force_login(clerk)
    exe = SimpleUploadedFile("工资条.exe", b"MZ\x90\x00\x03" + b"\x00" * 200)
    good = SimpleUploadedFile("scan.pdf", PDF)
    response = client.post(
        reverse("intake:register"), {**form_data(subject="", unit=org["a_office"].pk), "attachments": [good, exe]}
    )

    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert "subject" in errors and "attachments" in errors
    assert len(errors["attachments"]) == 1 and "“工资条.exe”" in errors["attachments"][0]
    assert "不接受此类文件" in errors["attachments"][0]
    assert not Case.objects.exists()
