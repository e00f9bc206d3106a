"""The category models page (分类模型): which model suggests categories, the trained models with their held-out
figures against the keyword rules, training from the organisation's decided cases, putting a model in use and
stopping it. Kept by those who keep the category list; every change audited; stale pages and double submissions
change nothing."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from huiyin.audit.models import AuditAction, AuditRecord
from huiyin.cases.models import Category
from huiyin.core.dates import datetime_text
from huiyin.triage import views
from huiyin.triage.models import Suggestion, TrainedModel, TrainingRun
from huiyin.triage.services import model_activate, model_train, model_train_request
from huiyin.triage.states import TrainingStatus
from huiyin.triage.tasks import model_train_task
from huiyin.triage.tests.conftest import petition

URL = reverse("triage:models")
TRAIN = reverse("triage:model_train")
STOP = reverse("triage:model_stop")
CODES = ("wages", "housing", "canteen_welfare")


def activate_url(version: int) -> str:
    return reverse("triage:model_activate", args=[version])


def labelled(rng, n_per_class: int) -> list[tuple[str, str, str]]:
    rows = [(*petition(rng, code), code) for code in CODES for _ in range(n_per_class)]
    rng.shuffle(rows)
    return rows


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_post(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response, messages_of(response)


def model_audits() -> list[AuditRecord]:
    actions = [AuditAction.MODEL_TRAIN, AuditAction.MODEL_ACTIVATE, AuditAction.MODEL_STOP]
    return list(AuditRecord.objects.filter(action__in=actions).order_by("seq"))


def snapshot():
    """Everything the page may change, to show that a refused request changed nothing."""
    return (
        list(TrainedModel.objects.order_by("version").values_list("version", "active", "activated_at")),
        list(TrainingRun.objects.order_by("pk").values_list("pk", "status", "pending")),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def decided_cases(model_dir, rng, make_case):
    """36 cases whose category was decided at registration: training data for the organisation."""
    categories = {c.code: c for c in Category.objects.filter(code__in=CODES)}
    for title, body, code in labelled(rng, 12):
        make_case(subject=title, content=body, category=categories[code])


@pytest.fixture
def two_models(model_dir, rng, group_office):
    """v1 and v2 trained (from a CSV's rows), neither in use."""
    v1 = model_train(examples=labelled(rng, 10), source="csv", actor=group_office, activate=False).trained_model
    v2 = model_train(examples=labelled(rng, 10), source="csv", actor=group_office, activate=False).trained_model
    return v1, v2


# Who may open the page and act on it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        (None, 302),
        ("clerk", 403),
        ("handler", 403),
        ("leader", 403),
        ("office", 403),  # a company's office: the models suggest for the whole organisation
        ("group_office", 200),
    ],
)
def test_page_access(client, request, org, model_dir, rng, persona, code):
    v1 = model_train(examples=labelled(rng, 10), source="csv", activate=False)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == code
    assert client.get(reverse("triage:model_detail", args=[v1.trained_model.version])).status_code == code


@pytest.mark.parametrize("persona", ["clerk", "handler", "office"])
def test_without_the_right_nothing_changes(client, request, two_models, decided_cases, persona):
    v1, v2 = two_models
    model_activate(trained_model=v1)
    before = snapshot()
    client.force_login(request.getfixturevalue(persona))
    assert client.post(TRAIN, {"latest": "2"}).status_code == 403
    assert client.post(activate_url(2), {"seen": "1"}).status_code == 403
    assert client.post(STOP, {"seen": "1"}).status_code == 403
    assert snapshot() == before


def test_the_page_is_linked_where_the_category_list_is(client, group_office, office):
    client.force_login(group_office)
    for page in (reverse("home"), reverse("triage:categories"), reverse("triage:routes")):
        assert URL in client.get(page).content.decode(), page
    client.force_login(office)
    assert URL not in client.get(reverse("home")).content.decode()
    assert URL not in client.get(reverse("triage:routes")).content.decode()


def test_actions_are_post_only(client, group_office, two_models):
    client.force_login(group_office)
    for url in (TRAIN, STOP, activate_url(1)):
        assert client.get(url).status_code == 405
    assert client.post(activate_url(99), {"seen": ""}).status_code == 404


# The page ----------------------------------------------------------------------------------------------------


