"""`import_data` takes its kinds from the registry: each importable kind's importer fits the
kind (its name, the export's columns), and the command's choices and help follow what is
registered, with no list of its own."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.importing.management.commands.import_data import Command
from apps.importing.runner import Importer
from apps.records import registry
from apps.records.registry import Kind, importable_kinds
from apps.technologies.models import Technology
from tests.importing.helpers import deployment_row, write_csv


def help_text():
    parser = Command().create_parser("manage.py", "import_data")
    # argparse wraps the text to the terminal's width: compare it on one line.
    return " ".join(parser.format_help().split())


@pytest.mark.parametrize("kind", importable_kinds(), ids=lambda kind: kind.key)
def test_each_importable_kind_has_an_importer_that_reads_its_export(kind):
    importer = kind.importer_class
    assert issubclass(importer, Importer)
    assert importer.kind == kind.key
    # The export's layout is the importer's one-row-per-record layout: an export re-imports.
    assert list(importer.columns) == list(kind.export_class.columns)


def test_help_lists_the_registrys_importable_kinds():
    keys = sorted(kind.key for kind in importable_kinds())

    text = help_text()

    assert keys == [
        "contracts",
        "deployments",
        "ndas",
        "oversight",
        "records-requests",
        "response-deadlines",
    ]
    assert f"{{{','.join(keys)}}} FILE.csv" in text
    assert (
        "Import deployments, contracts, NDAs, records requests, response deadlines or oversight "
        "events from a CSV" in text
    )


def test_a_kind_registered_with_an_importer_becomes_a_choice(monkeypatch):
    widgets = Kind(
        key="widgets",
        model=Technology,
        position=99,
        a_noun="a widget",
        importer="apps.importing.kinds.deployments.DeploymentImporter",
    )
    monkeypatch.setitem(registry._KINDS, "widgets", widgets)

    text = help_text()

    assert ",records-requests,response-deadlines,widgets} FILE.csv" in text
    assert "response deadlines, oversight events or technologies from a CSV" in text


@pytest.mark.django_db
def test_a_kind_without_an_importer_is_refused(tmp_path):
    path = write_csv(tmp_path, [deployment_row()], kind="deployments")

    with pytest.raises(CommandError, match=r"invalid choice: 'agencies' \(choose from"):
        call_command("import_data", "agencies", str(path), user="rita")
