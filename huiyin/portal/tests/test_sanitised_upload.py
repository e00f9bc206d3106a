"""An anonymous employee's files go through the same checks and metadata stripping as the staff intake."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huiyin.cases.models import Case
from huiyin.cases.tests.sample_files import BILLION_LAUGHS, phone_photo, replace_parts, word_file
from huiyin.portal.tests.test_pages import form_body


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_anonymous_photo_is_stored_with_a_copy_without_gps(client, org):
    photo = phone_photo()
    response = client.post(reverse("portal:home"), {**form_body(), "attachments": SimpleUploadedFile("a.jpg", photo)})

    assert response.status_code == 201, response.content.decode()[:2000]
    attachment = Case.objects.get().attachments.get()
    assert attachment.file.read() == photo  # the evidence as received
    assert attachment.sanitiser == "image" and attachment.metadata_removed
    assert b"CAM-SERIAL-4711" not in attachment.handler_file.read()


def test_word_file_with_entity_expansion_is_refused_and_nothing_is_submitted(client, org):
    bomb = replace_parts(word_file(), {"docProps/core.xml": BILLION_LAUGHS})
    response = client.post(reverse("portal:home"), {**form_body(), "attachments": SimpleUploadedFile("a.docx", bomb)})

    assert response.status_code == 400
    assert not Case.objects.exists()
