"""The category models page and a model's figures read on a phone: no sideways scrolling, controls that can be
tapped."""

from __future__ import annotations

import random

import pytest

from huiyin.triage.tests.conftest import petition
from tests.browser.phone import PHONE, SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_models_pages_fit_a_phone(live_server, login, group_office, settings, tmp_path):
    from huiyin.triage.services import model_activate, model_train

    settings.HUIYIN_MODEL_DIR = str(tmp_path / "models")
    rng = random.Random(3)
    rows = [(*petition(rng, code), code) for code in ("wages", "housing", "canteen_welfare") for _ in range(10)]
    for _ in range(2):
        model = model_train(examples=rows, source="csv", actor=group_office, activate=False, min_examples=20)
    model_activate(trained_model=model.trained_model, actor=group_office)
    page = login("group_office", viewport=PHONE)
    for path in ("/triage/models/", "/triage/models/1/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, path
        assert page.evaluate(SMALL) == [], path
