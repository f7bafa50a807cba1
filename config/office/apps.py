from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The staff dashboards (its screens are plain modules)."""

    name = "config.office"
    label = "office"
    verbose_name = "Staff dashboards"

    def ready(self) -> None:
        # Registers the private-file rule of the background exports (exports/) at start, for
        # the private-file view whichever address is asked first.
        from . import downloads  # noqa: F401
