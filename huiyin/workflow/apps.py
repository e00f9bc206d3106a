from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "huiyin.workflow"
    label = "workflow"
    verbose_name = _("Deadlines and supervision")

    def ready(self) -> None:
        from huiyin.cases.events import register_event_handler
        from huiyin.cases.hooks import (
            register_assignment_checker,
            register_form_initial_provider,
            register_work_body_provider,
        )
        from huiyin.core.scheduling import register_periodic
        from huiyin.workflow import case_page, scheduler
        from huiyin.workflow.review import review_form_initial, review_unit_refusal, review_work_body
        from huiyin.workflow.services import deadlines_on_case_event, deadlines_sweep

        register_event_handler(deadlines_on_case_event)
        # A review or re-review goes to the body above the one that decided (Arts. 35, 36).
        register_assignment_checker(review_unit_refusal)
        register_form_initial_provider(review_form_initial)
        register_work_body_provider(review_work_body)
        register_periodic("deadlines_sweep", lambda: deadlines_sweep().as_dict(), every_seconds=600)
        case_page.register()
        if scheduler.should_start_embedded():
            scheduler.start_embedded()
