"""Tasks of the records' app: the e-mail that tells conveners of a resident's message, the
thumbnail of a member's photo, the purge of photos whose form was never saved, and the daily
closing of answered messages (so that residents can rate them).

Each is enqueued once the transaction that asked has committed (``enqueue_on_commit``) and
tried again on a transient error (``workstations.tasks.RETRY``); a mail that still fails is
recorded as failed, with the traceback, among the task results a superuser reads in the admin.
"""

from __future__ import annotations

from celery import shared_task

from workstations.tasks import RETRY


@shared_task(**RETRY)
def notify_conveners(*, message_id: int, site_url: str = "") -> int:
    """E-mail the conveners of a message's workstation; returns how many were told."""
    from .models import PublicMessage
    from .services.messages import message_notify_conveners

    message = PublicMessage.objects.select_related("workstation").filter(pk=message_id).first()
    if message is None:  # deleted (spam) before the mail went out
        return 0
    return message_notify_conveners(message=message, site_url=site_url)


@shared_task(**RETRY)
def make_thumbnail(*, model: str, pk: int) -> bool:
    """Make the thumbnail of a photo stored without one (``model``: "pendingphoto" or
    "activityphoto"); returns whether one was made."""
    from .services.thumbnails import photo_thumbnail_make

    return photo_thumbnail_make(model=model, pk=pk)


@shared_task(**RETRY)
def purge_pending_photos() -> int:
    """``manage.py purge_pending_photos``: photos of abandoned forms, after two days."""
    from .services.photos import pending_photos_purge

    return pending_photos_purge()


@shared_task(**RETRY)
def close_answered_messages() -> int:
    """``manage.py close_answered_messages``: answered messages, after their committee's days."""
    from .services.messages import messages_close_answered

    return messages_close_answered()
