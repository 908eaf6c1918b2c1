from django.utils.functional import SimpleLazyObject

from apps.accounts.roles import is_reviewer, is_volunteer
from apps.accounts.two_factor import session_is_verified


def editing(request):
    """Role flags and the reviewer's queue count for the navigation; evaluated only when a
    template asks, so public pages for anonymous visitors cost no query."""

    def queue_count():
        from apps.tips.selectors import open_tip_count

        from .selectors import pending_count

        return pending_count() + open_tip_count()

    user = getattr(request, "user", None)
    if user is None:  # a request that skipped the middleware (some error pages)
        return {"can_edit": False, "can_review": False, "review_queue_count": 0}
    return {
        "can_edit": SimpleLazyObject(lambda: is_volunteer(user)),
        # A reviewer held at the two-factor step (apps/accounts/middleware.py) is not one
        # yet: no review links, and no count of what waits.
        "can_review": SimpleLazyObject(lambda: is_reviewer(user) and session_is_verified(request)),
        "review_queue_count": SimpleLazyObject(queue_count),
    }
