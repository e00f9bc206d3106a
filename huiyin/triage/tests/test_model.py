"""Issue #5.1: `triage train` from the enterprise's own decisions (or a CSV), `triage evaluate`,
`triage clusters`; the active model is used at registration and reloaded when another is activated."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huiyin.cases.models import Category
from huiyin.cases.services import case_accept
from huiyin.nlp.segment import fine_words
from huiyin.nlp.similar import EXTRA_RARE_KEYS, RARE_KEYS
from huiyin.triage.models import Suggestion, TrainedModel
from huiyin.triage.selectors import training_examples
from huiyin.triage.services import model_activate, suggestion_correct
from huiyin.triage.tests.conftest import petition


def write_csv(path: Path, rows, header=("id", "title", "body", "category")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, row in enumerate(rows):
            w.writerow([f"m{i}", *row])
    return path


def labelled(rng, n_per_class):
    rows = []
    for code in ("wages", "housing", "canteen_welfare"):
        for _ in range(n_per_class):
            title, body = petition(rng, code)
            rows.append((title, body, code))
    rng.shuffle(rows)
    return rows


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_training_examples_are_the_decisions_of_people(make_case, office):
    accepted = make_case(subject="宿舍漏水", content="宿舍楼屋顶漏水，请维修。")
    case_accept(case=accepted, actor=office, category=Category.objects.get(code="housing"))
    corrected = make_case()
    s = Suggestion.objects.get(case=corrected, kind="category")
    suggestion_correct(suggestion=s, actor=office, category=Category.objects.get(code="canteen_welfare"))
    make_case(subject="未决定的案件", content="尚无人确认类别。")
    examples = sorted(training_examples())
    assert examples == sorted(
        [
            ("宿舍漏水", "宿舍楼屋顶漏水，请维修。", "housing"),
            (corrected.subject, corrected.content, "canteen_welfare"),
        ]
    )


def test_train_from_history_activates_a_model_used_at_registration(model_dir, rng, make_case, office, client):
    for title, body, code in labelled(rng, 12):
        c = make_case(subject=title, content=body)
        case_accept(case=c, actor=office, category=Category.objects.get(code=code))
    out = run("train")
    lines = out.strip().splitlines()
    assert any(line.startswith("macro_f1=") for line in lines)
    assert any(line.startswith("keyword_rules_macro_f1=") for line in lines)
    model = TrainedModel.objects.get()
    assert model.active and model.source == "history" and model.n_examples == 36
    assert sorted(model.classes) == ["canteen_welfare", "housing", "wages"]
    assert (model_dir / model.file_name).exists() and model.macro_f1 is not None
    title, body = petition(rng, "housing")
    s = Suggestion.objects.get(case=make_case(subject=title, content=body), kind="category")
    assert (s.source, s.trained_model, s.category.code) == ("model", model, "housing")
    assert s.reasons["terms"] and all(isinstance(w, float) for _t, w in s.reasons["terms"])
    client.force_login(office)
    page = client.get(s.case.get_absolute_url()).content.decode()
    assert f"{s.confidence_percent}%</span>" in page and f"v{model.version}" in page
    # Back to the keyword rules: the process notices at the next suggestion.
    model_activate(trained_model=None)
    s2 = Suggestion.objects.get(case=make_case(), kind="category")
    assert s2.source == "keywords" and s2.trained_model is None


def test_train_from_csv_and_a_tampered_file_falls_back_to_keywords(model_dir, rng, tmp_path, make_case):
    path = write_csv(tmp_path / "train.csv", labelled(rng, 10))
    out = run("train", "--data", str(path))
    assert "model v1" in out and "active" in out
    model = TrainedModel.objects.get(active=True)
    assert model.source == "csv"
    file = model_dir / model.file_name
    data = bytearray(file.read_bytes())
    data[-5] ^= 0xFF
    file.write_bytes(bytes(data))
    s = Suggestion.objects.get(case=make_case(), kind="category")
    assert s.source == "keywords"  # the signature check refused the file


def test_train_refuses_too_little_data(db, model_dir):
    with pytest.raises(CommandError, match="20"):
        run("train")
    assert not TrainedModel.objects.exists()


def test_evaluate_prints_per_class_figures_and_the_two_last_lines(tmp_path, rng):
    train = write_csv(tmp_path / "train.csv", labelled(rng, 15))
    dev = write_csv(tmp_path / "dev.csv", labelled(rng, 5))
    lines = run("evaluate", "--train", str(train), "--data", str(dev)).strip().splitlines()
    assert lines[-2].startswith("macro_f1=0.") or lines[-2] == "macro_f1=1.0000"
    assert lines[-1].startswith("ms_per_message=") and float(lines[-1].split("=")[1]) > 0
    assert any(line.startswith("housing") for line in lines)
    assert "" not in lines  # no blank lines in between


def test_evaluate_accepts_empty_title_or_body(tmp_path, rng):
    rows = labelled(rng, 15)
    rows = [(t, "", c) if i % 3 == 0 else ("", b, c) if i % 3 == 1 else (t, b, c) for i, (t, b, c) in enumerate(rows)]
    train = write_csv(tmp_path / "train.csv", rows)
    dev = write_csv(tmp_path / "dev.csv", rows[:9])
    assert run("evaluate", "--train", str(train), "--data", str(dev)).strip().splitlines()[-2].startswith("macro_f1=")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n", "missing column"),
        ("", "empty file"),
    ],
)
def test_bad_csv_is_a_clear_command_error(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("evaluate", "--train", str(bad), "--data", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        run("train", "--data", str(tmp_path / "missing.csv"))


def test_clusters_writes_every_id_and_prints_the_top(tmp_path):
    path = tmp_path / "hot.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "title", "detail", "time"])
        for i in range(5):
            t, d = f"幸福小区电梯故障停运{i}", "物业不维修电梯故障停运，幸福小区居民出行难"
            w.writerow([f"e{i}", t + d, t, d, f"2024-01-0{i + 1} 10:00:00"])
        for i in range(6):
            t, d = f"标题{i}", f"内容{chr(0x4E00 + 7 * i)}{chr(0x4E80 + 5 * i)}"
            w.writerow([f"n{i}", t + d, t, d, "2024-01-03 10:00:00"])
    out = run("clusters", "--data", str(path), "--out", str(tmp_path / "out.csv"))
    written = (tmp_path / "out.csv").read_text(encoding="utf-8").strip().splitlines()
    assert written[0] == "id,cluster" and len(written) == 12
    assign = dict(line.split(",") for line in written[1:])
    assert len({assign[f"e{i}"] for i in range(5)}) == 1
    assert "size=5" in out and "幸福小区" in out


def test_reindex_fills_the_index_for_cases_registered_before(make_case):
    from huiyin.triage.models import CaseFingerprint, SimilarityKey

    cases = [make_case(), make_case(subject="宿舍漏水", content="宿舍楼屋顶漏水，请尽快维修。")]
    CaseFingerprint.objects.all().delete()
    SimilarityKey.objects.all().delete()
    assert "2 cases indexed" in run("reindex")
    assert CaseFingerprint.objects.count() == 2
    words = CaseFingerprint.objects.get(case=cases[1]).word_set
    rare = min(RARE_KEYS + EXTRA_RARE_KEYS, len(fine_words(words)))  # a short text has fewer words than that
    assert SimilarityKey.objects.filter(case=cases[1]).count() == 24 + rare  # band keys and rare-word keys
    assert "0 cases indexed" in run("reindex")
    assert "2 cases indexed" in run("reindex", "--all")
    assert SimilarityKey.objects.count() == SimilarityKey.objects.values("key", "case").distinct().count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM: PostgreSQL")
def test_reindex_vacuums_the_key_table_so_lookups_stay_index_only(make_case):
    """Rewritten key pages are read from the heap by the lookup's index-only scans until VACUUM sets them
    visible: a reindex outside a transaction (the command as run) vacuums the key table itself."""
    make_case()
    before = _last_vacuum("triage_similaritykey")
    out = run("reindex", "--all")
    assert "key table vacuumed" in out
    assert _last_vacuum("triage_similaritykey") not in (None, before)


def _last_vacuum(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s", [table])
        row = cursor.fetchone()
    return row[0] if row else None


def test_the_held_out_trial_skips_calibration_and_scores_the_same(db, model_dir, rng, monkeypatch):
    """Training fits the trial model (for the held-out figures) without the confidence calibration: labels are
    the argmax of the scores, which the temperature does not move, so the figures are those of a calibrated
    trial, for a third of the work."""
    from huiyin.nlp.classifier import evaluate, train
    from huiyin.triage import services
    from huiyin.triage.services import _split, model_train

    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs.get("calibrate", True))
        return train(*args, **kwargs)

    monkeypatch.setattr(services, "train", spy)
    examples = labelled(rng, 15)
    row = model_train(examples=examples, source="csv", activate=False).trained_model
    assert calls == [False, True]  # the trial uncalibrated, the model kept calibrated
    train_rows, held = _split(list(examples), 0.2, 0)
    calibrated = train([(t, b) for t, b, _c in train_rows], [c for _t, _b, c in train_rows])
    report = evaluate(calibrated, held)
    assert (report.macro_f1, report.accuracy) == (row.macro_f1, row.accuracy)


def test_two_trainings_finishing_at_once_keep_their_own_files_and_versions(db, model_dir, rng, tmp_path, monkeypatch):
    """Found by the models-page helper: the page and `manage.py triage train` finishing at once took the same
    next version; the second wrote over the first's file (triage-v1.bin) and then failed on the version."""
    from huiyin.triage import services

    path = write_csv(tmp_path / "train.csv", labelled(rng, 10))
    run("train", "--data", str(path), "--no-activate")
    first = TrainedModel.objects.get()
    before = (model_dir / first.file_name).read_bytes()
    taken = iter([first.version])  # the other training read the next version before the first row was written
    real = services._next_version
    monkeypatch.setattr(services, "_next_version", lambda: next(taken, None) or real())

    run("train", "--data", str(path), "--no-activate")

    second = TrainedModel.objects.exclude(pk=first.pk).get()
    assert second.version == first.version + 1 and second.file_name != first.file_name
    assert (model_dir / first.file_name).read_bytes() == before  # the first model's file is untouched
    assert (model_dir / second.file_name).exists()
