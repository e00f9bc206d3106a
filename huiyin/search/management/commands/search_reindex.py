"""Build or repair the full-text index of cases: `manage.py search_reindex [--rebuild] [--workers 2]`.

Resumable: by default only cases missing from the index are indexed, in id order, one committed
batch at a time, so a second run after an interruption continues where the first stopped.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiyin.search.services import ReindexProgress, index_prune, index_rebuild, index_size_bytes


class Command(BaseCommand):
    help = "Index the cases missing from the full-text index (or all of them with --rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="rewrite every case's row")
        parser.add_argument(
            "--stale", action="store_true", help="also rewrite rows written by an older segmentation version"
        )
        parser.add_argument("--prune", action="store_true", help="remove rows of cases that no longer exist")
        parser.add_argument("--batch", type=int, default=2000, help="cases per committed batch (default 2000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help=f"processes segmenting text (default 1; this machine has {os.cpu_count()} cores)",
        )
        parser.add_argument("--after", type=int, default=0, help="start after this case id")
        parser.add_argument(
            "--defer-index",
            action="store_true",
            help="PostgreSQL: drop the GIN index for the load and build it at the end (fast first load)",
        )

    def handle(self, *args, **options) -> None:
        if options["batch"] < 1 or options["workers"] < 1:
            raise CommandError("--batch and --workers must be at least 1")
        started = time.perf_counter()
        if options["prune"]:
            removed = index_prune()
            self.stdout.write(f"removed {removed} rows of deleted cases")

        def progress(p: ReindexProgress) -> None:
            if options["verbosity"] >= 1:
                elapsed = time.perf_counter() - started
                self.stderr.write(f"  indexed {p.done:,} cases up to id {p.last_id} ({elapsed:.0f} s)")

        done = index_rebuild(
            batch=options["batch"],
            workers=options["workers"],
            rebuild=options["rebuild"],
            stale=options["stale"],
            start_after=options["after"],
            defer_gin=options["defer_index"],
            progress=progress,
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"indexed {done:,} cases in {elapsed:.1f} s; index size {index_size_bytes() / 1024 / 1024:.1f} MiB"
        )
