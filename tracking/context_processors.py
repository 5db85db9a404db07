"""What the navigation shows on every page from tracking: the person's unread notifications."""

from django.utils.functional import SimpleLazyObject

from raa import access
from tracking.selectors import unread_notification_count


def notifications(request) -> dict:
    """``unread_notifications``: how many of the person's notifications are unread (read when a
    page uses it: one query), for people with a tracking role; nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not access.has_role(user, access.TRACKING_ROLES):
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user))}