def test_without_a_model_the_page_says_the_keyword_rules_suggest(client, group_office, model_dir):
    client.force_login(group_office)
    page = client.get(URL).content.decode()
    assert 'id="keyword-rules-in-use"' in page
    assert gettext("No model trained yet.") in page
    assert 'data-action="model-stop"' not in page


def test_the_page_lists_every_model_with_its_figures(client, group_office, two_models):
    v1, v2 = two_models
    model_activate(trained_model=v1, actor=group_office)
    client.force_login(group_office)
    page = html.unescape(client.get(URL).content.decode())
    assert page.index('data-model="2"') < page.index('data-model="1"')  # newest first
    row = page[page.index('data-model="1"') :].split("</tr>")[0]
    assert "data-in-use" in row and 'data-action="model-activate"' not in row
    assert f"{v1.macro_f1:.3f}" in row and f"{v1.keywords_macro_f1:.3f}" in row and f"{v1.accuracy:.3f}" in row
    assert f">{v1.n_examples}<" in row and f">{v1.n_heldout}<" in row
    assert group_office.display_name in row and "CSV 文件" in row
    with translation.override("zh-hans"):
        assert datetime_text(v1.trained_at) in row  # the site's date format
    other = page[page.index('data-model="2"') :].split("</tr>")[0]
    assert "data-in-use" not in other and 'data-action="model-activate"' in other
    assert 'name="seen" value="1"' in other  # the form carries the model in use as the page showed it
    in_use = page[page.index('id="model-in-use"') :].split("</section>")[0]
    assert "v1" in in_use and f"{v1.macro_f1:.3f}" in in_use and group_office.display_name in in_use
    # Said plainly as well (found in a walk-through: 留出集宏平均F1 meant nothing to the office).
    right = round(v1.accuracy * v1.n_heldout)
    with translation.override("zh-hans"):
        plain = gettext("%(right)s of %(n)s cases kept aside to test it") % {"right": right, "n": v1.n_heldout}
    assert plain in in_use and 'id="model-figures-help"' in in_use
    assert 'name="latest" value="2"' in page
    # Every cell of the table is labelled for a phone's one-column layout.
    body = page[page.index('id="models-table"') :].split("</tbody>")[0].split("<tbody>")[1]
    cells = body.count("<td")
    assert cells - body.count("<td data-label") == 2  # only the two action cells go unlabelled


def test_a_models_figures_per_category_are_named(client, group_office, two_models):
    v1, _v2 = two_models
    client.force_login(group_office)
    page = html.unescape(client.get(reverse("triage:model_detail", args=[v1.version])).content.decode())
    for row in v1.report["per_class"]:
        name = str(Category.objects.get(code=row["label"]))
        assert name in page and f"{row['f1']:.3f}" in page
    assert "工资薪酬" in page and f'data-label="{gettext("Precision")}"' in page


def test_an_unreadable_model_in_use_is_said(client, group_office, two_models, model_dir):
    v1, _v2 = two_models
    model_activate(trained_model=v1)
    file = model_dir / v1.file_name
    data = bytearray(file.read_bytes())
    data[-5] ^= 0xFF
    file.write_bytes(bytes(data))
    client.force_login(group_office)
    assert 'id="model-unreadable"' in client.get(URL).content.decode()


# Training ----------------------------------------------------------------------------------------------------


def test_train_now_records_a_model_not_yet_in_use_and_says_how_it_scores(client, group_office, decided_cases):
    client.force_login(group_office)
    response, said = follow_post(client, TRAIN, {"latest": ""})
    model = TrainedModel.objects.get()
    assert (model.version, model.source, model.n_examples, model.active) == (1, "history", 36, False)
    assert model.trained_by == group_office and model.macro_f1 is not None
    assert said == [
        gettext(
            "v{version} is trained on {n} cases. On {heldout} held-out cases its macro-F1 is {f1}; the keyword rules "
            "score {keywords} on the same cases. Put it in use to have it suggest categories."
        ).format(
            version=1,
            n=36,
            heldout=model.n_heldout,
            f1=f"{model.macro_f1:.3f}",
            keywords=f"{model.keywords_macro_f1:.3f}",
        )
    ]
    run = TrainingRun.objects.get()
    assert (run.status, run.pending, run.trained_model, run.requested_by) == ("done", False, model, group_office)
    (record,) = model_audits()
    assert record.action == AuditAction.MODEL_TRAIN and record.actor_id == group_office.pk
    assert record.detail["version"] == 1 and record.detail["trained_from"] == "history"
    assert record.detail["examples"] == 36 and record.detail["macro_f1"] == round(model.macro_f1, 4)
    # Nothing suggests with it until it is put in use.
    assert "data-in-use" not in response.content.decode()


