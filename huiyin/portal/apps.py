from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "huiyin.portal"
    label = "portal"
    verbose_name = _("Employee portal")

    def ready(self) -> None:
        from huiyin.core.scheduling import register_periodic
        from huiyin.portal import case_page
        from huiyin.portal.services import idempotency_cleanup, retaliation_checkins_open
        from huiyin.portal.throttle import throttle_cleanup

        case_page.register()
        register_periodic("portal.retaliation_checkins", retaliation_checkins_open, every_seconds=6 * 3600)
        register_periodic("portal.throttle_cleanup", throttle_cleanup, every_seconds=3600)
        register_periodic("portal.idempotency_cleanup", idempotency_cleanup, every_seconds=24 * 3600)
