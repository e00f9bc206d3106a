"""Backup and restore: one archive file holding a consistent database dump, the attachments and a manifest.

Archive layout (a tar file, gzip-compressed when its name ends in .gz or .tgz):

    database/huiyin.sqlite3   SQLite: a copy made with the online backup API (safe while the site runs)
    database/huiyin.pgdump    PostgreSQL: `pg_dump --format=custom`, from the same snapshot as the counts
    media/<path>              every file under MEDIA_ROOT (the attachments)
    manifest.json             created_at, versions, database vendor, migrations, row counts per table,
                              the audit chain's head, and the SHA-256 and size of every file above

The secret keys are never in the archive (HUIYIN_FIELD_KEYS, HUIYIN_MATCH_KEY, SECRET_KEY): the
identity fields in it can only be read with the field keys, which are backed up separately
(docs/security/keys.md).

Restore reads the whole archive into a staging directory and checks every checksum, the file list,
the vendor and the migrations before it touches anything; it refuses a database that already holds
data unless forced; then it restores, compares the row counts with the manifest and verifies the
audit chain. On SQLite a failed check puts the previous database and files back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

FORMAT = "huiyin-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/huiyin.sqlite3"
PG_MEMBER = "database/huiyin.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 512 * 1024 * 1024
# Tables whose rows mean "this database is in use" (a freshly migrated database has none).
DATA_TABLES = ("cases_case", "org_user", "audit_auditrecord", "people_petitioner")
SECRETS_NOTE = (
    "The secret keys are NOT in this archive: HUIYIN_FIELD_KEYS (without them the encrypted identity "
    "fields cannot be read), HUIYIN_MATCH_KEY and HUIYIN_SECRET_KEY (in the embedded mode: var/secrets.json). "
    "Back them up separately, in the secret store, and keep every field key as long as any backup made "
    "with it is kept. See docs/security/keys.md."
)


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


# Helpers ---------------------------------------------------------------------------------------------------


def app_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("huiyin")
    except PackageNotFoundError:
        pass
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def media_root() -> Path:
    """Where the attachments are: the default storage's directory (a filesystem storage is required)."""
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            "Attachments are not on the local filesystem (default storage is "
            f"{type(default_storage).__name__}): back them up with the object store's own tools."
        )
    return Path(default_storage.location)


def _connection(using: str):
    conn = connections[using]
    if conn.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {conn.vendor}.")
    return conn


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names_sqlite(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _table_names_postgres(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor, vendor: str) -> dict[str, int]:
    """Rows in every table of the database the cursor reads (names come from the catalogue)."""
    names = _table_names_sqlite(cursor) if vendor == "sqlite" else _table_names_postgres(cursor)
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - a catalogue name, quoted
        counts[name] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables: list[str] | dict) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _audit_head(cursor, tables: list[str] | dict) -> dict | None:
    if "audit_audithead" not in tables:
        return None
    cursor.execute("SELECT last_seq, last_hash FROM audit_audithead WHERE id = 1")
    row = cursor.fetchone()
    return {"last_seq": int(row[0]), "last_hash": row[1]} if row else {"last_seq": 0, "last_hash": "0" * 64}


def _excluded_files() -> set[Path]:
    """Files never copied from the media directory even if it is misconfigured to contain them."""
    data = Path(getattr(settings, "DATA_DIR", settings.BASE_DIR))
    excluded = {data / "secrets.json"}
    name = settings.DATABASES["default"].get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name:
        for suffix in ("", "-wal", "-shm", "-journal"):
            excluded.add(Path(str(name) + suffix))
    return {p.resolve() for p in excluded}


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.exists():
        return
    excluded = _excluded_files()
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file() or path.resolve() in excluded:
                continue
            yield path, path.relative_to(root).as_posix()


# Backup ----------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    files: int
    bytes: int


