"""Backup and restore on SQLite: back up, wipe into a fresh database file, restore, compare; a damaged
or altered archive is refused before anything is touched."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import sqlite3
import tarfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huiyin.audit.services import audit_verify
from huiyin.ops.backup import MANIFEST, SECRETS_NOTE
from huiyin.ops.tests.conftest import database_rows, media_files

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
    pytest.mark.django_db(transaction=True),
]


def _wipe_into_fresh_database(tmp_path) -> None:
    """Replace the whole database by a fresh, empty database file (no tables at all)."""
    fresh = tmp_path / "fresh.sqlite3"
    source = sqlite3.connect(fresh)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []


def _members(archive) -> dict[str, bytes]:
    with tarfile.open(archive, "r:*") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _write_tar(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_backup_wipe_restore_and_compare(site_data, media, tmp_path, settings):
    archive = tmp_path / "backups" / "huiyin.tar.gz"
    rows_before = database_rows()
    files_before = media_files(media)
    assert len(files_before) >= 3 and rows_before["audit_auditrecord"]
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "backup written" in out.getvalue() and SECRETS_NOTE in out.getvalue()

    members = _members(archive)
    manifest = json.loads(members[MANIFEST])
    assert manifest["database"] == {"vendor": "sqlite", "member": "database/huiyin.sqlite3"}
    assert manifest["row_counts"]["cases_case"] == 2 and manifest["row_counts"]["audit_auditrecord"] > 0
    assert "0001_initial" in manifest["migrations"]["cases"] and manifest["app_version"]
    assert manifest["secrets_included"] is False
    assert set(manifest["files"]) == set(members) - {MANIFEST}
    assert {n.removeprefix("media/") for n in manifest["files"] if n.startswith("media/")} == set(files_before)
    # No secret key anywhere in the archive.
    blob = archive.read_bytes() + gzip.decompress(archive.read_bytes())
    for secret in [*settings.HUIYIN_FIELD_KEYS, settings.HUIYIN_MATCH_KEY, settings.SECRET_KEY]:
        assert secret.encode() not in blob

    _wipe_into_fresh_database(tmp_path)
    shutil.rmtree(media)

    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    text = out.getvalue()
    assert "restored the backup" in text and "audit chain OK" in text and SECRETS_NOTE in text
    assert database_rows() == rows_before
    assert media_files(media) == files_before
    assert audit_verify().ok

    # Restoring over a database that holds data needs --force, and keeps the previous data aside.
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=StringIO())
    out = StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "kept in" in out.getvalue()
    assert database_rows() == rows_before and media_files(media) == files_before


def test_a_damaged_or_altered_archive_is_refused_and_nothing_changes(site_data, media, tmp_path):
    archive = tmp_path / "huiyin.tar"
    call_command("backup", str(archive), stdout=StringIO())
    members = _members(archive)
    manifest = json.loads(members[MANIFEST])
    media_member = next(n for n in members if n.startswith("media/"))
    rows_before, files_before = database_rows(), media_files(media)

    def variant(name: str, changed: dict[str, bytes]):
        path = tmp_path / f"{name}.tar"
        _write_tar(path, changed)
        return path

    tampered_file = dict(members)
    tampered_file[media_member] = members[media_member] + b"!"
    altered_counts = dict(members)
    altered_counts[MANIFEST] = json.dumps(
        {**manifest, "row_counts": {**manifest["row_counts"], "cases_case": 1}}
    ).encode()
    extra = dict(members)
    extra["media/planted.txt"] = b"not from the backup"
    traversal = {"../../outside.txt": b"x", **members}
    without_manifest = {k: v for k, v in members.items() if k != MANIFEST}
    truncated = tmp_path / "truncated.tar.gz"
    call_command("backup", str(tmp_path / "whole.tar.gz"), stdout=StringIO())
    whole = (tmp_path / "whole.tar.gz").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"this is not an archive" * 10)

    cases = [
        (variant("tampered", tampered_file), "Checksum mismatch for " + media_member),
        (variant("counts", altered_counts), "Row counts differ"),
        (variant("extra", extra), "does not list"),
        (variant("traversal", traversal), "unsafe path"),
        (variant("nomanifest", without_manifest), "no manifest"),
        (truncated, "truncated"),
        (garbage, "truncated or damaged"),
    ]
    for path, message in cases:
        with pytest.raises(CommandError, match="restore refused or failed") as info:
            call_command("restore", str(path), "--force", stdout=StringIO())
        assert message in str(info.value), (path.name, str(info.value))
        assert database_rows() == rows_before, path.name
        assert media_files(media) == files_before, path.name
    assert not list(media.parent.glob("*.pre-restore-*"))
    assert not (tmp_path.parent / "outside.txt").exists()
