"""The statistics app stores nothing: one permission-only model carries `stats.view_statistics`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Statistics(models.Model):
    """No table: the anchor of the permission to see the statistics pages and exports.

    Statistics are about matters and units, never about people: the holder of this permission sees
    figures over the cases in their own scope, and no per-petitioner or per-staff figures exist.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_statistics", _("Can see statistics, the ledger export and the analysis report"))]
        verbose_name = _("statistics")
        verbose_name_plural = _("statistics")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
