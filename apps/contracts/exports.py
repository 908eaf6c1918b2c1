"""The JSON form of contracts and NDAs in exports (the CSV form is csv_format.py)."""

from apps.deployments.exports import partial_date_json, source_json


def agency_ref(agency):
    return {"name": agency.name, "slug": agency.slug, "region": agency.region}


def contract_json(contract):
    return {
        "id": contract.pk,
        "url": contract.get_absolute_url(),
        "title": contract.title,
        "identifier": contract.identifier,
        "agency": agency_ref(contract.agency),
        "vendor": {"name": contract.vendor.name, "slug": contract.vendor.slug},
        "products": [product.slug for product in contract.products.all()],
        "procurement_method": contract.procurement_method,
        "amount": contract.amount,
        "currency": contract.currency,
        "signed": partial_date_json(contract.signed),
        "start": partial_date_json(contract.start),
        "end": partial_date_json(contract.end),
        "funding_source": contract.funding_source,
        "summary": contract.summary,
        "sources": [source_json(source) for source in contract.sources.all()],
        "updated_at": contract.updated_at,
    }


def nda_json(nda):
    counterparty = nda.counterparty
    return {
        "id": nda.pk,
        "url": nda.get_absolute_url(),
        "agency": agency_ref(nda.agency),
        "counterparty": {
            "kind": "vendor" if nda.counterparty_vendor_id else "agency",
            "name": counterparty.name,
            "slug": counterparty.slug,
        },
        "signed": partial_date_json(nda.signed),
        "signatory": nda.signatory,
        "scope": nda.scope,
        "term": nda.term,
        "cited_to_withhold": nda.cited_to_withhold,
        "sources": [source_json(source) for source in nda.sources.all()],
        "updated_at": nda.updated_at,
    }
