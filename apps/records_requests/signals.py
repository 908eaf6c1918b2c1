"""An agency that moves to another country or region falls under another jurisdiction's
response deadline: its requests' stored due dates follow (see models.py)."""

from django.db.models.signals import post_save

from .models import recompute_due_dates


def agency_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        recompute_due_dates(country=instance.country, agency=instance)


def connect():
    post_save.connect(
        agency_saved, sender="agencies.Agency", dispatch_uid="records_requests_agency_saved"
    )
