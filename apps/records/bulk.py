"""How a bulk load's rows reach the database (services.BulkLoad, the gateway, decides what is
written; this writes it fast): rows as dicts, not model instances; on PostgreSQL COPY for the
records and their links, and one INSERT ... SELECT per kind for their first versions; on
SQLite (the newcomer's small database) bulk_create, and the versions built in Python.

Measured at 100,000 deployments (190,000 records): Django's bulk_create spent most of its
time compiling SQL and adapting values one model instance at a time, and the versions were
read back into Python and written again; the same load through COPY and SQL takes a fraction
of it. Both paths write the same rows (tests/demo/test_bulk_load.py compares them)."""

from django.conf import settings
from django.db import connection

from apps.core.history import PINPOINTS, pinpoint

# Values of these fields go to COPY as they are (psycopg adapts them); others (JSON, files)
# through the field's own get_db_prep_save(), as bulk_create sends them.
PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def copies():
    """Whether this database takes rows by COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def insert_rows(model, rows, *, now, keys=True):
    """Insert `rows` ({attname: value}; a missing field gets its default, an auto_now field
    `now`) into `model`'s table; returns their primary keys in order when `keys`."""
    if not rows:
        return []
    names = {field.attname for field in model._meta.concrete_fields}
    unknown = set().union(*rows) - names
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    if not copies():
        created = model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return [instance.pk for instance in created] if keys else []
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if field is not pk]
    defaults = [
        now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        # A default that a callable makes is made once for the load, as the defaults of
        # the fields this project's generated kinds leave out are constants.
        else field.get_default()
        for field in fields
    ]
    prepare = [None if field.get_internal_type() in PLAIN_FIELDS else field for field in fields]
    pks = _reserve_keys(model, len(rows)) if keys else None
    columns = ([pk] if keys else []) + fields
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(field.column) for field in columns),
    )
    pairs = list(zip(fields, defaults, prepare, strict=True))
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for index, row in enumerate(rows):
            values = [
                row.get(field.attname, default)
                if prepared is None
                else field.get_db_prep_save(row.get(field.attname, default), connection)
                for field, default, prepared in pairs
            ]
            if keys:
                values.insert(0, pks[index])
            copy.write_row(values)
    return pks


def _reserve_keys(model, count):
    """`count` new primary keys of `model`, from its table's sequence: the rows go in with
    them by COPY, and the links the caller makes next refer to them."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def write_first_versions(model, pks, summary, *, now):
    """One creating version ("+", no author, no reviewer, `summary` as its reason) of each
    record `pks` of `model`, as save_version() writes one: its fields and its links
    (relations_snapshot) as stored."""
    if copies():
        _versions_in_sql(model, pks, summary, now)
    else:
        for start in range(0, len(pks), 2000):
            _versions_in_python(model, pks[start : start + 2000], summary, now)


def _versions_in_python(model, pks, summary, now):
    history = model.history.model
    attnames = [field.attname for field in history.tracked_fields]
    snapshots = snapshots_in_bulk(model, pks)
    versions = [
        history(
            **row,
            history_date=now,
            history_type="+",
            history_change_reason=summary,
            history_user=None,
            approved_by=None,
            relations=snapshots[row["id"]],
        )
        for row in model._base_manager.filter(pk__in=pks).values(*attnames)
    ]
    history.objects.bulk_create(versions)


def snapshots_in_bulk(model, pks):
    """{pk: relations_snapshot(record)} for the records `pks` of `model`, in one query per
    relation: what each one's first version keeps of its links."""
    snapshots = {pk: {} for pk in pks}
    for name in getattr(model, "HISTORY_RELATIONS", ()):
        column = f"{name}__name" if name == "aliases" else name
        for snapshot in snapshots.values():
            snapshot[name] = []
        for pk, value in model._base_manager.filter(pk__in=pks).values_list("pk", column):
            if value is not None:  # the outer join's row of a record with no such link
                snapshots[pk][name].append(value)
        for snapshot in snapshots.values():
            snapshot[name].sort()
        if name == "sources":
            field = model._meta.get_field("sources")
            owner = field.m2m_field_name()
            citations = (
                field.remote_field.through.objects.filter(**{f"{owner}_id__in": pks})
                .exclude(page=None, quote="")
                .values_list(f"{owner}_id", "source_id", "page", "quote")
            )
            for pk, source_id, page, quote in citations:
                snapshots[pk].setdefault(PINPOINTS, {})[str(source_id)] = pinpoint(page, quote)
    return snapshots


