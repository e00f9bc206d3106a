from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: `manage.py backup` and `manage.py restore` (docs/operations/backup.md). No models."""

    name = "huiyin.ops"
    label = "ops"
    verbose_name = _("Operations")
