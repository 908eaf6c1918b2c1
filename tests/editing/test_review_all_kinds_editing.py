"""New records of every kind wait side by side in the review queue and the author's list."""

import pytest

from apps.records.models import ChangeRequest
from tests.editing.test_agency_editing import agency_form
from tests.editing.test_contract_editing import contract_form
from tests.editing.test_nda_editing import nda_form
from tests.editing.test_product_editing import product_form
from tests.editing.test_record_forms_editing import logged_in
from tests.editing.test_source_editing import source_form
from tests.editing.test_vendor_editing import vendor_form
from tests.factories import AgencyFactory, VendorFactory

pytestmark = pytest.mark.django_db


def test_pending_records_of_every_kind_are_reviewed_in_one_queue(volunteer_client, reviewer):
    agency, vendor = AgencyFactory(name="Example Sheriff"), VendorFactory(name="Example Co")
    forms = {
        "agencies": agency_form(),
        "vendors": vendor_form(),
        "products": product_form(vendor),
        "contracts": contract_form(agency, vendor),
        "ndas": nda_form(agency, counterparty_vendor=vendor.name),
        "sources": source_form(),
    }
    for kind, data in forms.items():
        response = volunteer_client.post(f"/{kind}/new/", data)
        assert response.status_code == 302, (kind, response.context["form"].errors)
    assert ChangeRequest.objects.filter(status="pending").count() == len(forms)

    mine = volunteer_client.get("/contributions/").content.decode()
    assert f"Waiting for review ({len(forms)})" in mine
    assert "Hillsboro Police Department" in mine and "Face recognition pilot" in mine

    queue = logged_in(reviewer).get("/review/")
    assert queue.status_code == 200
    assert len(queue.context["items"]) == len(forms)
    for _change, rows, _new_source, form_errors in queue.context["items"]:
        assert rows and form_errors is None
    page = queue.content.decode()
    for text in ("Hillsboro Police Department", "Clearview Example", "Rekognition Example"):
        assert text in page
