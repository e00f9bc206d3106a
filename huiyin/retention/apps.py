from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "huiyin.retention"
    label = "retention"
    verbose_name = _("Retention and legal hold")

    def ready(self) -> None:
        from huiyin.core.scheduling import register_periodic
        from huiyin.retention import case_page
        from huiyin.retention.services import retention_run

        case_page.register()
        # Safe to run twice: each case is locked and rechecked, and a removal happens once.
        register_periodic("retention.run", lambda: retention_run().as_dict(), every_seconds=6 * 3600)
