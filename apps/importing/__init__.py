"""`import_data`: CSV imports of every importable kind of record (the top layer: it imports
core, records and the domain apps; no domain app imports it).

An import runs in two phases so that a file is taken whole or not at all:

1. Reading: the file is decoded and parsed, the header checked, and every row's cells turned
   into Python values (dates, choices, numbers). Nothing is written. Every problem is kept
   with its line number instead of stopping at the first one.
2. Writing: inside one transaction, every row's agency, vendor, product and source is matched
   or created and its record matched or created, each new row validated with `full_clean()`.
   Checks that need the database (an ambiguous name, a model rule) are collected the same
   way. When any row was bad, or for a dry run, the transaction is rolled back.

Matching links a row only to records the importing user may link: published ones and, for a
volunteer, the pending records they added themselves. A row naming a withdrawn record, or
one waiting for someone else's review, is a bad row (the import neither links to it nor adds
it again as a duplicate). Before anything is recorded, every published record the import
created or changed is checked against the site's publication rules
(`apps.records.services.publication_refusal`): a row breaking them is a bad row too.

An accepted import is then recorded, in the same transaction, like any other change, by the
write gateway (`apps.records.services.RecordBatch`): it is attributed to a user (`--user`).
Every record it created or changed gets ONE history version, saved once all rows are
written (so a record named by several rows has one version with all its links), with that
user as the author and "Imported from FILE.csv" as the summary, and a ChangeRequest. A
reviewer's import publishes: its ChangeRequests are approved "Import" entries, shown in
recent changes and the reviewer's contributions. A volunteer's import creates unpublished
records, each (but its new sources, published with the record citing them) with a pending
"New record" ChangeRequest in the review queue; it does not change records that existed
before it.

The framework is split by phase: `reading` (the file, its header and RowReader),
`shared_cells` (the agency and source cells every kind has), `resolver` (matching and
creating records) and `runner` (Importer, run_import() and the Report). One module per kind
(`kinds/deployments.py`, `kinds/contracts.py`, `kinds/records_requests.py`,
`kinds/oversight.py`) says which columns the kind has and how a parsed row becomes a record;
each kind names its importer in the registry (`importer=` in its app's `ready()`), where
`import_data` finds it.

A file has one of two layouts, told apart by its header: the export's, one row per record
with its sources in list cells (`source_urls`, `source_titles`, …; the kind's `columns`), or
the older one row per (record, source) (`source_url`, …; `row_per_source_columns`, which
the kinds that never had spreadsheets of their own, records requests, response deadlines and
oversight events, do not have). The
export (apps/core/exports.py, which also defines the columns both layouts share, and each
kind's exports.py) writes the first, so an export re-imports; its cells escaped against
formula injection are restored as they are read.
"""
