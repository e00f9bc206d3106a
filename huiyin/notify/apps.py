from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "huiyin.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from huiyin.cases.events import register_event_handler
        from huiyin.core.scheduling import register_periodic
        from huiyin.notify.handlers import notify_on_alert, notify_on_case_event
        from huiyin.notify.services import outbox_deliver
        from huiyin.workflow.alerts import register_alert_handler

        # Registered after the workflow app's handler (INSTALLED_APPS order), so the clocks an
        # event moves are already up to date when its notifications are written.
        register_event_handler(notify_on_case_event)
        register_alert_handler(notify_on_alert)
        register_periodic("outbox_deliver", lambda: outbox_deliver().as_dict(), every_seconds=30)