def _pg_env(conn) -> dict[str, str]:
    """libpq settings of the connection, passed in the environment (the password never on a command line)."""
    s = conn.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": s.get("HOST") or "",
        "PGPORT": str(s.get("PORT") or ""),
        "PGUSER": s.get("USER") or "",
        "PGPASSWORD": s.get("PASSWORD") or "",
        "PGDATABASE": s.get("NAME") or "",
    }
    options = s.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(option):
            values[variable] = str(options[option])
    env.update({k: v for k, v in values.items() if v})
    return env


def _pg_tool(name: str, pg_bin: str | None) -> str:
    if pg_bin:
        candidate = Path(pg_bin) / name
        if candidate.exists():
            return str(candidate)
        raise BackupError(f"{name} was not found in {pg_bin}.")
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client-15), or pass --pg-bin.")
    return found


def _run_pg(args: list[str], env: dict[str, str]) -> None:
    # Arguments never hold a secret: the connection comes from the environment.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: " + " ".join(message[-5:]))


def _snapshot_sqlite(conn, target: Path) -> dict:
    """Copy the live database page by page with SQLite's online backup API; describe the copy."""
    conn.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step under one read transaction: consistent, and in WAL mode writers are not blocked meanwhile.
        conn.connection.backup(destination)
    finally:
        destination.close()
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        counts = row_counts(cursor, "sqlite")
        return {
            "row_counts": counts,
            "migrations": _migrations(cursor, counts),
            "audit_head": _audit_head(cursor, counts),
        }
    finally:
        copy.close()


def _snapshot_postgres(conn, target: Path, pg_bin: str | None) -> dict:
    """pg_dump from an exported snapshot, and the counts read in that same snapshot."""
    pg_dump = _pg_tool("pg_dump", pg_bin)
    from django.db import transaction

    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(cursor, "postgresql")
        described = {
            "row_counts": counts,
            "migrations": _migrations(cursor, counts),
            "audit_head": _audit_head(cursor, counts),
        }
        _run_pg(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={target}"],
            _pg_env(conn),
        )
    return described


