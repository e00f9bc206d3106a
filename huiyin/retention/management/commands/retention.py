from django.core.management.base import BaseCommand

from huiyin.retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Retention tools. `retention run` removes personal data that is due and marks (or, where a rule says so, "
        "destroys) archives that are due; `--dry-run` prints what it would do and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true", help="Print what would happen; change nothing.")
        parser.add_argument("--batch", type=int, default=200, help="Cases per batch (default 200).")
        parser.add_argument("--limit", type=int, default=5000, help="At most this many cases per step (default 5000).")

    def handle(self, *args, **options):
        result = retention_run(dry_run=options["dry_run"], batch=options["batch"], limit=options["limit"])
        for line in result.lines:
            self.stdout.write(line)
        counts = result.as_dict()
        if result.dry_run:
            self.stdout.write(
                "dry run, nothing changed: would erase personal data of {erased} case(s), mark {marked_for_review} "
                "for archival review, destroy {destroyed}; {blocked} held back".format(**counts)
            )
        else:
            self.stdout.write(
                "personal data erased on {erased} case(s), {marked_for_review} marked for archival review, "
                "{destroyed} destroyed; {blocked} held back; {errors} error(s)".format(**counts)
            )
        if result.errors:
            self.stderr.write("some cases failed: see the log (huiyin.retention.services)")
