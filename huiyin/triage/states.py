"""Choices of the triage models, as data (string values, English msgids)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    CATEGORY = "category", _("Category")
    ROUTE = "route", _("Handling unit")
    SIMILAR = "similar", _("Similar case")


class SuggestionSource(models.TextChoices):
    MODEL = "model", _("Trained model")
    KEYWORDS = "keywords", _("Keyword rules")
    ROUTE = "route", _("Routing table")
    INDEX = "index", _("Similarity index")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting decision")
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    DISMISSED = "dismissed", _("Dismissed")


DECIDED = frozenset({SuggestionStatus.CONFIRMED, SuggestionStatus.CORRECTED, SuggestionStatus.DISMISSED})


class SimilarKind(models.TextChoices):
    """How a similar case is presented; the values are those of `cases.LinkKind`."""

    REPEAT = "repeat", _("Repeat petition")
    SAME_ISSUE = "same_issue", _("Same issue")


class ModelSource(models.TextChoices):
    HISTORY = "history", _("The enterprise's own cases")
    CSV = "csv", _("CSV file")


class TrainingStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Training")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DisputeLevel(models.TextChoices):
    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Not yet resolved")
    RESOLVING = "resolving", _("Being resolved")
    RESOLVED = "resolved", _("Resolved")


class DisputeSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    HOT_ISSUE = "hot_issue", _("From a hot issue")
