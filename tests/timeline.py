"""One case told by the timelines of an agency, a vendor and a deployment (tests/agencies,
tests/vendors and tests/deployments test_timeline.py): records of every kind, dated to the
year, the month or the day, one undated, and hidden (pending or withdrawn) records that no
page may show."""

import datetime
import re
from dataclasses import dataclass

from apps.core.models import Visibility
from apps.core.partial_dates import DatePrecision
from tests.factories import (
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    SourceFactory,
    VendorFactory,
)

YEAR, MONTH, DAY = DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY
PENDING, WITHDRAWN = Visibility.PENDING, Visibility.WITHDRAWN


@dataclass
class Case:
    sheriff: object
    vendor: object
    deployment: object  # started 2017 (year), ended March 2020 (month)
    contract: object  # covers the deployment; signed June 2017 (month)
    nda: object  # with the vendor, so it covers the deployment; 1 January 2017 (day)
    other_nda: object  # the sheriff's with another vendor; 2014 (year)
    denied: object  # cites the NDA; filed 4 March 2019 (day), closed June 2019
    undated: object  # cites the NDA; filing date unknown
    not_citing: object  # cites the other NDA; filed May 2015 (month)
    vote: object  # the county board's, about the deployment; 5 March 2018 (day)
    finding: object  # "no public process found" for the deployment; 2019 (year)
    own_matter: object  # the sheriff's, about none of these records; 2016 (year)
    hidden_source: object  # a pending source the denied request also cites


def day(year, month=1, date=1):
    return datetime.date(year, month, date)


def build_case():
    sheriff = AgencyFactory(name="Washington County Sheriff's Office")
    board = AgencyFactory(name="Washington County Board", kind="county-government")
    vendor = VendorFactory(name="Cloud Vendor")
    deployment = DeploymentFactory(
        agency=sheriff,
        product=ProductFactory(vendor=vendor),
        status="discontinued",
        end_date=day(2020, 3),
        end_date_precision=MONTH,
    )
    contract = ContractFactory(agency=sheriff, vendor=vendor, title="Face search subscription")
    contract.deployments.add(deployment)
    nda = NdaFactory(
        agency=sheriff, counterparty_vendor=vendor, signed_date=day(2017), signed_date_precision=DAY
    )
    other_nda = NdaFactory(agency=sheriff, signed_date=day(2014), signed_date_precision=YEAR)
    hidden_source = SourceFactory(visibility=PENDING, title="A draft nobody reviewed")
    denied = RecordsRequestFactory(
        agency=sheriff,
        subject="Face recognition NDAs",
        status="denied",
        closed_date=day(2019, 6),
        closed_date_precision=MONTH,
        sources=[SourceFactory(), hidden_source],
    )
    undated = RecordsRequestFactory(
        agency=sheriff, filed_date=None, filed_date_precision="", subject="Audit logs"
    )
    not_citing = RecordsRequestFactory(
        agency=sheriff, filed_date=day(2015, 5), filed_date_precision=MONTH
    )
    for request in (denied, undated):
        request.ndas_cited.set([nda])
    not_citing.ndas_cited.set([other_nda])
    vote = OversightEventFactory(agency=board, deployments=[deployment])
    finding = OversightEventFactory(
        finding=True,
        agency=sheriff,
        occurred_date=day(2019),
        occurred_date_precision=YEAR,
        deployments=[deployment],
    )
    own_matter = OversightEventFactory(
        agency=sheriff, kind="audit", occurred_date=day(2016), occurred_date_precision=YEAR
    )

    # Hidden records of every kind, each linked where a published one would show.
    ContractFactory(agency=sheriff, vendor=vendor, visibility=PENDING).deployments.add(deployment)
    NdaFactory(agency=sheriff, counterparty_vendor=vendor, visibility=WITHDRAWN)
    for visibility in (PENDING, WITHDRAWN):
        RecordsRequestFactory(agency=sheriff, visibility=visibility).ndas_cited.set([nda])
    OversightEventFactory(agency=sheriff, deployments=[deployment], visibility=PENDING)
    DeploymentFactory(agency=sheriff, product=deployment.product, visibility=WITHDRAWN)
    return Case(
        sheriff=sheriff,
        vendor=vendor,
        deployment=deployment,
        contract=contract,
        nda=nda,
        other_nda=other_nda,
        denied=denied,
        undated=undated,
        not_citing=not_citing,
        vote=vote,
        finding=finding,
        own_matter=own_matter,
        hidden_source=hidden_source,
    )


def shared_story(case, start="deployment"):
    """What the agency's, the vendor's and the deployment's timelines all show, newest first
    as (kind, record, the date as printed): "2019" could be any day of that year, so it is
    placed at its first day, before (below) "4 March 2019"; "2017" below "1 January 2017".
    `start` is the kind of the deployment's entry ("deployment-start" on its own page)."""
    return [
        ("records-request", case.denied, "4 March 2019"),
        ("oversight", case.finding, "2019"),
        ("oversight", case.vote, "5 March 2018"),
        ("contract", case.contract, "June 2017"),
        ("nda", case.nda, "1 January 2017"),
        (start, case.deployment, "2017"),
    ]


def undated(case):
    """Undated entries come last."""
    return ("records-request", case.undated, "Date unknown")


def entries(response):
    """The page's timeline as [(kind, record)], in the page's order."""
    return [(item.kind, item.record) for item in response.context["timeline"]]


def timeline_section(response):
    page = response.content.decode()
    match = re.search(r'<section aria-labelledby="timeline-heading">(.*?)</section>', page, re.S)
    assert match, "the page has no timeline section"
    return match.group(1)


def assert_timeline(response, case, expected):
    """The page's timeline is `expected` ([(kind, record, date as printed)]), in that order,
    each entry linking its record and its published sources, and no hidden source."""
    assert entries(response) == [(kind, record) for kind, record, _date in expected]
    section = timeline_section(response)
    assert re.findall(r'<p class="timeline-date">(.*?)</p>', section) == [
        date for _kind, _record, date in expected
    ]
    for _kind, record, _date in expected:
        assert f'href="{record.get_absolute_url()}"' in section
        for source in record.public_sources:
            assert f'href="{source.get_absolute_url()}"' in section
    assert f'href="{case.hidden_source.get_absolute_url()}"' not in section
    assert case.hidden_source.title not in section
