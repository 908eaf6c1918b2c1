import datetime

import pytest

from apps.agencies.transparency import agency_transparency
from apps.core.models import Visibility
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    RecordsRequestFactory,
)

pytestmark = pytest.mark.django_db

WITHDRAWN = Visibility.WITHDRAWN
DAY, MONTH = "day", "month"
FILED = datetime.date(2019, 3, 4)


def answered(agency, status, closed, precision=DAY, **kwargs):
    return RecordsRequestFactory(
        agency=agency, status=status, closed_date=closed, closed_date_precision=precision, **kwargs
    )


@pytest.fixture
def sheriff():
    """An agency with every kind of record, published or not, known or unknown."""
    agency = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    # Deployments: all yes; researched without a vote; not researched (an unpublished vote
    # does not count); a consent-agenda approval; a withdrawn one that counts for nothing.
    told = DeploymentFactory(agency=agency, public_input="yes", use_policy="yes")
    OversightEventFactory(agency=agency, deployments=[told])
    found = DeploymentFactory(agency=agency, public_input="no", use_policy="unknown")
    OversightEventFactory(agency=agency, finding=True, deployments=[found])
    unknown = DeploymentFactory(agency=agency, public_input="unknown", use_policy="no")
    OversightEventFactory(agency=agency, deployments=[unknown], visibility=Visibility.PENDING)
    consent = DeploymentFactory(agency=agency, public_input="no", use_policy="no")
    OversightEventFactory(agency=agency, kind="consent-agenda", deployments=[consent])
    DeploymentFactory(agency=agency, public_input="yes", visibility=WITHDRAWN)
    # NDAs: flagged; cited by a published request; unknown; no; cited only by a pending
    # request (still unknown); withdrawn.
    NdaFactory(agency=agency, cited_to_withhold="yes")
    cited = NdaFactory(agency=agency, cited_to_withhold="unknown")
    NdaFactory(agency=agency, cited_to_withhold="unknown")
    NdaFactory(agency=agency, cited_to_withhold="no")
    pending_cited = NdaFactory(agency=agency, cited_to_withhold="unknown")
    NdaFactory(agency=agency, visibility=WITHDRAWN)
    # Requests: 10, 30 and 20 days; a denial closed in a known month only; open; abandoned;
    # a withdrawn denial.
    answered(agency, "fulfilled", datetime.date(2019, 3, 14))
    answered(agency, "partially-fulfilled", datetime.date(2019, 4, 3))
    answered(agency, "denied", datetime.date(2019, 4, 1), MONTH).ndas_cited.set([cited])
    answered(agency, "no-responsive-documents", datetime.date(2019, 3, 24))
    RecordsRequestFactory(agency=agency, status="processing")
    answered(agency, "abandoned", datetime.date(2019, 3, 5))
    answered(agency, "denied", datetime.date(2019, 3, 5), visibility=WITHDRAWN)
    RecordsRequestFactory(agency=agency, visibility=Visibility.PENDING).ndas_cited.set(
        [pending_cited]
    )
    # Contracts: an amount, none, a free trial's zero, and a withdrawn one.
    ContractFactory(agency=agency, amount="12000.00")
    ContractFactory(agency=agency, amount=None)
    ContractFactory(agency=agency, amount="0.00", procurement_method="free-trial")
    ContractFactory(agency=agency, amount=None, visibility=WITHDRAWN)
    return agency


@pytest.fixture
def others():
    return {
        "empty": AgencyFactory(name="Aurora Police Department", region="OR"),
        "open": AgencyFactory(name="Tacoma Police Department", region="WA", locality="Tacoma"),
    }


def test_figures_count_published_records_and_their_unknowns(sheriff):
    f = agency_transparency(sheriff).figures
    assert (f.deployments, f.public_input, f.public_input_unknown) == (4, 1, 1)
    assert (f.use_policy, f.use_policy_unknown) == (1, 1)
    assert (f.vote, f.vote_unknown, f.public_process) == (2, 1, 2)
    assert (f.ndas, f.ndas_withheld, f.ndas_withheld_unknown) == (5, 2, 2)
    assert f.requests == {
        "fulfilled": 1,
        "partially-fulfilled": 1,
        "denied": 1,
        "no-responsive-documents": 1,
        "processing": 1,
        "abandoned": 1,
    }
    assert f.answered == 4
    assert (f.median_days, f.timed_requests) == (20, 3)
    assert (f.contracts, f.contracts_with_amount) == (3, 2)


def test_an_agency_without_records_has_dashes_not_zeros(client, others):
    empty = others["empty"]
    t = agency_transparency(empty)
    assert all(figure.count is None for figure in t.deployment_figures)
    assert t.amount_figure.count is None and t.request_figures == []
    assert t.median_days is None
    content = client.get(empty.get_absolute_url()).content.decode()
    section = content[content.index('id="transparency-heading"') :]
    assert "None published: nothing to count." in section
    assert " of 0" not in section
    row = client.get("/agencies/transparency/", {"region": "OR", "sort": "name"})
    assert row.context["object_list"][0].agency == empty
    assert "0 of 0" not in row.content.decode()


