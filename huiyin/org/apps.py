from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "huiyin.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from huiyin.org import checks  # noqa: F401 - registers the system checks
        from huiyin.org.roles import roles_sync_on_migrate

        # Runs after every app so the permissions of apps migrated later exist too.
        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="huiyin.org.roles_sync")
