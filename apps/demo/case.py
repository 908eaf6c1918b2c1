"""The motivating case of the demo data, as real, cited records: Amazon Rekognition at the
Washington County Sheriff's Office and the Orlando Police Department, from the ACLU of
Northern California's May 2018 reporting.

Written by hand, and record by record through the write gateway (`record_save`: validated,
checked against the publication rules, ONE version each, its links already in place), and
matched to existing rows by name, so it joins records a volunteer may already have entered:
such a record only gains the links and aliases it lacks, in one version, and none when it
lacks nothing.
"""

import datetime
from decimal import Decimal

from apps.agencies.models import Agency, AgencyKind, JurisdictionLevel
from apps.contracts.models import Contract, Nda, ProcurementMethod
from apps.core.models import YesNoUnknown
from apps.core.partial_dates import DatePrecision, PartialDate
from apps.core.slugs import unique_slug
from apps.deployments.models import Deployment, DeploymentStatus
from apps.records.services import record_save
from apps.sources.models import Source, SourceKind
from apps.vendors.models import Product, Vendor

from . import DEMO_LINKS_REASON, INITIAL_VERSION_REASON

CASE_TECHNOLOGIES = ["face-recognition", "video-analytics"]

ACLU_BLOG_URL = (
    "https://www.aclunc.org/blog/"
    "amazon-teams-government-deploy-dangerous-new-facial-recognition-technology"
)
ACLU_RECORDS_URL = "https://www.aclunc.org/docs/20180522_ARD.pdf"
ACLU = "ACLU of Northern California"
ACLU_DATE = PartialDate(datetime.date(2018, 5, 22), DatePrecision.DAY)
REKOGNITION = "Amazon Rekognition"
WCSO_CONTRACT_TITLE = "Amazon Rekognition service for the Sheriff's Office"
ORLANDO_CONTRACT_TITLE = "Amazon Rekognition pilot and no-cost consulting"


def _write(record, *, aliases=(), **links):
    """Save `record` with its links and aliases through the write gateway, as ONE
    version. A record that exists already (a volunteer's, or a previous load's) only gains
    what it lacks, in one version, and nothing at all when it lacks nothing: a second load
    writes no version."""
    if record.pk is None:
        record_save(
            record=record,
            user=None,
            summary=INITIAL_VERSION_REASON,
            links=links,
            aliases=sorted(aliases) if hasattr(record, "aliases") else None,
        )
        return record
    merged = {name: set(getattr(record, name).all()) for name in links}
    missing = {name: set(values) - merged[name] for name, values in links.items()}
    names = set(record.aliases.values_list("name", flat=True)) if aliases else set()
    if not any(missing.values()) and set(aliases) <= names:
        return record
    record_save(
        record=record,
        user=None,
        summary=DEMO_LINKS_REASON,
        links={name: [*merged[name], *missing[name]] for name in links},
        aliases=sorted(names | set(aliases)) if aliases else None,
    )
    return record


def _source_by_url(url, **fields):
    source = Source.objects.filter(url=url).first()
    if source is None:
        source = Source(url=url, **fields)
        source.publication = ACLU_DATE
        _write(source)
    return source


def _agency_by_name(name, region, **fields):
    agency = Agency.objects.matching_name(name, region).order_by("pk").first()
    if agency is None:
        agency = Agency(name=name, region=region, **fields)
        agency.slug = unique_slug(Agency, name, region)
    return agency


def _vendor_by_name(name, **fields):
    vendor = Vendor.objects.matching_name(name).order_by("pk").first()
    if vendor is None:
        vendor = Vendor(name=name, **fields)
        vendor.slug = unique_slug(Vendor, name)
    return vendor


def _found_or_new(model, match, *, dates=None, **fields):
    """The first record of `model` matching `match` ({field: value}), or a new, unsaved one
    with `match`, `fields` and `dates` (partial dates, set through the model's accessors)."""
    record = model.objects.filter(**match).order_by("pk").first()
    if record is None:
        record = model(**match, **fields)
        for name, partial in (dates or {}).items():
            setattr(record, name, partial)
    return record


