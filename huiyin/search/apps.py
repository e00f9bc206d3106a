from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "huiyin.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from huiyin.cases.events import register_event_handler
        from huiyin.search.services import search_index_after_migrate, search_on_case_event

        register_event_handler(search_on_case_event)
        # Sent per app with models (this one has none): after the cases app's, so once per migrate.
        post_migrate.connect(
            search_index_after_migrate, sender=apps.get_app_config("cases"), dispatch_uid="search_index_after_migrate"
        )
