"""Racing edits of one record: of two saves based on the same version, started together, one
wins and the other is refused (EditConflict in the service, 409 from the edit page); the
record and its history hold exactly the winners' edits, so no update is ever lost.

Two worker threads, each with its own database connection, take one pair at a time and
meet at a barrier before saving, so both saves run at once. PostgreSQL only: SQLite
serialises every writer with its database lock, so there is no race to lose there
(tests/editing/test_concurrency.py simulates it one save after the other)."""

import queue
import threading

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client

from apps.deployments.models import Deployment
from apps.records import services
from apps.records.models import ChangeRequest
from apps.records.registry import kind_for_model
from tests.editing.test_deployment_editing import edit_form_data
from tests.factories import DeploymentFactory, member_of, sign_in

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writes: no race to test"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# 1,000 pairs: LANES records side by side, each raced PAIRS_PER_LANE times in a row.
LANES = 4
PAIRS_PER_LANE = 250
HTTP_PAIRS = 20
WAIT = 30  # seconds: a worker stuck longer than this fails the test instead of hanging it


def posted(data):
    """`data` as a POST request's QueryDict (what the form reads from the edit page)."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        values = value if isinstance(value, list | tuple) else [value]
        query.setlist(key, [str(item) for item in values])
    return query


class Racer(threading.Thread):
    """Saves what it is given, one pair at a time, on its own database connection."""

    def __init__(self, barrier, save):
        super().__init__(daemon=True)
        self.barrier, self.save = barrier, save
        self.tasks, self.results = queue.Queue(), queue.Queue()

    def run(self):
        try:
            while (task := self.tasks.get()) is not None:
                try:
                    self.results.put(self.save(self.barrier, task))
                except Exception as exc:  # noqa: BLE001 - reported to the test as a result
                    self.results.put(repr(exc))
        finally:
            connection.close()


class Lane:
    """Two racers taking turns at one record, pair after pair; `make_tasks(number, previous)`
    gives the pair's two tasks, knowing the previous pair's results."""

    def __init__(self, save, make_tasks):
        barrier = threading.Barrier(2, timeout=WAIT)
        self.racers = [Racer(barrier, save), Racer(barrier, save)]
        self.make_tasks = make_tasks
        self.outcomes = []

    def start(self, number):
        previous = self.outcomes[-1] if self.outcomes else None
        for racer, task in zip(self.racers, self.make_tasks(number, previous), strict=True):
            racer.tasks.put(task)

    def finish(self):
        self.outcomes.append([racer.results.get(timeout=WAIT) for racer in self.racers])


def run_pairs(lanes, pairs):
    """`pairs` races in each lane, the lanes side by side (each on its own record)."""
    racers = [racer for lane in lanes for racer in lane.racers]
    for racer in racers:
        racer.start()
    try:
        for number in range(pairs):
            for lane in lanes:
                lane.start(number)
            for lane in lanes:
                lane.finish()
    finally:
        for racer in racers:
            racer.tasks.put(None)
        for racer in racers:
            racer.join(timeout=WAIT)
    return [lane.outcomes for lane in lanes]


def winner_of(outcome):
    return next((result for result in outcome if isinstance(result, tuple)), None)


def save_through_the_service(barrier, task):
    user, data = task
    record = Deployment.objects.get(pk=data["pk"])
    form = kind_for_model(Deployment).form_class(data=posted(data), instance=record, user=user)
    assert form.is_valid(), form.errors
    barrier.wait()  # both forms are valid and based on one version: save them at once
    try:
        change = services.submit_record_form(form=form, user=user)
    except services.EditConflict:
        return "conflict"
    return (data["summary"], change.version)


def test_a_thousand_racing_pairs_through_the_service_lose_no_update():
    first, second = (member_of("Reviewers", username=name) for name in ("rita", "rosa"))
    client = sign_in(Client(), first)
    deployments = [DeploymentFactory(summary="Original.") for _lane in range(LANES)]
    versions_before = [deployment.history.count() for deployment in deployments]
    changes_before = ChangeRequest.objects.count()

    def lane_for(deployment):
        base = {**edit_form_data(client, deployment), "pk": deployment.pk}

        def make_tasks(number, previous):
            # Both based on the latest version: the one the previous pair's winner saved.
            if previous and winner_of(previous):
                base["base_version"] = winner_of(previous)[1]
            return [
                (user, {**base, "summary": f"Pair {number}: {user.username}.", "edit_summary": "."})
                for user in (first, second)
            ]

        return Lane(save_through_the_service, make_tasks)

    results = run_pairs([lane_for(deployment) for deployment in deployments], PAIRS_PER_LANE)

    for deployment, before, outcomes in zip(deployments, versions_before, results, strict=True):
        winners = []
        for number, outcome in enumerate(outcomes):
            assert outcome.count("conflict") == 1, (deployment.pk, number, outcome)
            winner, _version = winner_of(outcome)
            assert winner in {f"Pair {number}: rita.", f"Pair {number}: rosa."}, outcome
            winners.append(winner)
        deployment.refresh_from_db()
        assert deployment.summary == winners[-1]
        new_versions = deployment.history.order_by("history_id")[before:]
        assert [version.summary for version in new_versions] == winners
    assert ChangeRequest.objects.count() == changes_before + LANES * PAIRS_PER_LANE


def save_through_the_page(barrier, task):
    client, data = task
    barrier.wait()
    return client.post(f"/deployments/{data['pk']}/edit/", data).status_code


def test_racing_pairs_through_the_edit_page_get_one_save_and_one_409():
    users = [member_of("Reviewers", username=name) for name in ("rita", "rosa")]
    clients = [sign_in(Client(), user) for user in users]
    deployment = DeploymentFactory(summary="Original.")
    versions_before = deployment.history.count()

    def make_tasks(number, _previous):
        base = edit_form_data(clients[0], deployment, edit_summary=f"Pair {number}")
        base["pk"] = deployment.pk
        return [
            (client, {**base, "summary": f"Pair {number}: {user.username}."})
            for client, user in zip(clients, users, strict=True)
        ]

    [outcomes] = run_pairs([Lane(save_through_the_page, make_tasks)], HTTP_PAIRS)

    assert all(sorted(outcome, key=str) == [302, 409] for outcome in outcomes), outcomes
    deployment.refresh_from_db()
    versions = deployment.history.order_by("history_id")[versions_before:]
    assert len(versions) == HTTP_PAIRS
    assert [version.summary.split(":")[0] for version in versions] == [
        f"Pair {number}" for number in range(HTTP_PAIRS)
    ]
    assert deployment.summary == versions[len(versions) - 1].summary
