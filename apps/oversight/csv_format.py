"""The CSV form of oversight events: the columns the export writes and the import reads (its
only layout: apps/importing/kinds/oversight.py), one row per event with its linked records'
ids and its sources in list cells. Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `kind`,
`outcome` and `public_comment` are the choices' values (`vote`, `approved`, `yes`)."""

from apps.core.exports import RECORD_AGENCY_COLUMNS, SOURCE_LIST_COLUMNS

COLUMNS = [
    "id",
    "url",
    "kind",
    *RECORD_AGENCY_COLUMNS,
    "date",
    "summary",
    "outcome",
    "outcome_summary",
    "yes_votes",
    "no_votes",
    "abstentions",
    "absent",
    "public_comment",
    "deployment_ids",
    "contract_ids",
    *SOURCE_LIST_COLUMNS,
]
