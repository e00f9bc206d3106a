from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "huiyin.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from huiyin.documents import case_page

        case_page.register()
