from django.utils.functional import SimpleLazyObject

from apps.accounts.roles import is_reviewer, is_volunteer


def editing(request):
    """Role flags and the reviewer's queue count for the navigation; evaluated only when a
    template asks, so public pages for anonymous visitors cost no query."""

    def queue_count():
        from apps.tips.selectors import open_tip_count

        from .selectors import pending_count

        return pending_count() + open_tip_count()

    user = request.user
    return {
        "can_edit": SimpleLazyObject(lambda: is_volunteer(user)),
        "can_review": SimpleLazyObject(lambda: is_reviewer(user)),
        "review_queue_count": SimpleLazyObject(queue_count),
    }
