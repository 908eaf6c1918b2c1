"""The registry of kinds against what is installed: a kind of record added by hand somewhere
else (a model with a history, or a publishable model, that no app registered) fails here."""

import pytest
from django.apps import apps
from django.urls import reverse

from apps.core.exports import RecordExport
from apps.core.models import PublishableModel
from apps.records.registry import all_kinds, editable_kinds, get_kind, kind_for_model


def _record_models():
    """Every installed model that is a record: it keeps a history or can be published."""
    return {
        model
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        and (issubclass(model, PublishableModel) or hasattr(model, "history"))
        and not model.__name__.startswith("Historical")
    }


def test_every_record_model_is_a_registered_kind_and_nothing_else_is():
    registered = {kind.model for kind in all_kinds()}
    assert registered == _record_models()


def test_keys_are_unique_and_each_model_has_one_kind():
    kinds = all_kinds()
    assert len({kind.key for kind in kinds}) == len(kinds)
    for kind in kinds:
        assert kind_for_model(kind.model) is kind
        assert get_kind(kind.key) is kind


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_each_declared_class_imports_and_fits_the_kind(kind):
    assert kind.filterset_class._meta.model is kind.model
    assert callable(kind.list_selector_function)
    assert callable(kind.detail_selector_function)
    if kind.form:
        assert kind.form_class._meta.model is kind.model
    # Every list downloads (and the API and the data package give its records as it does).
    assert issubclass(kind.export_class, RecordExport)
    if kind.importer:
        assert kind.importer_class.kind == kind.key
    # Its public list answers at the URL the registry derives.
    assert reverse(kind.list_url_name).startswith(f"/{kind.key}/")


def test_one_kind_is_the_evidence_every_other_editable_kind_cites():
    evidence = [kind for kind in all_kinds() if kind.evidence]
    assert [kind.key for kind in evidence] == ["sources"]
    for kind in editable_kinds():
        cites = any(field.name == "sources" for field in kind.model._meta.many_to_many)
        assert cites is (not kind.evidence), kind.key