def test_train_now_refuses_too_few_decided_cases_and_changes_nothing(client, group_office, model_dir, make_case):
    make_case(category=Category.objects.get(code="wages"))
    before = snapshot()
    client.force_login(group_office)
    _response, said = follow_post(client, TRAIN, {"latest": ""})
    assert said == [gettext("Training needs at least {n} labelled cases; {have} found.").format(n=20, have=1)]
    assert "至少需要 20 件" in said[0]
    assert snapshot() == before
    assert not model_dir.exists() or not any(model_dir.iterdir())


def test_train_now_refuses_while_a_training_is_under_way(client, group_office, office, decided_cases):
    TrainingRun.objects.create(requested_by=office)
    before = snapshot()
    client.force_login(group_office)
    _response, said = follow_post(client, TRAIN, {"latest": ""})
    assert office.display_name in said[0]
    assert snapshot() == before
    page = client.get(URL).content.decode()
    assert 'id="training-pending"' in page and 'data-action="model-train" disabled' in page
    assert 'hx-trigger="every 5s"' in page  # the page follows the run until it is done


def test_only_one_training_can_be_pending(db, office):
    TrainingRun.objects.create(requested_by=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRun.objects.create(requested_by=office)


def test_an_abandoned_training_gives_way(client, group_office, office, decided_cases):
    stuck = TrainingRun.objects.create(requested_by=office, status=TrainingStatus.RUNNING)
    TrainingRun.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - timedelta(hours=4))
    run = model_train_request(actor=group_office)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.pending) == ("failed", False) and stuck.error
    assert run.pending and run.status == "queued"


def test_train_now_on_a_stale_page_does_not_train_again(client, group_office, decided_cases):
    client.force_login(group_office)
    follow_post(client, TRAIN, {"latest": ""})
    before = snapshot()
    # A second press on the page loaded before the first training (a double submission, or another person).
    _response, said = follow_post(client, TRAIN, {"latest": ""})
    assert "v1" in said[0] and group_office.display_name in said[0]
    assert snapshot() == before
    # A form that does not say what the page showed is refused too.
    _response, said = follow_post(client, TRAIN, {})
    assert said == [gettext("The page is out of date: reload it.")]
    assert snapshot() == before