class _HashingReader:
    """Reads a file for tarfile while hashing it, so every file is read once."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, files: dict[str, dict]) -> int:
    info = tarfile.TarInfo(arcname)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    if reader.size != info.size:
        raise BackupError(f"{arcname} changed while it was being copied; run the backup again.")
    files[arcname] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
    return reader.size


def _open_for_write(path: Path) -> tarfile.TarFile:
    if path.name.endswith((".gz.partial", ".tgz.partial")):
        return tarfile.open(path, "w:gz", compresslevel=6)
    return tarfile.open(path, "w")


def backup_create(
    *, output: Path, using: str = "default", pg_bin: str | None = None, now: datetime | None = None
) -> BackupResult:
    """Write one archive with the database, the attachments and the manifest; nothing else is changed."""
    conn = _connection(using)
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    root = media_root()
    if output.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"Write the backup outside the attachments directory ({root}).")
    now = now or datetime.now(UTC)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="huiyin-backup-", dir=output.parent) as work:
        dump = Path(work) / ("db.sqlite3" if conn.vendor == "sqlite" else "db.pgdump")
        if conn.vendor == "sqlite":
            described = _snapshot_sqlite(conn, dump)
            member = SQLITE_MEMBER
        else:
            described = _snapshot_postgres(conn, dump, pg_bin)
            member = PG_MEMBER
        files: dict[str, dict] = {}
        media_count = media_bytes = 0
        try:
            with _open_for_write(partial) as tar:
                _add_file(tar, dump, member, files)
                for path, relative in _media_files(root):
                    media_bytes += _add_file(tar, path, MEDIA_PREFIX + relative, files)
                    media_count += 1
                manifest = {
                    "format": FORMAT,
                    "created_at": now.isoformat(timespec="seconds"),
                    "app_version": app_version(),
                    "django_version": django.get_version(),
                    "database": {"vendor": conn.vendor, "member": member},
                    "migrations": described["migrations"],
                    "row_counts": described["row_counts"],
                    "audit_head": described["audit_head"],
                    "media": {"root": str(root), "files": media_count, "bytes": media_bytes},
                    "files": files,
                    "secrets_included": False,
                    "secrets_note": SECRETS_NOTE,
                }
                body = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(now.timestamp())
                info.mode = 0o600
                tar.addfile(info, _BytesReader(body))
            partial.chmod(0o600)
            partial.replace(output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(output, manifest, media_count, output.stat().st_size)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk


# Reading and checking an archive ---------------------------------------------------------------------------


@dataclass
class Staged:
    """An archive read into a staging directory, every checksum checked."""

    directory: Path
    manifest: dict
    database: Path
    media: Path


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name or not path.parts:
        raise BackupError(f"The archive contains an unsafe path ({name!r}); it was not made by `backup`.")
    normal = path.as_posix()
    if normal != MANIFEST and not normal.startswith(("database/", MEDIA_PREFIX)):
        raise BackupError(f"The archive contains an unexpected file ({normal}); it was not made by `backup`.")
    return normal


def _stage_members(archive: Path, directory: Path) -> tuple[dict | None, dict[str, dict]]:
    found: dict[str, dict] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = _safe_member_name(member.name)
                if not member.isfile():
                    raise BackupError(f"The archive contains a link or device ({name}); it was not made by `backup`.")
                if name in found or (name == MANIFEST and manifest is not None):
                    raise BackupError(f"The archive contains {name} twice.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("The manifest is unreasonably large; the archive is not a Huiyin backup.")
                    try:
                        manifest = json.loads(source.read().decode("utf-8"))
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        raise BackupError("The manifest is not valid JSON: the archive is damaged.") from exc
                    continue
                target = directory / "staged" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = {"sha256": digest.hexdigest(), "size": size}
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            f"The archive cannot be read to its end ({type(exc).__name__}: {exc}): it is truncated or damaged. "
            "Nothing was changed."
        ) from exc
    return manifest, found


def archive_check(archive: Path, directory: Path) -> Staged:
    """Read `archive` into `directory` and check it completely; raise BackupError, naming the problem, if not."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    manifest, found = _stage_members(archive, directory)
    if manifest is None:
        raise BackupError(
            "The archive has no manifest.json: it is truncated or not a Huiyin backup. Nothing was changed."
        )
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format') if isinstance(manifest, dict) else None!r}.")
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not isinstance(manifest.get("row_counts"), dict):
        raise BackupError("The manifest is incomplete: the archive is damaged.")
    missing = sorted(set(listed) - set(found))
    if missing:
        raise BackupError(
            f"{len(missing)} file(s) listed in the manifest are missing from the archive (first: {missing[0]}): "
            "it is truncated or was altered. Nothing was changed."
        )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupError(
            f"The archive holds file(s) the manifest does not list (first: {extra[0]}): it was altered. "
            "Nothing was changed."
        )
    for name in sorted(listed):
        expected = listed[name]
        if (
            not isinstance(expected, dict)
            or expected.get("sha256") != found[name]["sha256"]
            or expected.get("size") != found[name]["size"]
        ):
            raise BackupError(
                f"Checksum mismatch for {name}: the archive is damaged or was altered. Nothing was changed."
            )
    member = (manifest.get("database") or {}).get("member")
    if member not in (SQLITE_MEMBER, PG_MEMBER) or member not in found:
        raise BackupError("The archive holds no database dump.")
    staged = directory / "staged"
    return Staged(directory, manifest, staged / member, staged / MEDIA_PREFIX.rstrip("/"))


# Restore ---------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    media_files: int
    audit_records: int
    kept_aside: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def database_in_use(using: str = "default") -> bool:
    """True when the database holds data: cases, users, petitioners or audit records."""
    conn = connections[using]
    with conn.cursor() as cursor:
        return _holds_data(cursor, set(conn.introspection.table_names(cursor)))


def _holds_data(cursor, tables: set[str]) -> bool:
    """True when one of DATA_TABLES present in `tables` has a row (any DB-API cursor)."""
    for table in DATA_TABLES:
        if table in tables:
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608 - a fixed name
            if cursor.fetchone():
                return True
    return False


