"""Every write to tips: storing one from the public form, and a reviewer closing one."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.core.audit import audit

from .models import USER_AGENT_MAX_LENGTH, Tip, TipStatus

IP_HASH_SALT = "apps.tips.Tip.ip_hash"


def hash_ip(ip):
    """A salted HMAC of the address (the salt is SECRET_KEY), so tips from one connection can
    be grouped without ever storing the address."""
    if not ip:
        return ""
    return salted_hmac(IP_HASH_SALT, ip, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


@transaction.atomic
def tip_create(*, data, ip, user_agent):
    """Store a tip from the public form. `data` holds the model's public fields."""
    tip = Tip(**data, ip_hash=hash_ip(ip), user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH])
    tip.full_clean()
    tip.save()
    return tip


def _tip_close(*, tip_id, reviewer, status, note):
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip_id)
        if not tip.is_open:
            return tip, False
        tip.status = status
        tip.handled_by = reviewer
        tip.handled_at = timezone.now()
        tip.reviewer_note = note or ""
        tip.full_clean()
        tip.save(
            update_fields=["status", "handled_by", "handled_at", "reviewer_note", "updated_at"]
        )
        # The status value, not its label: the audit log stays in English whatever the language.
        audit(f"tip {tip.status}", actor=reviewer, target=tip)
        return tip, True


def tip_mark_handled(*, tip_id, reviewer, note=""):
    """Close a tip as handled. Returns (tip, changed); a tip already closed is left as it is."""
    return _tip_close(tip_id=tip_id, reviewer=reviewer, status=TipStatus.HANDLED, note=note)


def tip_dismiss(*, tip_id, reviewer, note=""):
    """Close a tip as dismissed. Returns (tip, changed); a tip already closed is left as it is."""
    return _tip_close(tip_id=tip_id, reviewer=reviewer, status=TipStatus.DISMISSED, note=note)
