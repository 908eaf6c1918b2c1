"""`import_data oversight`: the columns are in apps/oversight/csv_format.py (the export's
layout; there is no older one-row-per-source layout), the format in docs/import.md."""

from apps.contracts.models import Contract
from apps.core.models import YesNoUnknown
from apps.deployments.models import Deployment
from apps.importing.resolver import date_fields, given_values
from apps.importing.runner import Importer
from apps.importing.shared_cells import field_of, read_ids
from apps.oversight import csv_format
from apps.oversight.models import TALLY_FIELDS, EventKind, Outcome, OversightEvent

# The file calls the event's date `date`; model messages name that column.
COLUMNS = {"occurred_date": "date", "occurred_date_precision": "date"}


class OversightEventImporter(Importer):
    """An oversight event is matched on (agency, kind, date and its precision, summary), and
    rows with different `id`s are different events. `deployment_ids` and `contract_ids` link
    what it concerns, of any agency, by their ids."""

    kind = "oversight"
    label = "Oversight events"
    columns = csv_format.COLUMNS
    required = ["kind", "agency", "source_url"]
    tally_labels = ["Agencies", "Sources"]

    def parse(self, reader):
        reader.text("kind", required=True)
        values = {
            "kind": reader.choice("kind", EventKind),
            "occurred": reader.date("date"),
            "summary": reader.text("summary"),
            "outcome": reader.choice("outcome", Outcome),
            "outcome_summary": reader.text("outcome_summary"),
            "public_comment": reader.choice("public_comment", YesNoUnknown),
            "deployment_ids": read_ids(reader, "deployment_ids"),
            "contract_ids": read_ids(reader, "contract_ids"),
        }
        for name in TALLY_FIELDS:
            values[name] = reader.whole_number(name, model_field=field_of(OversightEvent, name))
        return values

    def save(self, row, resolver):
        values = row.values
        sources = [resolver.source(ref) for ref in row.sources]
        resolver.record(
            OversightEvent,
            label=self.label,
            key={
                "agency": resolver.agency(row.agency, source=sources[0]),
                "kind": values["kind"],
                **date_fields("occurred_date", values["occurred"]),
                "summary": values["summary"],
            },
            values=given_values(
                outcome=values["outcome"],
                outcome_summary=values["outcome_summary"],
                **{name: values[name] for name in TALLY_FIELDS},
                public_comment=values["public_comment"],
            ),
            sources=sources,
            file_id=row.record_id,
            columns=COLUMNS,
            links={
                "deployments": resolver.by_ids(
                    Deployment, values["deployment_ids"], column="deployment_ids"
                ),
                "contracts": resolver.by_ids(
                    Contract, values["contract_ids"], column="contract_ids"
                ),
            },
        )
