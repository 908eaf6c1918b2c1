"""Two people writing the same record, or records of the same name, at the same moment.

The PostgreSQL tests run two requests on two threads (two database connections) and make
them meet at the dangerous point with a barrier: without the fix both pass it together,
with it the second waits for the first's row lock or commit (the barrier then times out,
which changes how long the test takes, never what it asserts). SQLite serialises every
write with its database lock, so there the same clashes are simulated one after the other.
"""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client

from apps.agencies.models import Agency
from apps.records import forms as record_forms
from apps.records import services
from apps.records.models import ChangeRequest
from tests.editing.test_agency_editing import agency_form
from tests.editing.test_deployment_editing import edit_form_data
from tests.factories import AgencyFactory, DeploymentFactory, sign_in

between_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writes: no race to test"
)
MEETING_TIMEOUT = 3  # seconds a request waits for the other at the barrier


def meet(barrier):
    # Broken after the timeout: the other request is held back by a lock, as it should be.
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=MEETING_TIMEOUT)


def run_at_once(*posts):
    """Run each (client, url, data) POST on its own thread; their status codes, in order."""
    results = [None] * len(posts)

    def post(index, client, url, data):
        try:
            results[index] = client.post(url, data).status_code
        except Exception as exc:  # noqa: BLE001 - a server error is a result to report
            results[index] = repr(exc)
        finally:
            connection.close()  # each thread's own connection

    threads = [
        threading.Thread(target=post, args=(index, *arguments))
        for index, arguments in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def client_for(user):
    client = Client()
    sign_in(client, user)
    return client


@postgresql_only
@between_transactions
def test_two_reviewers_saving_from_one_version_at_once_one_gets_the_conflict(monkeypatch, reviewer):
    from tests.factories import member_of

    other = member_of("Reviewers", username="rosa")
    deployment = DeploymentFactory(status="active", summary="Original.")
    first, second = client_for(reviewer), client_for(other)
    url = f"/deployments/{deployment.pk}/edit/"
    first_data = edit_form_data(first, deployment, status="pilot", edit_summary="Pilot")
    second_data = edit_form_data(second, deployment, summary="Other.", edit_summary="Text")

    versions_before = deployment.history.count()
    barrier = threading.Barrier(2)
    check = services._check_not_stale

    def check_then_meet(record, base_version):
        check(record, base_version)
        meet(barrier)  # both past the staleness check at once, unless a lock keeps one out

    monkeypatch.setattr(services, "_check_not_stale", check_then_meet)
    statuses = run_at_once((first, url, first_data), (second, url, second_data))

    assert sorted(statuses) == [302, 409], statuses
    deployment.refresh_from_db()
    # The winner's change stands, not overwritten by the loser's.
    assert (deployment.status, deployment.summary) in {
        ("pilot", "Original."),
        ("active", "Other."),
    }
    assert deployment.history.count() == versions_before + 1


def test_saving_from_a_version_another_save_replaced_is_a_conflict(reviewer):
    """SQLite's half: the second save, made after the first from the same version, is
    refused with the conflict rather than undoing the first."""
    deployment = DeploymentFactory(status="active", summary="Original.")
    client = client_for(reviewer)
    url = f"/deployments/{deployment.pk}/edit/"
    first = edit_form_data(client, deployment, status="pilot", edit_summary="Pilot")
    second = edit_form_data(client, deployment, summary="Other.", edit_summary="Text")
    assert client.post(url, first).status_code == 302
    assert client.post(url, second).status_code == 409
    deployment.refresh_from_db()
    assert (deployment.status, deployment.summary) == ("pilot", "Original.")


@postgresql_only
@between_transactions
def test_two_volunteers_adding_an_agency_of_one_name_at_once_both_succeed(monkeypatch, volunteer):
    from tests.factories import member_of

    other = member_of("Volunteers", username="val")
    barrier = threading.Barrier(2)
    choose = record_forms.unique_slug

    def choose_then_meet(*args, **kwargs):
        slug = choose(*args, **kwargs)
        meet(barrier)  # both chose the same free slug before either saved
        return slug

    monkeypatch.setattr(record_forms, "unique_slug", choose_then_meet)
    data = agency_form(ori="")
    second_data = {**data, "new_source_url": "https://news.example.org/another-report"}
    statuses = run_at_once(
        (client_for(volunteer), "/agencies/new/", data),
        (client_for(other), "/agencies/new/", second_data),
    )

    assert statuses == [302, 302], statuses
    slugs = sorted(Agency.objects.values_list("slug", flat=True))
    assert slugs == ["hillsboro-police-department-or", "hillsboro-police-department-or-2"]
    assert ChangeRequest.objects.count() == 2


def test_a_slug_taken_after_it_was_chosen_gets_the_next_free_one(monkeypatch, volunteer):
    """The clash simulated: the form chose a slug that another save took before this one
    was written (on SQLite writes take turns, so the race itself cannot happen here)."""
    AgencyFactory(name="Hillsboro Police Department", region="OR")  # has that slug now
    monkeypatch.setattr(
        record_forms, "unique_slug", lambda *args, **kwargs: "hillsboro-police-department-or"
    )
    response = client_for(volunteer).post("/agencies/new/", agency_form(ori=""))
    assert response.status_code == 302
    agency = ChangeRequest.objects.get().record
    assert agency.slug == "hillsboro-police-department-or-2"
    assert agency.history.count() == 1
