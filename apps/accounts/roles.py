"""Who may do what. Volunteers edit (their changes wait for review); reviewers also approve,
reject, revert, withdraw and merge, and their own edits publish directly; admins (staff)
are reviewers too and manage accounts in the Django admin."""

from django.contrib.auth.mixins import AccessMixin

VOLUNTEERS = "Volunteers"
REVIEWERS = "Reviewers"
ROLE_GROUPS = {"volunteer": VOLUNTEERS, "reviewer": REVIEWERS}


def _group_names(user):
    # Cached on the user object: templates and views ask several times per request.
    if not hasattr(user, "_role_group_names"):
        user._role_group_names = set(user.groups.values_list("name", flat=True))
    return user._role_group_names


def is_reviewer(user):
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.is_staff or REVIEWERS in _group_names(user)


def is_volunteer(user):
    """May create and edit records (reviewers and admins may too)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_reviewer(user) or VOLUNTEERS in _group_names(user)


def role_name(user):
    if is_reviewer(user):
        return "admin" if user.is_staff or user.is_superuser else "reviewer"
    return "volunteer" if is_volunteer(user) else ""


class RoleRequiredMixin(AccessMixin):
    """Anonymous visitors are sent to the login page; signed-in users without the role get
    403."""

    role_check = staticmethod(is_volunteer)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).role_check(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class VolunteerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(is_volunteer)


class ReviewerRequiredMixin(RoleRequiredMixin):
    role_check = staticmethod(is_reviewer)
