"""Reads of tips for the review queue (only ever shown to reviewers)."""

from .models import Tip


def open_tips():
    """Tips waiting for a reviewer, oldest first, with what the queue shows."""
    return Tip.objects.open().select_related("technology")


def open_tip_count():
    return Tip.objects.open().count()
