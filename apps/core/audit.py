"""The audit log: one line per review or admin action, naming who did what to which record
and when, on the `apps.audit` logger (JSON in production, like the request log; README,
"Logs").

The database keeps these facts too (a change's reviewer and decision time, a tip's handler,
the Django admin's LogEntry, every record's history); the log puts them where operators
watch, in order, with the requests around them. It is written once the transaction commits,
so an action that was rolled back is never logged as done.

Who is named by account id and username: the log is for the site's operators, who know the
accounts anyway. Never an email address, a client address or a form's text."""

import logging

from django.db import transaction
from django.db.models.signals import post_save

logger = logging.getLogger("apps.audit")


def audit(action, *, actor, target, **details):
    """Log `action` (a short verb phrase: "change approved") by the user `actor` on `target`
    (a model instance, or None for an action on many, such as an import) once the current
    transaction commits. `details`: a few more fields (ids and counts, nothing personal)."""
    _log_on_commit(
        action=action,
        actor_id=getattr(actor, "pk", None),
        actor=actor.get_username() if actor is not None else "system",
        target_type=target._meta.label_lower if target is not None else None,
        target_id=str(target.pk) if target is not None else None,
        **details,
    )


def _log_on_commit(**fields):
    # target_id is text, as in the admin's LogEntry: a primary key need not be a number.
    transaction.on_commit(
        lambda: logger.info(
            "%(actor)s: %(action)s, %(target_type)s %(target_id)s", fields, extra=fields
        )
    )


def _admin_action(sender, instance, created, **kwargs):
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION

    # The Django admin writes a LogEntry for each addition, change and deletion it makes.
    if not created:
        return
    verb = {
        ADDITION: "admin added",
        CHANGE: "admin changed",
        DELETION: "admin deleted",
    }.get(instance.action_flag, "admin action")
    content_type = instance.content_type
    _log_on_commit(
        action=verb,
        actor_id=instance.user_id,
        actor=instance.user.get_username(),
        target_type=f"{content_type.app_label}.{content_type.model}" if content_type else None,
        target_id=str(instance.object_id),
    )


def connect_admin_log():
    """Called from CoreConfig.ready(): the admin's models load with the app registry."""
    from django.contrib.admin.models import LogEntry

    post_save.connect(_admin_action, sender=LogEntry, dispatch_uid="audit_admin_action")
