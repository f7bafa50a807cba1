from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: the back-office admin classes that compose several apps (``admin``)."""

    name = "config"
    verbose_name = "Shangliang"
