"""The periodic-job runners: the embedded scheduler, `run_periodic` for cron, and Celery beat."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from huiyin.core.scheduling import JOBS, PeriodicJob
from huiyin.workflow.scheduler import Scheduler, run_job, should_start_embedded


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_scheduler_runs_each_job_at_its_interval_and_survives_a_failure():
    calls = []

    def boom():
        calls.append("boom")
        raise RuntimeError("job failed")

    jobs = {
        "fast": PeriodicJob("fast", lambda: calls.append("fast"), every_seconds=30),
        "slow": PeriodicJob("slow", lambda: calls.append("slow"), every_seconds=600),
        "boom": PeriodicJob("boom", boom, every_seconds=30),
    }
    clock = FakeClock()
    scheduler = Scheduler(jobs=jobs, clock=clock, first_delay=5, own_connections=False)
    assert scheduler.run_pending() == []
    clock.now = 5
    assert sorted(scheduler.run_pending()) == ["boom", "fast", "slow"]
    clock.now = 20
    assert scheduler.run_pending() == []
    clock.now = 35
    assert sorted(scheduler.run_pending()) == ["boom", "fast"]
    assert scheduler.seconds_to_next() == 30
    assert calls.count("fast") == 2 and calls.count("slow") == 1 and calls.count("boom") == 2


@pytest.mark.parametrize(
    ("mode", "argv", "environ", "expected"),
    [
        ("embedded", ["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),
        ("embedded", ["manage.py", "runserver", "--noreload"], {}, True),
        ("embedded", ["manage.py", "runserver"], {}, False),  # the autoreloader's watcher
        ("embedded", ["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        ("embedded", ["pytest"], {}, False),
        ("", ["manage.py", "runserver"], {"RUN_MAIN": "true"}, False),
    ],
)
def test_embedded_scheduler_starts_only_in_the_serving_process(settings, mode, argv, environ, expected):
    settings.HUIYIN_SCHEDULER = mode
    assert should_start_embedded(argv, environ) is expected


def test_registry_holds_the_sweep_and_the_delivery():
    assert JOBS["deadlines_sweep"].every_seconds == 600
    assert JOBS["outbox_deliver"].every_seconds == 30


@pytest.mark.django_db
def test_run_periodic_runs_the_jobs_once(in_handling_case):
    out = StringIO()
    call_command("run_periodic", job=["deadlines_sweep", "outbox_deliver"], stdout=out)
    assert "deadlines_sweep: {'overdue': 0" in out.getvalue() and "outbox_deliver: {'claimed': 0" in out.getvalue()
    call_command("run_periodic", list=True, stdout=out)
    assert "deadlines_sweep every 600s" in out.getvalue()
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_periodic", job=["nope"], stdout=out)


@pytest.mark.django_db
def test_sweep_command(in_handling_case):
    out = StringIO()
    call_command("sweep", stdout=out)
    assert out.getvalue().startswith("overdue=0 due_soon=0")


def test_run_job_reports_failure_without_raising():
    assert run_job(PeriodicJob("x", lambda: 1 / 0, every_seconds=1), own_connections=False) is None


def test_celery_beat_schedule_comes_from_the_registry():
    from config.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["deadlines_sweep"]["task"] == "huiyin.periodic_job"
    assert schedule["deadlines_sweep"]["args"] == ("deadlines_sweep",)
    assert schedule["outbox_deliver"]["schedule"] == 30.0
