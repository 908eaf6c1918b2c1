"""Published contracts in the Open Contracting Data Standard (OCDS 1.1): one release per
contract, in a release package (https://standard.open-contracting.org/1.1/en/schema/).

How the registry's contracts map onto it:
- ocid: OCDS_OCID_PREFIX + "-contract-" + the contract's number; the release id adds the
  time of the record's last change, so a changed contract gives a new release.
- tag ["award", "contract"] and initiationType "tender" (the only code OCDS has): what the
  registry knows is who bought what from whom, for how much, and when.
- parties: the agency (roles buyer) and the vendor (roles supplier). The agency's identifier
  is its FBI ORI code when it has one, else its slug on this site; its Open Civic Data
  division id, when recorded, is an additional identifier. org-id.guide lists none of these,
  so their schemes are our own and start with "X-" as it asks: "X-US-ORI", "X-SITE",
  "X-OCD-DIVISION".
- procurement method: the registry's methods map to OCDS's codelist (competitive bid: open;
  sole source, free trial, donation: direct; cooperative purchase: limited); the registry's
  label is always in procurementMethodDetails. Grant funded and unknown say nothing there.
- value: amount and currency, on the award and the contract; absent when not known.
- dates: the registry keeps partial dates (a year, a month or a day). OCDS wants date-times,
  so a start (and the signing date) is the first moment of what is known (2017 →
  2017-01-01T00:00:00Z) and an end the last moment of it (2017 → 2017-12-31T23:59:59Z).
- documents: the contract's published sources, with their addresses.
"""

import calendar
import datetime
import json

from django.conf import settings
from django.utils import timezone

from apps.contracts.exports import published_products
from apps.contracts.models import ProcurementMethod
from apps.core.exports import RecordExport, ordered_citations

from .package import licence, site_url

OCDS_VERSION = "1.1"
PROCUREMENT_METHODS = {
    ProcurementMethod.COMPETITIVE_BID: "open",
    ProcurementMethod.SOLE_SOURCE: "direct",
    ProcurementMethod.FREE_TRIAL: "direct",
    ProcurementMethod.DONATION: "direct",
    ProcurementMethod.COOPERATIVE: "limited",
}


def ocid(contract):
    return f"{settings.OCDS_OCID_PREFIX}-contract-{contract.pk}"