def _check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup made by newer code; warn when this code has migrations the backup lacks."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    archived = {(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
    ours = {key for key in archived if key[0] in loader.migrated_apps}
    unknown = sorted(ours - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"The backup was made by a newer version of Huiyin (migration {app}.{name} is unknown here, "
            f"backup version {manifest.get('app_version')}, this is {app_version()}). Restore it with that "
            "version. Nothing was changed."
        )
    pending = sorted(known - archived)
    if pending:
        return [f"{len(pending)} migration(s) of this version are not in the backup: run `manage.py migrate` next."]
    return []


def _compare_counts(expected: dict[str, int], actual: dict[str, int]) -> None:
    differences = [
        f"{t}: {expected.get(t)} expected, {actual.get(t)} found"
        for t in sorted(set(expected) | set(actual))
        if expected.get(t) != actual.get(t)
    ]
    if differences:
        raise BackupError("Row counts differ from the manifest: " + "; ".join(differences[:5]))


def _verify_audit(manifest: dict, using: str) -> int:
    from huiyin.audit.services import audit_verify

    if using != "default":
        raise BackupError("The audit chain is verified on the default database only.")
    result = audit_verify()
    if not result.ok:
        raise BackupError(
            f"The restored audit chain does not verify: record #{result.first_broken_seq}: {result.reason}."
        )
    head = manifest.get("audit_head")
    if head:
        from huiyin.audit.models import AuditHead

        current = AuditHead.objects.filter(pk=1).first()
        last = (current.last_seq, current.last_hash) if current else (0, "0" * 64)
        if last != (head["last_seq"], head["last_hash"]):
            raise BackupError("The restored audit chain does not end where the backup's did.")
    return result.checked


def _sqlite_check_staged(path: Path, manifest: dict) -> None:
    """Before touching anything: the staged copy opens, passes SQLite's integrity check and has the counted rows."""
    try:
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            cursor = copy.cursor()
            cursor.execute("PRAGMA integrity_check")
            verdict = cursor.fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"The database in the archive fails SQLite's integrity check: {verdict}.")
            _compare_counts(manifest["row_counts"], row_counts(cursor, "sqlite"))
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in the archive cannot be opened: {exc}.") from exc


def _sqlite_copy(source, destination) -> None:
    source.backup(destination)


@contextmanager
def _media_swapped(staged_media: Path, root: Path, stamp: str) -> Iterator[Callable[[], Path | None]]:
    """Put the staged attachments in place of MEDIA_ROOT; on an error put the previous ones back.

    Yields a function that, after success, returns where the previous files were kept (None if there were none).
    """
    root.parent.mkdir(parents=True, exist_ok=True)
    aside = root.with_name(f"{root.name}.pre-restore-{stamp}")
    had_previous = root.exists()
    if had_previous:
        root.rename(aside)
    try:
        if staged_media.exists():
            shutil.move(str(staged_media), str(root))
        else:
            root.mkdir()
    except BaseException:
        if root.exists():
            shutil.rmtree(root)
        if had_previous:
            aside.rename(root)
        raise
    state = {"ok": False}

    def finish() -> Path | None:
        state["ok"] = True
        if had_previous and not any(aside.rglob("*")):
            aside.rmdir()
            return None
        return aside if had_previous else None

    try:
        yield finish
    except BaseException:
        if not state["ok"]:
            shutil.rmtree(root, ignore_errors=True)
            if had_previous:
                aside.rename(root)
        raise


def backup_restore(
    *,
    archive: Path,
    force: bool = False,
    using: str = "default",
    pg_bin: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> RestoreResult:
    """Restore `archive` into the configured database and MEDIA_ROOT (see the module docstring)."""
    conn = _connection(using)
    if conn.in_atomic_block:
        raise BackupError("Restore cannot run inside a transaction.")
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix=".huiyin-restore-", dir=root.parent) as work:
        progress("checking the archive")
        staged = archive_check(Path(archive), Path(work))
        manifest = staged.manifest
        vendor = manifest["database"]["vendor"]
        if vendor != conn.vendor:
            raise BackupError(
                f"The backup is of a {vendor} database; this site uses {conn.vendor}. Nothing was changed."
            )
        warnings = _check_migrations(manifest)
        if database_in_use(using) and not force:
            raise BackupError(
                "The database already holds data (cases, users or audit records). Restore into an empty "
                "database, or pass --force to replace it (a copy of it is kept aside). Nothing was changed."
            )
        if conn.vendor == "sqlite":
            _sqlite_check_staged(staged.database, manifest)
            kept, checked = _restore_sqlite(conn, staged, root, stamp, work, progress)
        else:
            kept, checked = _restore_postgres(conn, staged, root, stamp, force, pg_bin, progress)
    counts = manifest["row_counts"]
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=sum(1 for name in manifest["files"] if name.startswith(MEDIA_PREFIX)),
        audit_records=checked,
        kept_aside=kept,
        warnings=warnings,
    )


