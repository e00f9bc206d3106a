"""Compute a statutory deadline: `manage.py clock --rule handle --start 2026-09-16 [--profile NAME]
[--pause 2026-10-01:2026-10-05] [--extension 10]`.

The last line is the due date as YYYY-MM-DD, followed by " provisional" when it rests on a
provisional holiday schedule. The lines before it explain how the date was reached.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiyin.clock import ClockError
from huiyin.workflow import clocks


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"{what} must be a date written as YYYY-MM-DD, not {value!r}") from None


def _pause(value: str) -> tuple[date, date]:
    first, sep, last = value.partition(":")
    if not sep:
        first = last = value
    return _date(first, "--pause"), _date(last, "--pause")


class Command(BaseCommand):
    help = "Print the due date of a statutory clock (last line: YYYY-MM-DD [provisional])."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rule", required=True, help="rule code, e.g. register, handle, review_request")
        parser.add_argument("--start", required=True, help="the day of the triggering event, YYYY-MM-DD")
        parser.add_argument("--profile", default="", help=f"rule profile (default {clocks.DEFAULT_PROFILE})")
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="FIRST:LAST",
            help="inclusive range of days not counted (hearing time); may be repeated",
        )
        parser.add_argument("--extension", type=int, default=0, help="approved extension in days")

    def handle(self, *args, **options) -> None:
        start = _date(options["start"], "--start")
        pauses = [_pause(p) for p in options["pause"]]
        try:
            due = clocks.compute(
                rule=options["rule"],
                start=start,
                profile=options["profile"],
                pauses=pauses,
                extension_days=options["extension"],
            )
        except ClockError as exc:
            raise CommandError(str(exc)) from exc
        unit = "working days" if due.unit.value == "working" else "calendar days"
        self.stdout.write(f"rule: {due.rule} ({due.profile}) {due.days} {unit}; {due.article}")
        self.stdout.write(f"event on {due.start.isoformat()}; counting starts the next day")
        if due.extension_days:
            self.stdout.write(f"extension: {due.extension_days} days")
        if due.paused_days:
            self.stdout.write(f"not counted: {due.paused_days} days")
        if due.period_end and due.period_end != due.due:
            self.stdout.write(f"period ends {due.period_end.isoformat()}, not a working day: moved to the next one")
        if due.provisional:
            self.stdout.write("rests on a provisional holiday schedule (the official one is not loaded)")
        self.stdout.write(f"{due.due.isoformat()}{' provisional' if due.provisional else ''}")