def _moment(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def period_start(partial):
    """The first moment of a partial date (2017-05 → 2017-05-01T00:00:00Z), or None."""
    if partial is None:
        return None
    return f"{partial.date.isoformat()}T00:00:00Z"


def period_end(partial):
    """The last moment of a partial date (2017 → 2017-12-31T23:59:59Z), or None."""
    if partial is None:
        return None
    day = partial.date
    if partial.precision == "year":
        day = day.replace(month=12, day=31)
    elif partial.precision == "month":
        day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return f"{day.isoformat()}T23:59:59Z"


def _compact(mapping):
    """The mapping without its empty values: OCDS omits what is not known."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def agency_party(agency):
    if agency.ori:
        identifier = {"scheme": "X-US-ORI", "id": agency.ori, "legalName": agency.name}
    else:
        identifier = {"scheme": "X-SITE", "id": f"agency:{agency.slug}", "legalName": agency.name}
    additional = []
    if agency.ocd_division_id:
        additional.append({"scheme": "X-OCD-DIVISION", "id": agency.ocd_division_id})
    return _compact(
        {
            "id": f"agency-{agency.pk}",
            "name": agency.name,
            "identifier": identifier,
            "additionalIdentifiers": additional,
            "address": _compact(
                {
                    "locality": agency.locality,
                    "region": agency.region,
                    "countryName": agency.country_name,
                }
            ),
            "contactPoint": _compact({"url": agency.website}),
            "details": {"url": site_url() + agency.get_absolute_url()},
            "roles": ["buyer"],
        }
    )


def vendor_party(vendor):
    return _compact(
        {
            "id": f"vendor-{vendor.pk}",
            "name": vendor.name,
            "identifier": {"scheme": "X-SITE", "id": f"vendor:{vendor.slug}"},
            "contactPoint": _compact({"url": vendor.website}),
            "details": {"url": site_url() + vendor.get_absolute_url()},
            "roles": ["supplier"],
        }
    )


def _contract_status(contract, today):
    """pending before its start, terminated after its end, active between; unknown without
    dates."""
    start, end = period_start(contract.start), period_end(contract.end)
    now = f"{today.isoformat()}T12:00:00Z"
    if end and end < now:
        return "terminated"
    if start and start > now:
        return "pending"
    if start:
        return "active"
    return None


def release(contract, *, today=None):
    """The OCDS release of one published contract (agency, vendor, sources and products
    loaded with it: ContractQuerySet.with_related())."""
    today = today or timezone.localdate()
    the_ocid = ocid(contract)
    agency, vendor = contract.agency, contract.vendor
    value = (
        {"amount": float(contract.amount), "currency": contract.currency}
        if contract.amount is not None
        else None
    )
    documents = [
        _compact(
            {
                "id": f"source-{source.pk}",
                "title": source.title,
                "description": source.publisher,
                "url": source.url,
                "datePublished": period_start(source.publication),
            }
        )
        for source in (citation.source for citation in ordered_citations(contract))
    ]
    items = [
        {"id": f"product-{product.pk}", "description": product.name}
        for product in sorted(published_products(contract), key=lambda product: product.pk)
    ]
    period = _compact(
        {"startDate": period_start(contract.start), "endDate": period_end(contract.end)}
    )
    method = contract.procurement_method
    return {
        "ocid": the_ocid,
        "id": f"{the_ocid}-{contract.updated_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        "date": _moment(contract.updated_at),
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "parties": [agency_party(agency), vendor_party(vendor)],
        "buyer": {"id": f"agency-{agency.pk}", "name": agency.name},
        "tender": _compact(
            {
                "id": f"{the_ocid}-tender",
                "procurementMethod": PROCUREMENT_METHODS.get(method),
                "procurementMethodDetails": str(ProcurementMethod(method).label),
            }
        ),
        "awards": [
            _compact(
                {
                    "id": f"{the_ocid}-award",
                    "title": contract.title,
                    "status": "active",
                    "date": period_start(contract.signed or contract.start),
                    "value": value,
                    "suppliers": [{"id": f"vendor-{vendor.pk}", "name": vendor.name}],
                    "items": items,
                }
            )
        ],
        "contracts": [
            _compact(
                {
                    "id": f"{the_ocid}-contract",
                    "awardID": f"{the_ocid}-award",
                    "title": contract.title,
                    "description": contract.summary,
                    "status": _contract_status(contract, today),
                    "period": period,
                    "value": value,
                    "dateSigned": period_start(contract.signed),
                    "items": items,
                    "documents": documents,
                }
            )
        ],
    }


def package_header(uri):
    """Everything of a release package but its releases."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _moment(timezone.now()),
        "publisher": {"name": settings.SITE_NAME, "uri": site_url() + "/"},
        "license": licence()["path"],
        "publicationPolicy": site_url() + "/data/",
    }


class OcdsReleaseExport(RecordExport):
    """The releases of a queryset of contracts, read in the export's chunks (a fixed number
    of queries per chunk, memory flat however many contracts)."""

    def json(self, contract):
        return release(contract)


def package_chunks(uri, contracts):
    """A release package as text chunks, one release at a time: for a streamed response."""
    header = json.dumps(package_header(uri))
    yield header[:-1] + ', "releases": ['
    for index, contract_release in enumerate(OcdsReleaseExport(None).json_records(contracts)):
        yield ("," if index else "") + "\n" + json.dumps(contract_release)
    yield "\n]}\n"
