from django.apps import AppConfig


class MeConfig(AppConfig):
    """The member workspace (its template tags; its screens are plain modules)."""

    name = "config.me"
    label = "me"
    verbose_name = "Member workspace"
