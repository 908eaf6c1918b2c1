"""`import_data contracts` and `import_data ndas`: the columns are in
apps/contracts/csv_format.py and nda_csv_format.py, the format in docs/import.md."""

from apps.contracts import csv_format, nda_csv_format
from apps.contracts.models import Contract, Nda, ProcurementMethod
from apps.core.models import YesNoUnknown
from apps.deployments.models import Deployment
from apps.importing.resolver import date_fields, given_values
from apps.importing.runner import Importer
from apps.importing.shared_cells import (
    AgencyRef,
    field_of,
    read_agency_name,
    read_country_region,
    read_ids,
    read_product_names,
    read_vendor_name,
)


class ContractImporter(Importer):
    """A contract is matched on (agency, vendor, identifier) when it has an identifier, else
    on (agency, vendor, title, signed date and its precision)."""

    kind = "contracts"
    label = "Contracts"
    columns = csv_format.COLUMNS
    row_per_source_columns = csv_format.ROW_PER_SOURCE_COLUMNS
    required = ["agency", "vendor", "title", "source_url"]
    tally_labels = ["Agencies", "Vendors", "Products", "Sources"]

    def parse(self, reader):
        signed = reader.date("signed_date")
        start, end = reader.date("start_date"), reader.date("end_date")
        reader.date_order("start_date", start, "end_date", end)
        return {
            "vendor": read_vendor_name(reader, "vendor", required=True),
            "products": read_product_names(
                reader, "products", separator=csv_format.PRODUCT_SEPARATOR
            ),
            "title": reader.text("title", model_field=field_of(Contract, "title"), required=True),
            "identifier": reader.text("identifier", model_field=field_of(Contract, "identifier")),
            "procurement_method": reader.choice("procurement_method", ProcurementMethod),
            "amount": reader.decimal("amount", model_field=field_of(Contract, "amount")),
            "currency": reader.text(
                "currency", model_field=field_of(Contract, "currency"), upper=True
            ),
            "signed": signed,
            "start": start,
            "end": end,
            "funding_source": reader.text(
                "funding_source", model_field=field_of(Contract, "funding_source")
            ),
            "summary": reader.text("summary"),
            "deployment_ids": read_ids(reader, "deployment_ids"),
        }

    def save(self, row, resolver):
        values = row.values
        sources = [resolver.source(ref) for ref in row.sources]
        source = sources[0]
        agency = resolver.agency(row.agency, source=source)
        vendor = resolver.vendor(values["vendor"], source=source, column="vendor")
        products = [
            resolver.product(name, vendor=vendor, source=source, column="products")
            for name in values["products"]
        ]

        if values["identifier"]:
            key = {"agency": agency, "vendor": vendor, "identifier": values["identifier"]}
            described = {"title": values["title"], "signed_date": values["signed"]}
        else:
            key = {
                "agency": agency,
                "vendor": vendor,
                "title": values["title"],
                **date_fields("signed_date", values["signed"]),
            }
            described = {}
        resolver.record(
            Contract,
            label=self.label,
            key=key,
            values=given_values(
                **described,
                procurement_method=values["procurement_method"],
                amount=values["amount"],
                currency=values["currency"],
                start_date=values["start"],
                end_date=values["end"],
                funding_source=values["funding_source"],
                summary=values["summary"],
            ),
            sources=sources,
            file_id=row.record_id,
            links={
                "products": products,
                "deployments": self._deployments(values["deployment_ids"], agency, resolver),
            },
        )

    def _deployments(self, ids, agency, resolver):
        """The deployments of `deployment_ids` the contract pays for: those with these ids in
        this database that are the contract's agency's and that the import may link. The ids
        are the exporting database's: they name the same deployments when the file's
        deployments were imported first into an empty database (as the export's ids are kept,
        see docs/import.md); any other id is left out, with a note."""
        if not ids:
            return []
        found = Deployment.objects.filter(pk__in=ids, agency=agency).order_by("pk")
        found = found.select_related("agency", "technology", "vendor", "product")
        # A withdrawn deployment, or one waiting for someone else's review, is not linked
        # (and named like an unknown id, so the note does not reveal it either).
        found = [deployment for deployment in found if resolver.may_link(deployment)]
        left_out = sorted(set(ids) - {deployment.pk for deployment in found})
        if left_out:
            resolver.note(
                f"deployment_ids: no deployment of {agency} has the id "
                f"{', '.join(f'#{pk}' for pk in left_out)} here; not linked to the contract."
            )
        return found


class NdaImporter(Importer):
    """An NDA is matched on (agency, counterparty, signed date and its precision)."""

    kind = "ndas"
    label = "NDAs"
    columns = nda_csv_format.COLUMNS
    row_per_source_columns = nda_csv_format.ROW_PER_SOURCE_COLUMNS
    required = ["agency", "source_url"]
    tally_labels = ["Agencies", "Vendors", "Sources"]

    def parse(self, reader):
        vendor = read_vendor_name(reader, "counterparty_vendor")
        agency = read_agency_name(reader, "counterparty_agency")
        country, region = read_country_region(reader, region_column="counterparty_agency_region")
        if bool(vendor) == bool(agency):
            reader.add_problem(
                "counterparty_vendor",
                "give exactly one counterparty: counterparty_vendor or counterparty_agency.",
            )
        if region and not agency:
            reader.add_problem(
                "counterparty_agency_region", "is given without a counterparty_agency."
            )
        return {
            "counterparty_vendor": vendor,
            "counterparty_agency": AgencyRef(name=agency, country=country, region=region)
            if agency
            else None,
            "signed": reader.date("signed_date"),
            "signatory": reader.text("signatory", model_field=field_of(Nda, "signatory")),
            "scope": reader.text("scope"),
            "term": reader.text("term", model_field=field_of(Nda, "term")),
            "cited_to_withhold": reader.choice("cited_to_withhold", YesNoUnknown),
        }

    def save(self, row, resolver):
        values = row.values
        sources = [resolver.source(ref) for ref in row.sources]
        source = sources[0]
        counterparty_vendor = counterparty_agency = None
        if values["counterparty_vendor"]:
            counterparty_vendor = resolver.vendor(
                values["counterparty_vendor"], source=source, column="counterparty_vendor"
            )
        else:
            counterparty_agency = resolver.agency(
                values["counterparty_agency"],
                source=source,
                columns={"name": "counterparty_agency", "region": "counterparty_agency_region"},
            )
        resolver.record(
            Nda,
            label=self.label,
            key={
                "agency": resolver.agency(row.agency, source=source),
                "counterparty_vendor": counterparty_vendor,
                "counterparty_agency": counterparty_agency,
                **date_fields("signed_date", values["signed"]),
            },
            values=given_values(
                signatory=values["signatory"],
                scope=values["scope"],
                term=values["term"],
                cited_to_withhold=values["cited_to_withhold"],
            ),
            sources=sources,
            file_id=row.record_id,
        )
