"""Training runs, one at a time: a run whose process was killed stops blocking within minutes (its heartbeat
stops) while a live long training keeps its place.
"""

from __future__ import annotations

import html
import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from huiyin.audit.models import AuditRecord
from huiyin.cases.models import Category
from huiyin.core.errors import DomainError
from huiyin.triage import services
from huiyin.triage.models import TrainedModel, TrainingRun
from huiyin.triage.services import model_train_request, model_train_run, training_runs_expire
from huiyin.triage.states import TrainingStatus
from huiyin.triage.tests.conftest import petition

URL = reverse("triage:models")
CODES = ("wages", "housing", "canteen_welfare")


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
def decided_cases(model_dir, rng, make_case):
    categories = {c.code: c for c in Category.objects.filter(code__in=CODES)}
    for title, body, code in labelled(rng, 8):
        make_case(subject=title, content=body, category=categories[code])


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
