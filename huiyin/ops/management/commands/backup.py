from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from huiyin.ops.backup import SECRETS_NOTE, BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one backup archive (tar.gz): a consistent database dump, the attachments and a manifest with "
        "checksums and row counts. The secret keys are not included: back them up separately."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="Archive to write (default: <data dir>/backups/huiyin-backup-<UTC time>.tar.gz). "
            "A name ending in .tar writes an uncompressed archive.",
        )
        parser.add_argument("--pg-bin", help="Directory of pg_dump (PostgreSQL; default: found on PATH).")

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            output = Path(settings.DATA_DIR) / "backups" / f"huiyin-backup-{stamp}.tar.gz"
        try:
            result = backup_create(output=Path(output), pg_bin=options["pg_bin"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(f"backup written: {result.path} ({result.bytes} bytes)")
        self.stdout.write(
            f"  database: {manifest['database']['vendor']}, {len(manifest['row_counts'])} tables, "
            f"{sum(manifest['row_counts'].values())} rows; attachments: {result.files} files"
        )
        self.stdout.write(self.style.WARNING("  " + SECRETS_NOTE))
