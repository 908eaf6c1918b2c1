"""Demo data for development (`manage.py seed_demo`): a dev-only app, installed by the local
and test settings, never by production. case.py writes the motivating case, plan.py decides
the generated records, writer.py writes them through the write gateway (apps.records) and
loader.py runs the three in one transaction."""


class DemoDataError(Exception):
    """The database is not ready for the demo data (e.g. the taxonomy is missing), or the
    demo data would break a publication rule there."""


# The summaries of the versions the demo data writes: a record's first version, and the one
# a record that existed before the load gets when the load completes its links.
INITIAL_VERSION_REASON = "Loaded as demo data"
DEMO_LINKS_REASON = "Demo data: sources and links added"
