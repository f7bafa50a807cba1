from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public portal (its template tags; its screens are plain modules)."""

    name = "config.portal"
    label = "portal"
    verbose_name = "Portal"