def _versions_in_sql(model, pks, summary, now):
    """The versions in one INSERT ... SELECT: the snapshot of each record's links built by
    PostgreSQL from the link tables, as snapshots_in_bulk() builds it in Python."""
    quote = connection.ops.quote_name
    history = model.history.model
    columns = [quote(field.column) for field in history.tracked_fields]
    sql = f"""
        INSERT INTO {quote(history._meta.db_table)} ({", ".join(columns)}, history_date,
            history_type, history_change_reason, history_user_id, approved_by_id, relations)
        SELECT {", ".join(f"record.{column}" for column in columns)}, %s, '+', %s, NULL, NULL,
            {_snapshot_sql(model)}
        FROM {quote(model._meta.db_table)} AS record
        JOIN unnest(%s::bigint[]) AS loaded(pk) ON record.{quote(model._meta.pk.column)} = loaded.pk
        ORDER BY record.{quote(model._meta.pk.column)}"""  # nosec B608 # names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, summary, list(pks)])


def _snapshot_sql(model):
    """SQL for relations_snapshot() of the row `record` of `model`: {relation: sorted ids
    (alias names)} for each of HISTORY_RELATIONS, and the pinpoints of its citations when
    any has one."""
    quote = connection.ops.quote_name
    pk = f"record.{quote(model._meta.pk.column)}"
    parts, pinpoints = [], "'{}'::jsonb"
    for name in getattr(model, "HISTORY_RELATIONS", ()):
        field = model._meta.get_field(name)
        if name == "aliases":
            alias = field.related_model
            names = quote(alias._meta.get_field("name").column)
            value = (
                f"ARRAY(SELECT {names} FROM {quote(alias._meta.db_table)} "  # nosec B608 # names from the models; pk is a record's integer id
                f"WHERE {quote(field.field.column)} = {pk} "
                # Python's sort: by code point, which is the C collation's byte order.
                f'ORDER BY {names} COLLATE "C")'
            )
        else:
            through = field.remote_field.through._meta
            owner = quote(through.get_field(field.m2m_field_name()).column)
            target = quote(through.get_field(field.m2m_reverse_field_name()).column)
            links = f"FROM {quote(through.db_table)} WHERE {owner} = {pk}"
            value = f"ARRAY(SELECT {target} {links} ORDER BY 1)"
            if name == "sources":
                # pinpoint(page, quote), keyed by the source id as text; absent when no
                # citation has one (a jsonb_object_agg of no rows is NULL).
                pinpoints = (
                    f"COALESCE((SELECT jsonb_build_object('{PINPOINTS}', jsonb_object_agg("
                    f"{target}::text, jsonb_build_object('page', page, 'quote', quote))) "
                    f"{links} AND NOT (page IS NULL AND quote = '') HAVING count(*) > 0), "
                    "'{}'::jsonb)"
                )
        parts.append(f"'{name}', {value}")
    return f"jsonb_build_object({', '.join(parts)}) || {pinpoints}"


def gather_statistics(models):
    """ANALYZE the tables of `models`: the planner's statistics know nothing of the rows a
    bulk load inserted (autovacuum cannot see an open transaction's, and some servers run
    without it). Without them it reads the new tables as if empty: the rules' check took
    minutes instead of seconds, and a search on the new index 2.4 s instead of 0.3 s.
    Only those tables, not the database: a database-wide ANALYZE in the load's transaction
    also analyzes the shared catalogs (pg_database...) and holds their lock until the load
    commits, so that a database-wide ANALYZE in any other database of the server (another
    load, a test run) waits for the whole load: measured, 105 s.
    Off in the tests (BULK_LOAD_ANALYZE): see config/settings/test.py."""
    if not settings.BULK_LOAD_ANALYZE:
        return
    tables = [
        connection.ops.quote_name(table) for table in sorted({m._meta.db_table for m in models})
    ]
    with connection.cursor() as cursor:
        if copies():
            cursor.execute("ANALYZE " + ", ".join(tables))
        else:  # SQLite analyzes one table at a time
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
