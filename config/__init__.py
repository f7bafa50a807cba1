"""The site's package: the Celery app is loaded with Django, so that ``shared_task`` tasks
use it and ``celery -A config`` finds it (config/celery.py)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