def counted(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_every_figure_links_to_exactly_the_records_it_counts(client, sheriff):
    t = agency_transparency(sheriff)
    figures = [*t.deployment_figures, *t.nda_figures, *t.request_figures, t.amount_figure]
    assert len(figures) == 4 + 1 + 4 + 1
    for figure in figures:
        assert counted(client, figure.url) == figure.count, figure.label
        if figure.unknown_url:
            assert counted(client, figure.unknown_url) == figure.unknown, figure.label
    assert counted(client, t.open_requests_url) == t.open_requests == 1
    assert counted(client, t.timed_url) == t.figures.timed_requests == 3
    assert counted(client, t.untimed_url) == t.untimed == 1
    assert counted(client, t.ndas_url) == t.figures.ndas
    assert counted(client, t.requests_url) == t.requests_total == 6  # published only


def test_the_agency_page_shows_the_record_with_its_method_and_time(client, sheriff):
    response = client.get(sheriff.get_absolute_url())
    content = response.content.decode()
    section = content[content.index('id="transparency-heading"') :]
    assert "/agencies/transparency/method/" in section
    assert "Computed " in section and "UTC" in section
    assert f"?agency={sheriff.slug}&amp;public_input=yes" in section
    assert ">1 of 4</a>" in section and "1 not yet researched" in section
    assert ">20 days</a>, over 3 answers" in section
    assert ">2 of 3</a> <small>(<a" in section and "1 without an amount" in section


def names(response):
    return [row.agency.name for row in response.context["object_list"]]


@pytest.fixture
def ranked(sheriff, others):
    # Tacoma: its one deployment had public input; answered in 3 days.
    DeploymentFactory(agency=others["open"], public_input="yes")
    answered(others["open"], "fulfilled", datetime.date(2019, 3, 7))
    return sheriff


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Aurora", "Tacoma", "Washington"]),
        ("-public_process", ["Tacoma", "Washington", "Aurora"]),
        # Dashes last whichever way it runs.
        ("public_process", ["Washington", "Tacoma", "Aurora"]),
        ("median_days", ["Tacoma", "Washington", "Aurora"]),
        ("-median_days", ["Washington", "Tacoma", "Aurora"]),
        ("-ndas_withheld", ["Washington", "Aurora", "Tacoma"]),
        ("-deployments", ["Washington", "Tacoma", "Aurora"]),
        ("-amounts", ["Washington", "Aurora", "Tacoma"]),
        ("region", ["Aurora", "Washington", "Tacoma"]),
    ],
)
def test_the_list_sorts_by_each_figure(client, ranked, sort, expected):
    response = client.get("/agencies/transparency/", {"sort": sort} if sort else {})
    assert response.status_code == 200
    assert [name.split()[0] for name in names(response)] == expected


def test_agencies_of_a_state_ranked_by_how_much_the_public_was_told(client, ranked):
    response = client.get(
        "/agencies/transparency/", {"region": "Oregon", "sort": "-public_process"}
    )
    assert names(response) == ["Washington County Sheriff's Office", "Aurora Police Department"]
    assert client.get("/agencies/transparency/", {"region": "WA"}).context["paginator"].count == 1
    assert client.get("/agencies/transparency/", {"sort": "shoe"}).status_code == 400


def test_the_list_pages_and_links_its_method(client, ranked, settings):
    settings.LIST_PAGE_SIZE = 2
    second = client.get("/agencies/transparency/", {"sort": "-public_process", "page": 2})
    assert names(second) == ["Aurora Police Department"]
    content = client.get("/agencies/transparency/").content.decode()
    assert "/agencies/transparency/method/" in content and "Computed " in content
    assert "sort=-median_days" not in content  # headings sort one way...
    assert "?sort=median_days" in content  # ...the fastest first


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_list_query_count_does_not_grow_with_agencies(
    client, sheriff, how_many, django_assert_num_queries
):
    for _ in range(how_many - 1):
        DeploymentFactory(agency=AgencyFactory(), public_input="yes")
    # The filter form's suggestions (regions, technologies, vendors), the agencies, the
    # figures' fingerprint and, the first time, their five grouped queries.
    with django_assert_num_queries(10):
        response = client.get("/agencies/transparency/", {"sort": "-public_process"})
    assert response.context["paginator"].count == how_many
    with django_assert_num_queries(5):
        client.get("/agencies/transparency/")


def test_figures_are_recomputed_when_a_record_changes(client, sheriff):
    before = agency_transparency(sheriff)
    assert agency_transparency(sheriff).computed_at == before.computed_at  # cached
    deployment = sheriff.deployments.get(public_input="unknown")
    deployment.public_input = "yes"
    deployment.save()
    after = agency_transparency(sheriff)
    assert (after.figures.public_input, after.figures.public_input_unknown) == (2, 0)
    assert after.computed_at > before.computed_at
    # A link between records changes the figures too, without any record's own change.
    vote = OversightEventFactory(agency=sheriff, kind="vote")
    assert agency_transparency(sheriff).figures.vote == 2
    vote.deployments.add(sheriff.deployments.get(use_policy="no", public_input="no"))
    assert agency_transparency(sheriff).figures.vote == 2  # already voted on: same figure
    vote.deployments.add(deployment)
    assert agency_transparency(sheriff).figures.vote == 3


def test_the_method_page_is_public(client):
    response = client.get("/agencies/transparency/method/")
    assert response.status_code == 200
    assert "Any of the three" in response.content.decode()


def test_transparency_is_never_an_agency_slug(client):
    agency = AgencyFactory(name="Transparency", region="")
    assert agency.slug != "transparency"
    assert client.get(agency.get_absolute_url()).status_code == 200
