"""Training runs, one at a time from every entry point: `manage.py triage train` takes part in the models page's
lock (refused while a run is pending, recorded as a run of its own, finished however it ends), and a run whose
process was killed stops blocking within minutes (its heartbeat stops) while a live long training keeps its place.
"""

from __future__ import annotations

import csv
import html
import io
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.audit.models import AuditRecord
from huiyin.cases.models import Category
from huiyin.core.dates import datetime_text
from huiyin.core.errors import DomainError
from huiyin.triage import services
from huiyin.triage.models import TrainedModel, TrainingRun
from huiyin.triage.services import model_train_request, model_train_run, training_runs_expire
from huiyin.triage.states import TrainingStatus
from huiyin.triage.tests.conftest import petition

URL = reverse("triage:models")
CODES = ("wages", "housing", "canteen_welfare")
UNEXPECTED = "Training stopped on an unexpected error. The system administrator finds it in the server log."
STOPPED = "The training was stopped before it finished (its process was interrupted or shut down)."


def given_up_error(why: str) -> str:
    """The reason recorded on a run given up, as the page shows it."""
    if why == "silent":
        return gettext(
            "No sign of life from the training's process for {minutes} minutes: it was stopped or restarted, "
            "so the training was given up. You may train again."
        ).format(minutes=3)
    if why == "unclaimed":
        return gettext(
            "No worker of the task queue started the training within {minutes} minutes, so it was given up. "
            "Try again later, or tell the system administrator."
        ).format(minutes=30)
    assert why == "stuck"
    return gettext(
        "No result {hours} hours after it started: taken as stuck and given up. You may train again."
    ).format(hours=3)


def labelled(rng, n_per_class: int) -> list[tuple[str, str, str]]:
    rows = [(*petition(rng, code), code) for code in CODES for _ in range(n_per_class)]
    rng.shuffle(rows)
    return rows


@pytest.fixture
def train_csv(tmp_path, rng) -> Path:
    path = tmp_path / "train.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("id", "title", "body", "category"))
        for i, row in enumerate(labelled(rng, 10)):
            w.writerow([f"m{i}", *row])
    return path


@pytest.fixture
def decided_cases(model_dir, rng, make_case):
    categories = {c.code: c for c in Category.objects.filter(code__in=CODES)}
    for title, body, code in labelled(rng, 8):
        make_case(subject=title, content=body, category=categories[code])


