"""Every kind edited on the site has a usable form; helpers the per-kind tests share."""

import re

import pytest
from django.test import Client

from apps.records.models import ChangeRequest
from apps.records.registry import editable_kinds
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

NEW_SOURCE = {
    "sources": "",
    "new_source_url": "https://news.example.org/records-release",
    "new_source_title": "Records show what the county bought",
    "new_source_publisher": "Example Gazette",
    "new_source_date": "2019-02",
    "new_source_kind": "records-release",
    "edit_summary": "Added from the county's records release",
    "base_version": "",
}


def logged_in(user):
    client = Client()
    sign_in(client, user)
    return client


def edit_data(client, url, **changes):
    """What the edit form at `url` submits when nothing is changed, updated by `changes`."""
    form = client.get(url).context["form"]
    data = {}
    for field in form:
        if field.name in {"document", "new_source_document"}:
            continue  # file inputs submit nothing unless a file is chosen
        value = field.field.prepare_value(field.value())
        data[field.name] = "" if value is None else value
    data.update(changes)
    return data


def approve(reviewer, change):
    response = logged_in(reviewer).post(f"/changes/{change.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"] == "/review/", "the approval failed"
    change.refresh_from_db()
    assert change.status == "approved"
    return change


def diff_rows(reviewer, change):
    detail = logged_in(reviewer).get(change.get_absolute_url())
    assert detail.context["form_errors"] is None, detail.context["form_errors"]
    return {row.label: (row.old, row.new) for row in detail.context["diff_rows"]}


def pending_update():
    return ChangeRequest.objects.get(action="update", status="pending")


def errors_of(response):
    assert response.status_code == 400, response.status_code
    return response.context["form"].errors


def history_names(url):
    """The public history page of a record: who made and who approved its versions."""
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


CONTROL_RE = re.compile(r"<(?:input|select|textarea)\b[^>]*>")
ID_RE = re.compile(r'\bid="([^"]+)"')
TYPE_RE = re.compile(r'\btype="([^"]+)"')


@pytest.mark.parametrize("kind_slug", [kind.key for kind in editable_kinds()])
def test_every_kind_has_a_labelled_create_form(volunteer_client, kind_slug):
    response = volunteer_client.get(f"/{kind_slug}/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    start = page.index('class="record-form"')
    form_html = page[start : page.index("</form>", start)]
    controls = [
        control
        for control in CONTROL_RE.findall(form_html)
        if (TYPE_RE.search(control) or [None, "text"])[1] not in {"hidden", "submit"}
    ]
    assert len(controls) >= 4
    for control in controls:
        control_id = ID_RE.search(control)
        assert control_id, f"a form control without an id: {control}"
        assert f'<label for="{control_id[1]}"' in form_html, f"no label for {control_id[1]}"
    form = response.context["form"]
    for field in form.record_fields:
        assert field.label and str(field.label) in page
    assert ("Sources already in the registry" in page) == form.cites_sources
