from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huiyin.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from huiyin.api import checks  # noqa: F401 - registers the system checks
