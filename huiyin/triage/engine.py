"""The text side of triage inside Django: the active model (loaded once per process, reloaded when
another model is activated), the keyword rules of the enterprise's own category list, and the
content words of a case. Everything textual is delegated to the pure `huiyin.nlp` package."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.crypto import salted_hmac

from huiyin.cases.models import Category
from huiyin.nlp.base import Prediction
from huiyin.nlp.classifier import Model, ModelLoadError
from huiyin.nlp.keyword_rules import DEFAULT_CATEGORIES, OTHER, keyword_predict
from huiyin.nlp.segment import tokens
from huiyin.triage.models import CategoryKeywords, TrainedModel

logger = logging.getLogger(__name__)

_BUILTIN_KEYWORDS: dict[str, list[str]] = {c["code"]: list(c["keywords"]) for c in DEFAULT_CATEGORIES}


def model_dir() -> Path:
    return Path(settings.HUIYIN_MODEL_DIR)


def model_key() -> bytes:
    """The key model files are signed with (checked before a file is unpickled)."""
    if settings.HUIYIN_MODEL_KEY:
        return settings.HUIYIN_MODEL_KEY.encode()
    return salted_hmac("huiyin.triage.model", "model-file", algorithm="sha256").digest()


class _ModelCache:
    """The active model of this process. A cheap query tells whether another one was activated."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pk: int | None = None
        self.model: Model | None = None
        self.failed: set[int] = set()

    def get(self) -> tuple[TrainedModel | None, Model | None]:
        row = TrainedModel.objects.filter(active=True).only("pk", "version", "file_name").first()
        if row is None:
            return None, None
        with self.lock:
            if self.pk == row.pk:
                return row, self.model
            if row.pk in self.failed:
                return None, None
            try:
                model = Model.load(model_dir() / row.file_name, model_dir=model_dir(), key=model_key())
            except ModelLoadError:
                # Keyword rules take over; the office sees the source on every suggestion.
                logger.exception("triage model v%s cannot be loaded; keyword rules suggest instead", row.version)
                self.failed.add(row.pk)
                return None, None
            self.pk, self.model = row.pk, model
            return row, model

    def clear(self) -> None:
        with self.lock:
            self.pk, self.model = None, None
            self.failed.clear()


model_cache = _ModelCache()


def builtin_keywords(code: str) -> list[str]:
    """The keywords huiyin.nlp.keyword_rules ships for a category code (none for a code of the office's own)."""
    return list(_BUILTIN_KEYWORDS.get(code, []))


def category_keywords(category: Category) -> list[str]:
    """The keywords the rules use for `category`: the office's own, else the built-in ones."""
    own = CategoryKeywords.objects.filter(category_id=category.pk).values_list("keywords", flat=True).first()
    return own.split() if own is not None else builtin_keywords(category.code)


def category_rules(categories: list[Category] | None = None) -> list[dict]:
    """The keyword rules of the active categories: the office's own keywords, else the built-in ones."""
    cats = categories if categories is not None else list(Category.objects.filter(active=True))
    own = {k.category_id: k.words for k in CategoryKeywords.objects.filter(category__in=[c.pk for c in cats])}
    rules = []
    for c in cats:
        words = own.get(c.pk, _BUILTIN_KEYWORDS.get(c.code, []))
        rules.append({"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "keywords": words})
    if rules and not any(r["code"] == OTHER for r in rules):
        rules.append({"code": OTHER, "name_zh": "其他", "name_en": "Other", "keywords": []})
    return rules


@dataclass(frozen=True)
class CategoryGuess:
    prediction: Prediction
    category: Category | None
    trained_model: TrainedModel | None


def categories_by_label(categories: list[Category] | None = None) -> dict[str, Category]:
    """Categories (default: the active ones) by model label. Model labels are category codes; a model
    trained from a CSV may use the Chinese names."""
    if categories is None:
        categories = list(Category.objects.filter(active=True))
    found: dict[str, Category] = {}
    for c in categories:
        found.setdefault(c.name_zh, c)
    for c in categories:
        found[c.code] = c
    return found


def category_guess(title: str, body: str) -> CategoryGuess:
    """Suggest a category: the active trained model when there is one, else the keyword rules."""
    categories = list(Category.objects.filter(active=True))
    by_label = categories_by_label(categories)
    row, model = model_cache.get()
    if model is not None:
        prediction = model.predict(title, body)
        category = by_label.get(prediction.label)
        if category is None:
            # The best label is no longer an active category: take the best one that is.
            for label, conf in prediction.alternatives:
                if label in by_label:
                    # The terms explained the label set aside, not this one: no reasons rather than wrong ones.
                    prediction = Prediction(label, conf, [], [], source="model")
                    category = by_label[label]
                    break
        return CategoryGuess(prediction, category, row)
    prediction = keyword_predict(title, body, category_rules(categories))
    return CategoryGuess(prediction, by_label.get(prediction.label), None)


def accusation_terms(title: str, body: str) -> list[str]:
    """The words for which the keyword rules take a text for an accusation report (the category of accusation
    reports wins), else none. The panel checks this beside the suggestion: a model trained on the general lane
    has seen few accusations (they are registered in their own compartment) and may call one a wage matter."""
    from huiyin.cases.services import ACCUSATION_CATEGORY

    categories = list(Category.objects.filter(active=True))
    prediction = keyword_predict(title, body, category_rules(categories))
    return [term for term, _weight in prediction.reasons] if prediction.label == ACCUSATION_CATEGORY else []


def case_words(subject: str, content: str) -> tuple[list[str], list[str]]:
    """Content words of the title and of the body (segmented once, stored in the fingerprint)."""
    return tokens(subject), tokens(content)


def case_word_set(case) -> set[str]:
    """The word set a case is compared on (for a case not yet in the index)."""
    title_words, body_words = case_words(case.subject, case.content)
    return set(title_words) | set(body_words)
