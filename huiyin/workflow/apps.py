from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "huiyin.workflow"
    label = "workflow"
    verbose_name = _("Deadlines and supervision")

    def ready(self) -> None:
        from huiyin.cases.events import register_event_handler
        from huiyin.workflow.services import deadlines_on_case_event

        register_event_handler(deadlines_on_case_event)
