from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "huiyin.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from huiyin.audit.services import audit_check_scheduled
        from huiyin.core.scheduling import register_periodic

        register_periodic("audit.verify", audit_check_scheduled, every_seconds=24 * 3600)
