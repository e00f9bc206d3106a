from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "huiyin.people"
    label = "people"
    verbose_name = _("Petitioners")

    def ready(self) -> None:
        from huiyin.cases.hooks import register_assignment_checker
        from huiyin.cases.querysets import EXCLUSIONS
        from huiyin.people import case_page
        from huiyin.people.exclusions import accused_exclusion, accused_unit_refusal

        if accused_exclusion not in EXCLUSIONS:
            EXCLUSIONS.append(accused_exclusion)
        register_assignment_checker(accused_unit_refusal)
        case_page.register()
