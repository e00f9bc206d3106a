"""Load the official holiday schedule of a year and recompute the open deadlines it moves.

    manage.py holidays schedule-2027.txt [--year 2027] [--source "国办发明电〔2026〕7号"] [--dry-run]
    manage.py holidays --list

The file has one date per line, `YYYY-MM-DD,holiday|workday[,name]` (`-` reads standard input).
A file holding several years loads each of them. A date already told to a petitioner is never
shortened.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from huiyin.clock import ScheduleError, parse_schedule_text
from huiyin.core.errors import DomainError
from huiyin.workflow import clocks
from huiyin.workflow.services import holiday_schedule_load


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Load an official holiday schedule (YYYY-MM-DD,holiday|workday[,name]) and recompute open deadlines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="schedule file, or - for standard input")
        parser.add_argument("--year", type=int, help="the year the file holds (every date must be in it)")
        parser.add_argument("--source", default="", help="where the schedule comes from (notice number)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
        parser.add_argument("--list", action="store_true", help="show where each year's schedule comes from")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            self._list()
            return
        if not options["file"]:
            raise CommandError("give a schedule file (or - for standard input), or --list")
        text = self._read(options["file"])
        try:
            years = sorted(parse_schedule_text(text, year=options["year"]))
        except ScheduleError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with transaction.atomic():
                for year in years:
                    lines = "\n".join(line for line in text.splitlines() if line.strip().startswith(f"{year}-"))
                    result = holiday_schedule_load(year=year, text=lines, source=options["source"])
                    for warning in result.warnings:
                        self.stderr.write(f"warning: {warning}")
                    r = result.recompute
                    self.stdout.write(
                        f"{year}: {'loaded' if result.created else 'replaced'}; {r.checked} open deadlines checked, "
                        f"{r.changed} changed, {r.held_to_told} held to the date told, {r.provisional} still provisional"
                    )
                    for pk, old, new in r.changes[:50]:
                        self.stdout.write(f"  deadline {pk}: {old.isoformat()} -> {new.isoformat()}")
                if options["dry_run"]:
                    raise _DryRun
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except _DryRun:
            clocks.invalidate()
            self.stdout.write("dry run: nothing was changed")

    def _read(self, path: str) -> str:
        if path == "-":
            return sys.stdin.read()
        try:
            with open(path, encoding="utf-8-sig") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc

    def _list(self) -> None:
        calendar = clocks.calendar_provider()
        this_year = timezone.localdate().year
        years = sorted({*range(this_year - 1, this_year + 3), *calendar.overrides})
        for year in years:
            self.stdout.write(f"{year} {calendar.source(year)}")
