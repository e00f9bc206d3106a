"""Data for the backup tests: cases with attachments, audit records, and a way to compare databases."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "data" / "attachments"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def site_data(media, make_case, office, leader, handler, org):
    """Two cases with attachments, one accepted and assigned, an identity viewed: audit records too."""
    from huiyin.cases.services import case_accept, case_assign
    from huiyin.people.services import petitioner_unseal

    first = make_case(
        uploads=[
            SimpleUploadedFile("工资条.txt", "八月工资条：加班 36 小时".encode()),
            SimpleUploadedFile("照片.png", _png()),
        ]
    )
    second = make_case(subject="食堂饭菜价格上涨", uploads=[SimpleUploadedFile("说明.txt", "食堂价格表".encode())])
    case_accept(case=first, actor=office)
    case_assign(case=first, actor=office, handling_unit=org["a_plant"], leader=leader, team=[handler], plan="核实")
    petitioner_unseal(petitioner=first.petitioner, actor=office, reason="电话回访核实情况", case=first)
    return [first, second]


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: two databases with equal results hold the same data."""
    from huiyin.ops.backup import _table_names_postgres, _table_names_sqlite

    rows = {}
    with connection.cursor() as cursor:
        tables = _table_names_sqlite(cursor) if connection.vendor == "sqlite" else _table_names_postgres(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - catalogue names
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