def test_with_a_task_queue_training_runs_in_the_background(
    client, group_office, decided_cases, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(views.model_train_task, "delay", lambda run_id: queued.append(run_id))
    client.force_login(group_office)
    with django_capture_on_commit_callbacks(execute=True):
        _response, said = follow_post(client, TRAIN, {"latest": ""})
    run = TrainingRun.objects.get()
    assert queued == [run.pk] and run.status == "queued" and not TrainedModel.objects.exists()
    assert said == [gettext("Training has started in the background. This page shows its result when it is done.")]
    # The worker trains; a second delivery of the same task finds the run taken and does nothing.
    assert model_train_task(run.pk)["version"] == 1
    assert model_train_task(run.pk)["status"] == "done"
    run.refresh_from_db()
    assert run.status == "done" and TrainedModel.objects.count() == 1
    page = client.get(URL).content.decode()
    assert 'id="training-pending"' not in page and 'data-model="1"' in page


def test_a_task_queue_out_of_reach_fails_the_run_at_once(
    client, group_office, decided_cases, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A run the queue never received must not stay pending (and block training for hours)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def unreachable(run_id):
        raise ConnectionError("broker down")

    monkeypatch.setattr(views.model_train_task, "delay", unreachable)
    client.force_login(group_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(TRAIN, {"latest": ""})
    run = TrainingRun.objects.get()
    assert (run.status, run.pending) == ("failed", False) and not TrainedModel.objects.exists()
    page = html.unescape(client.get(URL).content.decode())
    assert 'id="training-failed"' in page and run.error in page
    monkeypatch.setattr(views.model_train_task, "delay", lambda run_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        follow_post(client, TRAIN, {"latest": ""})
    assert TrainingRun.objects.filter(pending=True).count() == 1  # asking again is possible


def test_a_training_that_fails_in_the_background_says_why_on_the_page(client, group_office, office, model_dir):
    run = TrainingRun.objects.create(requested_by=office)  # asked for, then the cases were not enough
    assert model_train_task(run.pk)["status"] == "failed"
    run.refresh_from_db()
    assert run.error == gettext("Training needs at least {n} labelled cases; {have} found.").format(n=20, have=0)
    client.force_login(group_office)
    page = html.unescape(client.get(URL).content.decode())
    assert 'id="training-failed"' in page and run.error in page and office.display_name in page


# Putting a model in use and stopping it -----------------------------------------------------------------------


def test_put_in_use_then_stop(client, group_office, two_models, make_case, rng):
    v1, v2 = two_models
    client.force_login(group_office)
    _response, said = follow_post(client, activate_url(1), {"seen": ""})
    assert said == [gettext("v{version} is in use: it suggests the category of new cases.").format(version=1)]
    v1.refresh_from_db()
    assert v1.active and v1.activated_by == group_office and v1.activated_at is not None
    title, body = petition(rng, "housing")
    s = Suggestion.objects.get(case=make_case(subject=title, content=body), kind="category")
    assert s.source == "model" and s.trained_model == v1  # the suggestion shows a confidence now

    follow_post(client, activate_url(2), {"seen": "1"})
    assert list(TrainedModel.objects.filter(active=True)) == [v2]

    _response, said = follow_post(client, STOP, {"seen": "2"})
    assert said == [gettext("No model is in use now: the keyword rules suggest categories.")]
    assert not TrainedModel.objects.filter(active=True).exists()
    assert Suggestion.objects.get(case=make_case(), kind="category").source == "keywords"

    trained = [r for r in model_audits() if r.action == AuditAction.MODEL_TRAIN]
    changes = [(r.action, r.object_id, r.detail, r.actor_id) for r in model_audits() if r not in trained]
    assert changes == [
        (AuditAction.MODEL_ACTIVATE, "1", {"version": 1, "previous": None}, group_office.pk),
        (AuditAction.MODEL_ACTIVATE, "2", {"version": 2, "previous": 1}, group_office.pk),
        (AuditAction.MODEL_STOP, "2", {"previous": 2}, group_office.pk),
    ]


def test_a_double_submission_changes_nothing_the_second_time(client, group_office, two_models):
    client.force_login(group_office)
    follow_post(client, activate_url(1), {"seen": ""})
    before = snapshot()
    _response, said = follow_post(client, activate_url(1), {"seen": ""})
    assert said == [gettext("v{version} was already in use.").format(version=1)]
    assert snapshot() == before
    follow_post(client, STOP, {"seen": "1"})
    before = snapshot()
    _response, said = follow_post(client, STOP, {"seen": "1"})
    assert said == [gettext("No model was in use: the keyword rules already suggest categories.")]
    assert snapshot() == before


def test_a_stale_page_does_not_override_another_persons_choice(client, group_office, two_models):
    v1, _v2 = two_models
    # Both pages were loaded while the keyword rules suggested; meanwhile someone put v1 in use.
    model_activate(trained_model=v1, actor=group_office, seen=None)
    before = snapshot()
    client.force_login(group_office)
    _response, said = follow_post(client, activate_url(2), {"seen": ""})
    assert "v1" in said[0] and group_office.display_name in said[0]
    _response, said = follow_post(client, STOP, {"seen": ""})
    assert "v1" in said[0]
    _response, said = follow_post(client, activate_url(2), {"seen": "x"})  # not a version: not our page
    assert said == [gettext("The page is out of date: reload it.")]
    _response, said = follow_post(client, activate_url(2), {})
    assert said == [gettext("The page is out of date: reload it.")]
    assert snapshot() == before
    assert list(TrainedModel.objects.filter(active=True)) == [v1]


def test_the_audit_log_reads_the_model_records(client, auditor, group_office, two_models):
    model_activate(trained_model=two_models[0], actor=group_office)
    client.force_login(auditor)
    page = html.unescape(client.get(reverse("audit:list")).content.decode())
    assert gettext("Category model trained") in page and gettext("Category model put in use") in page
    assert "宏平均F1（留出集）" in page and "训练数据来源" in page and "CSV 文件" in page
