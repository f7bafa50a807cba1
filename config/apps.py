from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: the back-office admin classes that compose several apps (``admin``),
    and the checks of the engines it runs on (``checks``)."""

    name = "config"
    verbose_name = "Shangliang"

    def ready(self) -> None:
        from config import checks  # noqa: F401 - registers the system checks
