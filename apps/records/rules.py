"""The publication rules, checked over the whole database in a few queries a kind: every
published record links only to published records, cites at least one published source where
its kind cites sources, and has a history version that says it is published.

`check_records` lists what breaks them; a bulk load (services.BulkLoad) refuses to finish
while anything does."""

from django.db.models import Exists, OuterRef, Subquery

from apps.core.models import PublishableModel, Visibility
from apps.records.registry import publishable_kinds


def publishable_models():
    return [kind.model for kind in publishable_kinds()]


def describe(model, pk, name=None):
    label = f"{model._meta.verbose_name} #{pk}"
    return f"{label} “{name}”" if name else label


def _hidden_links(model, published):
    """(record pk, what it links to that is not published) for every link but sources and
    `merged_into` (a merged duplicate points at its survivor by design)."""
    for field in model._meta.get_fields():
        target = field.related_model
        if (
            not (field.many_to_one or field.many_to_many)
            or field.auto_created
            or field.name in {"merged_into", "sources"}
            or target is None
            or not issubclass(target, PublishableModel)
        ):
            continue
        linked = published.filter(**{f"{field.name}__isnull": False})
        published_target = {f"{field.name}__visibility": Visibility.PUBLISHED}
        if field.many_to_many:
            # exclude() across a many-to-many is a NOT IN (subquery): see record_problems.
            also = model._base_manager.filter(pk=OuterRef("pk"), **published_target)
            linked = linked.filter(~Exists(also))
        else:
            linked = linked.exclude(**published_target)
        rows = (
            linked.values_list("pk", field.name, f"{field.name}__visibility")
            .order_by("pk")
            .distinct()
        )
        for pk, target_pk, visibility in rows:
            yield pk, f"{field.verbose_name} → {visibility} {describe(target, target_pk)}"


def record_problems():
    """[(model, pk, problem)] for every published record that breaks a publication rule."""
    problems = []
    for model in publishable_models():
        # Unordered (the problems are sorted at the end), and NOT EXISTS rather than NOT IN
        # (subquery): PostgreSQL runs a NOT IN whose ids do not fit in work_mem as a linear
        # search of them per row, which at a million deployments ran for hours; NOT EXISTS
        # is an anti-join.
        published = model._base_manager.filter(visibility=Visibility.PUBLISHED).order_by()
        for pk, problem in _hidden_links(model, published):
            problems.append((model, pk, f"links to a record that is not published: {problem}"))
        if any(field.name == "sources" for field in model._meta.many_to_many):
            cited = model._base_manager.filter(
                pk=OuterRef("pk"), sources__visibility=Visibility.PUBLISHED
            )
            for pk in published.filter(~Exists(cited)).values_list("pk", flat=True):
                problems.append((model, pk, "cites no published source"))
        if hasattr(model, "history"):
            versioned = Exists(model.history.filter(id=OuterRef("pk")))
            for pk in published.filter(~versioned).values_list("pk", flat=True):
                problems.append((model, pk, "has no history version"))
            # Published by a save that wrote no version: its history says otherwise.
            latest = model.history.filter(id=OuterRef("pk")).order_by("-history_id")
            unversioned = published.annotate(
                version_visibility=Subquery(latest.values("visibility")[:1])
            ).exclude(version_visibility=Visibility.PUBLISHED)
            for pk, visibility in unversioned.filter(versioned).values_list(
                "pk", "version_visibility"
            ):
                problems.append(
                    (model, pk, f"is published, but its latest version says {visibility}")
                )
    return sorted(problems, key=lambda problem: (problem[0]._meta.label, problem[1]))
