"""Shared model base classes. No domain models live here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """A model with creation and update timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