def _restore_sqlite(conn, staged: Staged, root: Path, stamp: str, work: str, progress) -> tuple[list[Path], int]:
    manifest = staged.manifest
    conn.close()
    conn.ensure_connection()
    live = conn.connection
    before = Path(work) / "before.sqlite3"
    previous = sqlite3.connect(before)
    try:
        _sqlite_copy(live, previous)
    finally:
        previous.close()
    kept: list[Path] = []
    with _media_swapped(staged.media, root, stamp) as finish:
        progress("restoring the database")
        source = sqlite3.connect(staged.database)
        try:
            _sqlite_copy(source, live)
        finally:
            source.close()
        _forget_cached_rows()
        try:
            progress("comparing row counts and verifying the audit chain")
            with conn.cursor() as cursor:
                _compare_counts(manifest["row_counts"], row_counts(cursor, "sqlite"))
            checked = _verify_audit(manifest, conn.alias)
        except BaseException:
            back = sqlite3.connect(before)
            try:
                _sqlite_copy(back, conn.connection)
            finally:
                back.close()
            _forget_cached_rows()
            raise
        aside = finish()
        if aside is not None:
            kept.append(aside)
    # The previous database, kept beside the data directory when it held data.
    if _had_data(before):
        target = root.parent / f"database.pre-restore-{stamp}.sqlite3"
        shutil.copyfile(before, target)
        target.chmod(0o600)
        kept.append(target)
    return kept, checked


def _had_data(path: Path) -> bool:
    copy = sqlite3.connect(path)
    try:
        cursor = copy.cursor()
        return _holds_data(cursor, set(_table_names_sqlite(cursor)))
    finally:
        copy.close()


def _restore_postgres(conn, staged: Staged, root: Path, stamp: str, force: bool, pg_bin, progress):
    manifest = staged.manifest
    pg_restore = _pg_tool("pg_restore", pg_bin)
    env = _pg_env(conn)
    kept: list[Path] = []
    if force and database_in_use(conn.alias):
        # The database being replaced is dumped first, so a forced restore can be undone by hand.
        target = root.parent / f"database.pre-restore-{stamp}.pgdump"
        progress(f"keeping the current database in {target}")
        _run_pg([_pg_tool("pg_dump", pg_bin), "--format=custom", "--no-password", f"--file={target}"], env)
        target.chmod(0o600)
        kept.append(target)
    conn.close()
    with _media_swapped(staged.media, root, stamp) as finish:
        progress("restoring the database (pg_restore, one transaction)")
        _run_pg(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={env.get('PGDATABASE', '')}",
                str(staged.database),
            ],
            env,
        )
        # pg_restore committed: the files stay with the database they belong to, whatever the checks say.
        aside = finish()
        if aside is not None:
            kept.append(aside)
    _forget_cached_rows()
    progress("comparing row counts and verifying the audit chain")
    try:
        with conn.cursor() as cursor:
            _compare_counts(manifest["row_counts"], row_counts(cursor, "postgresql"))
        checked = _verify_audit(manifest, conn.alias)
    except BackupError as exc:
        raise BackupError(
            f"{exc} The restored data stays in the database for inspection"
            + (f"; the previous database is in {kept[0]}." if kept else ".")
        ) from exc
    return kept, checked


def _forget_cached_rows() -> None:
    """Row ids cached in this process (content types) may differ in the restored database."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