def load_motivating_case(technologies):
    """The 2018 Amazon Rekognition case, as structured, cited records. `technologies`: the
    taxonomy by slug (CASE_TECHNOLOGIES at least). Returns its sources."""
    face, video = technologies["face-recognition"], technologies["video-analytics"]

    blog = _source_by_url(
        ACLU_BLOG_URL,
        title=(
            "Amazon Teams Up With Government to Deploy Dangerous New Facial Recognition Technology"
        ),
        publisher=ACLU,
        kind=SourceKind.REPORT,
        notes=(
            "The ACLU's account of public-records documents about Amazon Rekognition at the "
            "Washington County Sheriff's Office (Oregon) and the Orlando Police Department "
            "(Florida): the deployments, their cost, free consulting, a non-disclosure "
            "agreement, body-camera plans and the absence of public debate."
        ),
    )
    records = _source_by_url(
        ACLU_RECORDS_URL,
        title="Amazon Rekognition public-records documents released to the ACLU",
        publisher=ACLU,
        kind=SourceKind.RECORDS_RELEASE,
        notes=(
            "The documents the ACLU obtained through public-records requests to Washington "
            "County, Oregon, and the City of Orlando, Florida, published with its 22 May 2018 "
            "post."
        ),
    )
    cited = [blog, records]

    wcso = _agency_by_name(
        "Washington County Sheriff's Office",
        "OR",
        kind=AgencyKind.SHERIFF,
        jurisdiction_level=JurisdictionLevel.COUNTY,
        country="US",
        locality="Hillsboro",
        latitude=Decimal("45.522900"),
        longitude=Decimal("-122.989800"),
        ori="OR0340000",
        ocd_division_id="ocd-division/country:us/state:or/county:washington",
        description=(
            "The sheriff's office of Washington County, Oregon, headquartered in Hillsboro."
        ),
    )
    orlando = _agency_by_name(
        "Orlando Police Department",
        "FL",
        kind=AgencyKind.POLICE,
        jurisdiction_level=JurisdictionLevel.MUNICIPAL,
        country="US",
        locality="Orlando",
        latitude=Decimal("28.538400"),
        longitude=Decimal("-81.378900"),
        ocd_division_id="ocd-division/country:us/state:fl/place:orlando",
        description="The police department of the City of Orlando, Florida.",
    )
    _write(wcso, aliases=["WCSO"], sources=cited)
    _write(orlando, aliases=["OPD"], sources=cited)

    amazon = _vendor_by_name(
        "Amazon",
        website="https://www.amazon.com",
        country="US",
        description="Online retailer and technology company; the parent of Amazon Web Services.",
    )
    _write(amazon, aliases=["Amazon.com"], sources=cited)
    aws = _vendor_by_name(
        "Amazon Web Services",
        website="https://aws.amazon.com",
        country="US",
        parent=amazon,
        description=(
            "Amazon's cloud computing business, which sells the Amazon Rekognition image and "
            "video analysis service. Roadmap notes: according to documents released to the "
            "ACLU of Northern California in May 2018, the company worked with law enforcement "
            "customers on face recognition, and the reporting describes plans to apply "
            "Rekognition to video from police body-worn cameras."
        ),
    )
    _write(aws, aliases=["AWS"], sources=cited)

    product = Product.objects.filter(vendor=aws, name__iexact=REKOGNITION).first()
    if product is None:
        product = Product(
            vendor=aws,
            name=REKOGNITION,
            website="https://aws.amazon.com/rekognition/",
            description=(
                "A cloud service that detects, analyses and compares faces and objects in "
                "images and video, including matching faces against a collection of photos "
                "and, with video streams, in near real time. The May 2018 reporting on "
                "documents released to the ACLU describes plans to add it to police "
                "body-worn cameras."
            ),
        )
        product.slug = unique_slug(Product, aws.name, REKOGNITION)
    _write(product, technologies=[face, video], sources=cited)

    wcso_deployment = _found_or_new(
        Deployment,
        {"agency": wcso, "technology": face, "product": product},
        dates={"start": PartialDate.parse("2017")},
        vendor=aws,
        status=DeploymentStatus.ACTIVE,
        summary=(
            "According to documents released to the ACLU of Northern California in May "
            "2018, the Sheriff's Office has used Amazon Rekognition since 2017 to compare "
            "photos of people, for example from surveillance images, with a database of "
            "booking photos (reported as about 300,000). The reporting describes plans to "
            "apply the technology to video from officers' body-worn cameras. The documents "
            "show no public hearing or other public input before it was adopted."
        ),
        public_input=YesNoUnknown.NO,
    )
    _write(wcso_deployment, sources=cited)
    orlando_deployment = _found_or_new(
        Deployment,
        {"agency": orlando, "technology": face, "product": product},
        dates={"start": PartialDate.parse("2017-12")},
        vendor=aws,
        status=DeploymentStatus.PILOT,
        summary=(
            "According to documents released to the ACLU of Northern California in May "
            "2018, the Orlando Police Department was piloting Amazon Rekognition's "
            "real-time face recognition on video from a number of cameras in the city, "
            "with free consulting from Amazon. The documents show no public hearing or "
            "other public input before the pilot."
        ),
        public_input=YesNoUnknown.NO,
    )
    _write(orlando_deployment, sources=cited)

    wcso_contract = _found_or_new(
        Contract,
        {"agency": wcso, "vendor": aws, "title": WCSO_CONTRACT_TITLE},
        dates={"start": PartialDate.parse("2017")},
        procurement_method=ProcurementMethod.UNKNOWN,
        amount=Decimal("400.00"),
        currency="USD",
        summary=(
            "Low cost: according to the reporting on the documents released to the ACLU, "
            "the Sheriff's Office paid a small one-time setup fee (about $400) and then a "
            "few dollars a month (reported as $6 to $12) for the service. The amount "
            "recorded here is approximate, an order-of-magnitude figure."
        ),
    )
    _write(wcso_contract, sources=cited, products=[product], deployments=[wcso_deployment])
    orlando_contract = _found_or_new(
        Contract,
        {"agency": orlando, "vendor": aws, "title": ORLANDO_CONTRACT_TITLE},
        dates={"start": PartialDate.parse("2017-12")},
        procurement_method=ProcurementMethod.FREE_TRIAL,
        amount=Decimal("0.00"),
        currency="USD",
        summary=(
            "According to documents released to the ACLU of Northern California, Amazon "
            "provided the Rekognition pilot to the City of Orlando at no cost, together "
            "with free consulting from its own engineers on using the technology."
        ),
    )
    _write(orlando_contract, sources=cited, products=[product], deployments=[orlando_deployment])

    nda = _found_or_new(
        Nda,
        {"agency": wcso, "counterparty_vendor": aws},
        signatory="Washington County Sheriff's Office",
        scope=(
            "According to the ACLU of Northern California's account of the public-records "
            "documents, the Sheriff's Office signed a non-disclosure agreement with Amazon "
            "covering information about Rekognition, and the county cited it when "
            "withholding records."
        ),
        cited_to_withhold=YesNoUnknown.YES,
    )
    _write(nda, sources=cited)
    return cited
