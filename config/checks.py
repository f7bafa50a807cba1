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


@checks.register(checks.Tags.database)
def replica_sticks_longer_than_it_lags(app_configs, **kwargs):
    """Read-your-writes holds only while a writer reads the primary for longer than the replica
    may be behind."""
    return sticky_warnings(
        "replica" in settings.DATABASES,
        settings.REPLICA_STICKY_SECONDS,
        settings.REPLICA_MAX_LAG,
    )


def sticky_warnings(has_replica: bool, sticky: float, lag: float) -> list[checks.Warning]:
    if not has_replica or sticky > lag:
        return []
    return [
        checks.Warning(
            f"REPLICA_STICKY_SECONDS ({sticky:g}) is not above REPLICA_MAX_LAG ({lag:g}): "
            "someone who has just written may read the replica before it has the write.",
            hint="Raise REPLICA_STICKY_SECONDS or lower REPLICA_MAX_LAG.",
            id="shangliang.W002",
        )
    ]


@checks.register("engines", deploy=True)
def engines_answer(app_configs, **kwargs):
    """With --deploy: every engine the settings name answers."""
    from config.readiness import answers

    return [
        checks.Error(answer.line(), id="shangliang.E001") for answer in answers() if not answer.ok
    ]
