from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huiyin.ops.backup import SECRETS_NOTE, BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `backup`. Every checksum is verified before anything is touched; "
        "a database that already holds data is refused unless --force. Afterwards the row counts are compared "
        "with the manifest and the audit chain is verified. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data (a copy of it and of the attachments is kept aside).",
        )
        parser.add_argument("--pg-bin", help="Directory of pg_restore and pg_dump (default: found on PATH).")

    def handle(self, *args, **options):
        try:
            result = backup_restore(
                archive=Path(options["archive"]),
                force=options["force"],
                pg_bin=options["pg_bin"],
                progress=lambda message: self.stdout.write(f"… {message}"),
            )
        except BackupError as exc:
            raise CommandError(f"restore refused or failed: {exc}") from exc
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(f"restored the backup of {manifest['created_at']}"))
        self.stdout.write(
            f"  version {manifest['app_version']}, {manifest['database']['vendor']}: {result.tables} tables, "
            f"{result.rows} rows (equal to the manifest); {result.media_files} attachment files (checksums verified)"
        )
        self.stdout.write(f"  audit chain OK: {result.audit_records} records verified")
        for path in result.kept_aside:
            self.stdout.write(f"  the previous data was kept in {path}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  {warning}"))
        self.stdout.write(self.style.WARNING("  " + SECRETS_NOTE))
