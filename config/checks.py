"""System checks of the engines beyond one machine (``manage.py check``)."""

from django.conf import settings
from django.core import checks

from config import engines


@checks.register(checks.Tags.caches)
def shared_cache(app_configs, **kwargs):
    """Several app servers need one cache: the message limit, the import previews and the
    cached pages' versions are kept there."""
    if settings.DEBUG or engines.is_shared(settings.CACHES["default"]):
        return []
    return [
        checks.Warning(
            "The cache lives in each process (CACHE_URL is not redis://), so the limit on "
            "residents' messages counts per worker and app servers do not share import "
            "previews or page versions.",
            hint="Set CACHE_URL=redis://host:6379/1 (README, Past one machine).",
            id="shangliang.W001",
        )
    ]


@checks.register("engines", deploy=True)
def engines_answer(app_configs, **kwargs):
    """With --deploy: every engine the settings name answers."""
    from config.readiness import answers

    return [
        checks.Error(answer.line(), id="shangliang.E001") for answer in answers() if not answer.ok
    ]
