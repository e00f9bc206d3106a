"""Backup and restore on PostgreSQL (CI runs the suite on PostgreSQL 15 too): pg_dump from one
snapshot, wipe the database, pg_restore, compare; the password never appears on a command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huiyin.audit.services import audit_verify
from huiyin.ops import backup
from huiyin.ops.tests.conftest import database_rows, media_files

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client tools"),
    pytest.mark.django_db(transaction=True),
]


def _wipe() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
        assert connection.introspection.table_names(cursor) == []


def test_pg_dump_wipe_pg_restore_and_compare(site_data, media, tmp_path, monkeypatch):
    calls = []
    real_run = subprocess.run

    def spy(args, **kwargs):
        calls.append((list(args), kwargs.get("env") or {}))
        return real_run(args, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", spy)
    archive = tmp_path / "huiyin.tar.gz"
    rows_before, files_before = database_rows(), media_files(media)
    call_command("backup", str(archive), stdout=StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert "database/huiyin.pgdump" in tar.getnames()
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["row_counts"]["cases_case"] == 2

    _wipe()
    shutil.rmtree(media)
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit chain OK" in out.getvalue()
    assert database_rows() == rows_before
    assert media_files(media) == files_before
    assert audit_verify().ok

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=StringIO())

    password = connection.settings_dict.get("PASSWORD") or ""
    assert [args[0].rsplit("/", 1)[-1] for args, _env in calls] == ["pg_dump", "pg_restore"]
    for args, env in calls:
        assert env.get("PGDATABASE") == connection.settings_dict["NAME"]
        if password:
            assert env["PGPASSWORD"] == password and not any(password in a for a in args)
