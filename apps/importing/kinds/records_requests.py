"""`import_data records-requests` and `import_data response-deadlines`: the columns are in
apps/records_requests/csv_format.py (the export's layout; there is no older
one-row-per-source layout), the format in docs/import.md."""

from apps.contracts.models import Nda
from apps.core.exports import split_list
from apps.importing.resolver import date_fields, given_values, row_problem
from apps.importing.runner import Importer
from apps.importing.shared_cells import field_of, read_country_region, read_ids
from apps.records_requests import csv_format
from apps.records_requests.models import (
    DayKind,
    RecordsRequest,
    RequestStatus,
    ResponseDeadline,
    nda_binding_refusal,
)


class RecordsRequestImporter(Importer):
    """A records request is matched on (agency, subject, filed date and its precision), and
    rows with different `id`s are different requests. `nda_ids` link the NDAs the agency
    cited by their ids; `released_document_urls` name, among the row's sources, the
    documents the request released."""

    kind = "records-requests"
    label = "Records requests"
    columns = csv_format.COLUMNS
    required = ["agency", "requester", "subject", "source_url"]
    tally_labels = ["Agencies", "Sources"]

    def parse(self, reader):
        filed, closed = reader.date("filed_date"), reader.date("closed_date")
        reader.date_order("filed_date", filed, "closed_date", closed)
        return {
            "requester": reader.text(
                "requester", model_field=field_of(RecordsRequest, "requester"), required=True
            ),
            "subject": reader.text(
                "subject", model_field=field_of(RecordsRequest, "subject"), required=True
            ),
            "filed": filed,
            "closed": closed,
            "status": reader.choice("status", RequestStatus),
            "exemptions": reader.text("exemptions"),
            "nda_ids": read_ids(reader, "nda_ids"),
            "outcome": reader.text("outcome"),
            "external_url": reader.text(
                "external_url", model_field=field_of(RecordsRequest, "external_url")
            ),
            "released": self._released(reader),
        }

    def _released(self, reader):
        """The URLs of `released_document_urls`, each one of the row's sources (a released
        document is cited like any other source, see the model)."""
        urls = list(dict.fromkeys(split_list(reader.text("released_document_urls"))))
        cited = split_list(reader.text("source_urls"))
        missing = [url for url in urls if url not in cited]
        if missing:
            reader.add_problem(
                "released_document_urls",
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not among the "
                "row's source_urls: a released document is one of the request's sources.",
            )
        return urls

    def save(self, row, resolver):
        values = row.values
        sources = [resolver.source(ref) for ref in row.sources]
        by_url = {source.url: source for source in sources}
        agency = resolver.agency(row.agency, source=sources[0])
        ndas = resolver.by_ids(Nda, values["nda_ids"], column="nda_ids")
        refusals = [nda_binding_refusal(nda, agency) for nda in ndas]
        if any(refusals):
            raise row_problem("nda_ids", " ".join(filter(None, refusals)))
        resolver.record(
            RecordsRequest,
            label=self.label,
            key={
                "agency": agency,
                "subject": values["subject"],
                **date_fields("filed_date", values["filed"]),
            },
            values=given_values(
                requester=values["requester"],
                closed_date=values["closed"],
                status=values["status"],
                exemptions=values["exemptions"],
                outcome=values["outcome"],
                external_url=values["external_url"],
            ),
            sources=sources,
            file_id=row.record_id,
            links={
                "ndas_cited": ndas,
                "released_documents": [by_url[url] for url in values["released"]],
            },
        )


class ResponseDeadlineImporter(Importer):
    """A response deadline is matched on its jurisdiction (country and region), of which
    there is one; a row has no agency. Saving one recomputes the due dates of the requests
    it governs (see the model)."""

    kind = "response-deadlines"
    label = "Response deadlines"
    columns = csv_format.DEADLINE_COLUMNS
    required = ["days", "statute", "source_url"]
    tally_labels = ["Sources"]
    has_agency = False

    def parse(self, reader):
        country, region = read_country_region(reader, region_column="region")
        reader.text("days", required=True)
        return {
            "country": country,
            "region": region,
            "days": reader.whole_number("days", model_field=field_of(ResponseDeadline, "days")),
            "day_kind": reader.choice("day_kind", DayKind),
            "statute": reader.text(
                "statute", model_field=field_of(ResponseDeadline, "statute"), required=True
            ),
            "notes": reader.text("notes"),
        }

    def save(self, row, resolver):
        values = row.values
        resolver.record(
            ResponseDeadline,
            label=self.label,
            key={"country": values["country"], "region": values["region"]},
            values=given_values(
                days=values["days"],
                day_kind=values["day_kind"],
                statute=values["statute"],
                notes=values["notes"],
            ),
            sources=[resolver.source(ref) for ref in row.sources],
            file_id=row.record_id,
        )
