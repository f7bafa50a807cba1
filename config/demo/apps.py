from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its command (``manage.py load_demo``)."""

    name = "config.demo"
    label = "demo"
    verbose_name = "Demo data"
