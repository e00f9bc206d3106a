"""Fixtures of the retention tests: a case closed at a fixed moment, with identities and attachments,
and a way to run the retention job years later (time-machine)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED_AT = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


def after(*, years: int, days: int = 0) -> datetime:
    """`years` calendar years and `days` days after the case was closed."""
    return CLOSED_AT.replace(year=CLOSED_AT.year + years) + timedelta(days=days)


def run_at(moment: datetime, **kwargs):
    from huiyin.retention.services import retention_run

    with time_machine.travel(moment, tick=False):
        return retention_run(**kwargs)


def png_upload(name: str = "现场照片.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def close_case(office, leader, handler, org):
    """Accept, assign, reply and close a registered case at CLOSED_AT (or `at`)."""
    from huiyin.cases.services import case_accept, case_assign, case_close, case_reply

    def close(case, at: datetime = CLOSED_AT):
        with time_machine.travel(at, tick=False):
            case_accept(case=case, actor=office)
            case_assign(
                case=case, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实"
            )
            case_reply(case=case, actor=handler, text="经核实，8月加班费已于9月补发。")
            case_close(case=case, actor=office, note="")
        case.refresh_from_db()
        return case

    return close


@pytest.fixture
def closed_case(make_case, close_case, media, office):
    """A named petitioner's case with two attachments (a text file, an image with a copy without
    metadata) and an accused person, closed at CLOSED_AT."""
    from huiyin.people.services import accused_add

    with time_machine.travel(CLOSED_AT - timedelta(days=20), tick=False):
        case = make_case(uploads=[SimpleUploadedFile("刘某某工资条.txt", "八月工资条 刘某某".encode()), png_upload()])
        accused_add(case=case, actor=office, name="孙某", position="一厂车间主任", description="拖欠加班费")
    return close_case(case)