def run_command(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", *args, stdout=out, stderr=err)
    return out.getvalue()


def snapshot():
    return (
        list(TrainedModel.objects.order_by("version").values_list("version", "active")),
        list(TrainingRun.objects.order_by("pk").values_list("pk", "status", "pending", "heartbeat_at", "error")),
        AuditRecord.objects.count(),
    )


def pending_run(*, status=TrainingStatus.RUNNING, requested_by=None, created=0, started=None, beat=None):
    """A pending run created, started and last heard from this many minutes ago (None: never)."""
    now = timezone.now()
    run = TrainingRun.objects.create(requested_by=requested_by, status=status)
    TrainingRun.objects.filter(pk=run.pk).update(
        created_at=now - timedelta(minutes=created),
        started_at=None if started is None else now - timedelta(minutes=started),
        heartbeat_at=None if beat is None else now - timedelta(minutes=beat),
    )
    run.refresh_from_db()
    return run


def failing_training(exc: BaseException):
    def train(*args, **kwargs):
        raise exc

    return train


# A run whose process stopped gives way; a live one keeps its place --------------------------------------------


@pytest.mark.parametrize(
    ("status", "created", "started", "beat", "given_up"),
    [
        ("running", 10, 10, 4, "silent"),  # killed 4 minutes ago
        ("running", 10, 10, 1, None),  # beat a minute ago
        ("running", 5, 5, None, "silent"),  # never beat (started before heartbeats were recorded)
        ("running", 2, 2, None, None),  # just started
        ("running", 120, 120, 0, None),  # a long training on a busy machine, still beating
        ("running", 200, 200, 0, "stuck"),  # beating but without a result for hours
        ("queued", 31, None, None, "unclaimed"),  # no worker took it
        ("queued", 10, None, None, None),  # the workers are busy
    ],
)
def test_a_pending_run_is_given_up_when_its_process_is_silent_unclaimed_or_stuck(
    office, status, created, started, beat, given_up
):
    run = pending_run(status=status, requested_by=office, created=created, started=started, beat=beat)
    assert training_runs_expire() == (1 if given_up else 0)
    run.refresh_from_db()
    if given_up:
        assert (run.status, run.pending, run.error) == ("failed", False, given_up_error(given_up))
        assert run.finished_at is not None
    else:
        assert (run.status, run.pending, run.error) == (status, True, "")


def test_a_run_with_a_stale_heartbeat_no_longer_blocks_a_new_request(office, group_office, decided_cases):
    killed = pending_run(requested_by=office, created=8, started=8, beat=4)
    run = model_train_request(actor=group_office)
    killed.refresh_from_db()
    assert (killed.status, killed.pending, killed.error) == ("failed", False, given_up_error("silent"))
    assert run.pending and run.status == "queued" and run.requested_by == group_office


def test_a_run_with_a_fresh_heartbeat_still_blocks(office, group_office, decided_cases):
    pending_run(requested_by=office, created=100, started=100, beat=0.5)  # long, and alive
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        model_train_request(actor=group_office)
    assert refused.value.code == "busy" and office.display_name in refused.value.message
    assert snapshot() == before


def test_the_page_shows_a_killed_training_as_given_up_without_anyone_pressing_train(client, group_office, office):
    killed = pending_run(requested_by=office, created=8, started=8, beat=4)
    client.force_login(group_office)
    page = html.unescape(client.get(URL).content.decode())
    killed.refresh_from_db()
    assert 'id="training-pending"' not in page and 'id="training-failed"' in page and killed.error in page
    assert 'data-action="model-train" disabled' not in page
    assert 'hx-trigger="every 5s"' not in page  # the page stops following it


def test_two_requests_at_the_same_moment_open_one_run(office, group_office, decided_cases, monkeypatch):
    """The second request checked before the first inserted its run: the unique constraint refuses its insert,
    and it says whose training is under way."""
    first = model_train_request(actor=office)
    real, calls = services._pending_run, []

    def checked_before_the_first_insert():
        calls.append(1)
        return None if len(calls) == 1 else real()

    monkeypatch.setattr(services, "_pending_run", checked_before_the_first_insert)
    with pytest.raises(DomainError) as refused:
        model_train_request(actor=group_office)
    assert refused.value.code == "busy" and office.display_name in refused.value.message
    assert list(TrainingRun.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_request_that_loses_the_race_to_a_training_already_finished_is_told_to_look_again(
    office, group_office, decided_cases, monkeypatch
):
    """The run that took the place was pending at the insert and finished before the loser looked again."""
    first = model_train_request(actor=office)
    monkeypatch.setattr(services, "_pending_run", lambda: None)
    with pytest.raises(DomainError) as refused:
        model_train_request(actor=group_office)
    assert refused.value.code == "changed"
    assert list(TrainingRun.objects.values_list("pk", flat=True)) == [first.pk]


# The heartbeat itself -----------------------------------------------------------------------------------------


def heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("training-run-")]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_recorded_while_a_slow_training_runs_and_stops_after(office, model_dir, rng, monkeypatch):
    """The worker's thread updates the run's row (seen from another connection) while the training holds the
    worker; once the training is over it beats no more."""
    monkeypatch.setattr(services, "TRAINING_HEARTBEAT_SECONDS", 0.05)
    run = TrainingRun.objects.create(requested_by=office)
    real, beats, threads = services.model_train, [], []

    def slow(**kwargs):
        threads.extend(heartbeat_threads())
        deadline = time.monotonic() + 10
        while len(set(beats)) < 4 and time.monotonic() < deadline:
            beats.append(TrainingRun.objects.values_list("heartbeat_at", flat=True).get(pk=run.pk))
            time.sleep(0.02)
        return real(examples=labelled(rng, 10), source="csv", activate=False)

    monkeypatch.setattr(services, "model_train", slow)

    model_train_run(run_id=run.pk)

    assert None not in beats and len(set(beats)) >= 4  # the claim's, then three beats at least
    assert beats == sorted(beats)
    run.refresh_from_db()
    assert run.status == "done" and run.heartbeat_at >= beats[-1]
    assert threads and not any(t.is_alive() for t in threads) and not heartbeat_threads()
    last = run.heartbeat_at
    time.sleep(0.2)
    run.refresh_from_db()
    assert run.heartbeat_at == last


# The command takes part in the lock --------------------------------------------------------------------------


@pytest.mark.parametrize("from_csv", [True, False], ids=["csv", "history"])
def test_the_command_refuses_while_a_page_training_is_pending_and_changes_nothing(
    office, model_dir, train_csv, decided_cases, from_csv
):
    run = TrainingRun.objects.create(requested_by=office)  # asked for on the page, waiting for its worker
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        run_command("train", *(["--data", str(train_csv)] if from_csv else []))
    assert str(refused.value) == gettext(
        "A training requested by {who} at {when} is still under way. Wait for its result."
    ).format(who=office.display_name, when=datetime_text(run.created_at))
    assert snapshot() == before
    assert not model_dir.exists() or not any(model_dir.iterdir())


def test_the_commands_run_is_recorded_shown_on_the_page_while_it_trains_and_finished(
    client, group_office, model_dir, train_csv, monkeypatch
):
    real, during = services.train, {}

    def watched(*args, **kwargs):
        if not during:
            during["run"] = TrainingRun.objects.values("status", "pending", "requested_by", "heartbeat_at").get()
            during["page"] = client.get(URL).content.decode()
            try:
                model_train_request(actor=group_office)
            except DomainError as exc:
                during["page_request"] = exc.code
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "train", watched)
    client.force_login(group_office)

    out = run_command("train", "--data", str(train_csv))

    assert during["run"]["status"] == "running" and during["run"]["pending"]
    assert during["run"]["requested_by"] is None and during["run"]["heartbeat_at"] is not None
    assert 'id="training-pending"' in during["page"] and gettext("System") in during["page"]
    assert 'data-action="model-train" disabled' in during["page"]
    assert during["page_request"] == "busy"  # the page could not start a second training meanwhile
    model = TrainedModel.objects.get()
    assert "model v1" in out and model.active and model.source == "csv"
    run = TrainingRun.objects.get()
    assert (run.status, run.pending, run.trained_model, run.requested_by) == ("done", False, model, None)
    assert run.started_at <= run.heartbeat_at <= run.finished_at and not run.error
    page = client.get(URL).content.decode()
    assert 'id="training-pending"' not in page and 'id="training-failed"' not in page


