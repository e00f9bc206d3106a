from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "huiyin.triage"
    label = "triage"
    verbose_name = _("Smart triage")

    def ready(self) -> None:
        from django.conf import settings

        from huiyin.cases.events import register_event_handler
        from huiyin.cases.hooks import register_home_section_provider, register_reply_checker
        from huiyin.core.scheduling import register_periodic
        from huiyin.triage import case_page
        from huiyin.triage.reply_check import triage_reply_checker
        from huiyin.triage.selectors import dispute_home_section
        from huiyin.triage.services import hot_issues_refresh, triage_on_case_event, word_frequencies_refresh

        register_event_handler(triage_on_case_event)
        register_reply_checker(triage_reply_checker)
        register_home_section_provider(dispute_home_section)
        register_periodic(
            "hot_issues",
            lambda: _run_summary(hot_issues_refresh()),
            every_seconds=settings.HUIYIN_HOT_ISSUE_EVERY_SECONDS,
        )
        register_periodic(
            "word_frequencies",
            word_frequencies_refresh,
            every_seconds=settings.HUIYIN_WORD_FREQUENCY_EVERY_SECONDS,
        )
        case_page.register()


def _run_summary(run) -> dict:
    return {"cases": run.n_cases, "clusters": run.n_clusters, "seconds": run.seconds}
