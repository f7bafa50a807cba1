from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The staff dashboards (its screens are plain modules)."""

    name = "config.office"
    label = "office"
    verbose_name = "Staff dashboards"