@pytest.mark.parametrize(
    ("exc", "raised", "error"),
    [
        (RuntimeError("boom"), RuntimeError, UNEXPECTED),
        (DomainError("no memory", code="x"), CommandError, "no memory"),
        (KeyboardInterrupt(), CommandError, STOPPED),
    ],
    ids=["unexpected", "domain", "ctrl-c"],
)
def test_a_failed_or_interrupted_command_training_is_recorded_and_blocks_nothing(
    client, group_office, model_dir, train_csv, monkeypatch, exc, raised, error
):
    monkeypatch.setattr(services, "train", failing_training(exc))
    with pytest.raises(raised) as failed:
        run_command("train", "--data", str(train_csv))
    if isinstance(exc, KeyboardInterrupt):
        assert failed.value.returncode == 130
    run = TrainingRun.objects.get()
    assert (run.status, run.pending, run.requested_by) == ("failed", False, None)
    assert run.error == gettext(error) and run.finished_at is not None
    assert not TrainedModel.objects.exists()
    client.force_login(group_office)
    page = html.unescape(client.get(URL).content.decode())
    assert 'id="training-failed"' in page and run.error in page and 'id="training-pending"' not in page
    # Nothing is left pending: training can be asked for again at once.
    monkeypatch.undo()
    run_command("train", "--data", str(train_csv))
    assert TrainingRun.objects.filter(status="done").count() == 1


def test_the_command_refuses_too_few_examples_without_recording_a_run(db, model_dir):
    with pytest.raises(CommandError, match="20"):
        run_command("train")
    assert not TrainingRun.objects.exists() and not TrainedModel.objects.exists()


def test_the_command_gives_up_a_run_whose_process_stopped_and_trains(office, model_dir, train_csv):
    killed = pending_run(requested_by=office, created=12, started=12, beat=10)
    run_command("train", "--data", str(train_csv))
    killed.refresh_from_db()
    assert (killed.status, killed.pending, killed.error) == ("failed", False, given_up_error("silent"))
    assert TrainingRun.objects.exclude(pk=killed.pk).get().status == "done"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_page_and_the_command_at_the_same_moment_start_one_training(office, model_dir, rng, monkeypatch):
    from huiyin.triage import selectors

    monkeypatch.setattr(selectors, "training_label_counts", lambda: Counter({"wages": 20, "housing": 20}))
    release = threading.Event()

    def held(**kwargs):  # the command's training, held until the page's request has its answer
        release.wait(10)
        raise DomainError("held by the test", code="held")

    monkeypatch.setattr(services, "model_train", held)
    barrier, outcomes = threading.Barrier(2), {}

    def attempt(who, start):
        try:
            barrier.wait()
            start()
            outcomes[who] = "started"
        except DomainError as exc:
            outcomes[who] = "started" if exc.code == "held" else exc.code
        finally:
            connections.close_all()

    page = threading.Thread(target=attempt, args=("page", lambda: model_train_request(actor=office)))
    command = threading.Thread(
        target=attempt,
        args=("command", lambda: services.model_train_as_run(examples=labelled(rng, 10), source="csv")),
    )
    page.start(), command.start()
    page.join(10)
    release.set()
    command.join(10)
    assert sorted(outcomes.values()) == ["busy", "started"], outcomes
    assert TrainingRun.objects.count() == 1
