from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkstationsConfig(AppConfig):
    name = "workstations"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import lookups  # noqa: F401 (registers field__any_of)
