"""The motivating case of the demo data, as real, cited records: Amazon Rekognition at the
Washington County Sheriff's Office and the Orlando Police Department, from the ACLU of
Northern California's May 2018 reporting: the deployments, contracts, NDA and the absence of
any public process before acquisition (a "no public process found" finding per deployment),
all citing the real sources. The records requests about it, filed in three states (the
Sheriff's Office's refusal citing its NDA with AWS, Orlando's partial release, a fictional
California sheriff's "no responsive documents") and those states' response deadlines are
illustrations the reporting does not detail: fictional, citing made-up documents on
records.example.org, and they say so.

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
from apps.core.history import PINPOINTS, pinpoint, pinpoints_of
from apps.core.models import YesNoUnknown
from apps.core.partial_dates import DatePrecision, PartialDate
from apps.core.slugs import unique_slug
from apps.deployments.models import Deployment, DeploymentStatus
from apps.oversight.models import EventKind, Outcome, OversightEvent
from apps.records.services import record_save
from apps.records_requests.models import DayKind, RecordsRequest, RequestStatus, ResponseDeadline
from apps.sources.models import Source, SourceKind
from apps.vendors.models import Product, Vendor

from . import DEMO_LINKS_REASON, INITIAL_VERSION_REASON
from .documents import fictional_pdf

CASE_TECHNOLOGIES = ["face-recognition", "video-analytics"]

ACLU_BLOG_URL = (
    "https://www.aclunc.org/blog/"
    "amazon-teams-government-deploy-dangerous-new-facial-recognition-technology"
)
ACLU_RECORDS_URL = "https://www.aclunc.org/docs/20180522_ARD.pdf"
ACLU = "ACLU of Northern California"
# Words of the ACLU's post (checked against a copy of it), quoted by the citations of the
# facts they support. A web page has no pages: these citations have a quote only.
ACLU_QUOTE_VENDOR = (
    "The company has developed a powerful and dangerous new facial recognition system and is "
    "actively helping governments deploy it."
)
ACLU_QUOTE_PRODUCT = (
    "Powered by artificial intelligence, Rekognition can identify, track, and analyze people "
    "in real time and recognize up to 100 people in a single image."
)
ACLU_DATE = PartialDate(datetime.date(2018, 5, 22), DatePrecision.DAY)
REKOGNITION = "Amazon Rekognition"
WCSO_CONTRACT_TITLE = "Amazon Rekognition service for the Sheriff's Office"
ORLANDO_CONTRACT_TITLE = "Amazon Rekognition pilot and no-cost consulting"

# The case's records requests are illustrations (the real reporting names no request, its
# requester or its answer): fictional, on records.example.org, and they say so.
CASE_RECORDS_URL = "https://records.example.org/rekognition-case/"
CASE_REQUESTER = "Example Public Records Project"
CASE_CA_SHERIFF = "Laurel Bay County Sheriff's Office"
CASE_CA_SHERIFF_CONTACT = (
    "The Laurel Bay County Sheriff's Office, Laurel Bay, California, answers public-records "
    "requests through its records unit."
)
CASE_FICTION_MARK = "[Fictional demo record: an illustration of the case.]"
CASE_FICTION = (
    "Fictional document generated for the demo data set, illustrating how the Amazon "
    "Rekognition case's records requests are recorded."
)
DEMO_STATUTE_NOTE = "[Demo data: check the statute before relying on it.]"
# (region, days, counted in, statute, notes): the states the case's requests went to.
CASE_DEADLINES = [
    (
        "CA",
        10,
        DayKind.CALENDAR,
        "Cal. Gov. Code § 7922.535 (demo citation)",
        "The agency decides within 10 days whether it will disclose the records and says "
        "so; it may extend by 14 days in unusual circumstances.",
    ),
    (
        "FL",
        10,
        DayKind.BUSINESS,
        "Fla. Stat. § 119.07(1) (demo citation)",
        "The statute asks for a prompt answer in a reasonable time and sets no number of "
        "days; the demo uses 10 business days to show how a due date is computed.",
    ),
    (
        "OR",
        5,
        DayKind.BUSINESS,
        "ORS 192.329 (demo citation)",
        "The agency acknowledges the request within 5 business days, and completes it as "
        "soon as practicable, within 10 business days of the acknowledgement as a rule.",
    ),
]
CASE_REQUESTS = [
    {
        "region": "OR",
        "slug": "washington-county-sheriff-rekognition",
        "subject": "The non-disclosure agreement with Amazon Web Services about Rekognition, "
        "and the Sheriff's Office's records of its Rekognition searches",
        "filed": datetime.date(2018, 6, 4),
        "closed": datetime.date(2018, 6, 29),
        "status": RequestStatus.DENIED,
        "exemptions": "ORS 192.345(2) (trade secrets); ORS 192.355(4) (information "
        "submitted in confidence) (demo citations)",
        "outcome": "Refused in full: the Sheriff's Office cited its non-disclosure agreement "
        "with Amazon Web Services and withheld the agreement's terms and the search records.",
        "cites_nda": True,
        "released": False,
        "sources": [
            (
                "letters/2018-06-04-washington-county",
                "Public-records request to the Washington County Sheriff's Office about "
                "Amazon Rekognition",
                datetime.date(2018, 6, 4),
            ),
            (
                "letters/2018-06-29-washington-county-denial",
                "Washington County Sheriff's Office: denial of the request about Rekognition",
                datetime.date(2018, 6, 29),
            ),
        ],
    },
    {
        "region": "FL",
        "slug": "orlando-police-rekognition",
        "subject": "Records of the Orlando Police Department's Amazon Rekognition pilot: "
        "agreements, correspondence with Amazon, camera locations",
        "filed": datetime.date(2018, 6, 11),
        "closed": datetime.date(2018, 8, 20),
        "status": RequestStatus.PARTIALLY_FULFILLED,
        "exemptions": "Fla. Stat. § 119.071(3)(a) (security and surveillance system "
        "plans) (demo citation)",
        "outcome": "Released the pilot's agreement and correspondence with Amazon; withheld "
        "the camera locations.",
        "cites_nda": False,
        "released": True,
        "sources": [
            (
                "letters/2018-06-11-orlando",
                "Public-records request to the Orlando Police Department about Amazon Rekognition",
                datetime.date(2018, 6, 11),
            ),
            (
                "releases/2018-08-20-orlando",
                "Orlando Police Department: Rekognition pilot records released",
                datetime.date(2018, 8, 20),
            ),
        ],
    },
    {
        "region": "CA",
        "slug": "laurel-bay-county-sheriff-rekognition",
        "subject": "Any records of the Sheriff's Office's use, trial or purchase of Amazon "
        "Rekognition or other face recognition services",
        "filed": datetime.date(2018, 6, 18),
        "closed": datetime.date(2018, 6, 28),
        "status": RequestStatus.NO_RESPONSIVE_DOCUMENTS,
        "exemptions": "",
        "outcome": "The Sheriff's Office answered that it holds no records of Rekognition.",
        "cites_nda": False,
        "released": False,
        "sources": [
            (
                "letters/2018-06-18-laurel-bay",
                "Public-records request to the Laurel Bay County Sheriff's Office about "
                "Amazon Rekognition",
                datetime.date(2018, 6, 18),
            ),
            (
                "letters/2018-06-28-laurel-bay-answer",
                "Laurel Bay County Sheriff's Office: no responsive records",
                datetime.date(2018, 6, 28),
            ),
        ],
    },
]
# The states whose deadlines the case writes (the generated plan leaves them out).
CASE_REGIONS = frozenset(region for region, *_ in CASE_DEADLINES)


def _write(record, *, aliases=(), pinpoints=None, **links):
    """Save `record` with its links and aliases through the write gateway, as ONE
    version; `pinpoints` ({source: (page, quote)}) say where in its sources the facts are.
    A record that exists already (a volunteer's, or a previous load's) only gains what it
    lacks (links, aliases, pinpoints of citations that have none), in one version, and
    nothing at all when it lacks nothing: a second load writes no version."""
    wanted = {str(source.pk): pinpoint(*where) for source, where in (pinpoints or {}).items()}
    if record.pk is None:
        record_save(
            record=record,
            user=None,
            summary=INITIAL_VERSION_REASON,
            links={**links, PINPOINTS: wanted} if wanted else links,
            aliases=sorted(aliases) if hasattr(record, "aliases") else None,
        )
        return record
    merged = {name: set(getattr(record, name).all()) for name in links}
    missing = {name: set(values) - merged[name] for name, values in links.items()}
    names = set(record.aliases.values_list("name", flat=True)) if aliases else set()
    stored = pinpoints_of(record) if wanted else {}
    new_pinpoints = {key: pin for key, pin in wanted.items() if key not in stored}
    if not any(missing.values()) and set(aliases) <= names and not new_pinpoints:
        return record
    new_links = {name: [*merged[name], *missing[name]] for name in links}
    if new_pinpoints:
        new_links[PINPOINTS] = {**new_pinpoints, **stored}
    record_save(
        record=record,
        user=None,
        summary=DEMO_LINKS_REASON,
        links=new_links,
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
    _write(
        amazon,
        aliases=["Amazon.com"],
        sources=cited,
        pinpoints={blog: (None, ACLU_QUOTE_VENDOR)},
    )
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
    _write(
        product,
        technologies=[face, video],
        sources=cited,
        pinpoints={blog: (None, ACLU_QUOTE_PRODUCT)},
    )

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
    _write(wcso_deployment, sources=cited, pinpoints={blog: (None, ACLU_QUOTE_VENDOR)})
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
    _write(orlando_deployment, sources=cited, pinpoints={blog: (None, ACLU_QUOTE_VENDOR)})

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
    # The refusal that cited the NDA is also the evidence that it was cited to withhold
    # records: the NDA cites its page too.
    (refusal_spec,) = [spec for spec in CASE_REQUESTS if spec["cites_nda"]]
    refusal = _answer(refusal_spec)
    _write(nda, sources=[*cited, refusal], pinpoints={refusal: (2, refusal_spec["outcome"])})

    deployments = {"wcso": wcso_deployment, "orlando": orlando_deployment}
    contracts = {"wcso": wcso_contract, "orlando": orlando_contract}
    _load_public_process(cited, deployments, contracts)
    _load_records_requests(wcso, orlando, nda)
    return cited


def _load_public_process(cited, deployments, contracts):
    """The absence of any public process before acquisition, as a citable finding per
    deployment (a researcher's, dated by the research: the ACLU's report), from the real
    sources, which say the documents show no public hearing or other public input."""
    for key, where in (("wcso", "Washington County"), ("orlando", "the City of Orlando")):
        deployment = deployments[key]
        finding = _found_or_new(
            OversightEvent,
            {
                "agency": deployment.agency,
                "kind": EventKind.NO_PUBLIC_PROCESS,
                "occurred_date": ACLU_DATE.date,
            },
            dates={"occurred": ACLU_DATE},
            summary=(
                f"The public-records documents released to the ACLU of Northern California "
                f"by {where} were searched for a proposal, a public hearing, a comment period "
                f"or a vote of the governing body on Amazon Rekognition before it was "
                f"acquired: they show none."
            ),
            outcome=Outcome.UNKNOWN,
            public_comment=YesNoUnknown.UNKNOWN,
        )
        _write(finding, sources=cited, deployments=[deployment], contracts=[contracts[key]])


def _case_source(path, title, published, *, pages, kind=SourceKind.RECORDS_RELEASE, publisher=""):
    """A made-up document of the case's illustrative records requests, on
    records.example.org (where only the demo's fictional documents live), uploaded as a PDF
    of `pages` (one text each) so that its citations can name their page."""
    source = Source.objects.filter(url=f"{CASE_RECORDS_URL}{path}").first()
    if source is None:
        source = Source(
            url=f"{CASE_RECORDS_URL}{path}",
            title=title,
            publisher=publisher or CASE_REQUESTER,
            kind=kind,
            notes=CASE_FICTION,
            document=fictional_pdf(title, pages, notice=CASE_FICTION),
        )
        source.publication = published
        _write(source)
    return source


def _answer(spec):
    """The agency's answer to one of the case's requests (CASE_REQUESTS): its second page
    holds the decision, the page its citations name."""
    (_, _, filed), (path, title, date) = spec["sources"]
    return _case_source(
        path,
        title,
        PartialDate(date, DatePrecision.DAY),
        kind=SourceKind.RECORDS_RELEASE if spec["released"] else SourceKind.OTHER,
        pages=[
            f"To {CASE_REQUESTER}. Re: your public-records request of {filed:%B} "
            f"{filed.day}, {filed.year}.",
            spec["outcome"],
        ],
    )


def _deadline_text(region, days, day_kind, statute, notes):
    return f"{region}: {days} {day_kind.label.lower()} days ({statute}). {notes}"


def _load_deadlines(guide):
    """The response deadlines of the three states the case's requests went to, each citing
    the guide's page about its state."""
    for page, (region, days, day_kind, statute, notes) in enumerate(CASE_DEADLINES, start=1):
        deadline = _found_or_new(
            ResponseDeadline,
            {"country": "US", "region": region},
            days=days,
            day_kind=day_kind,
            statute=statute,
            notes=f"{notes} {DEMO_STATUTE_NOTE}",
        )
        _write(deadline, sources=[guide], pinpoints={guide: (page, notes)})


def _load_records_requests(wcso, orlando, nda):
    """The records requests about Rekognition filed in three states, after the ACLU's
    report, by one (fictional) requester: the Sheriff's Office refused citing its NDA with
    AWS; Orlando released part; a California sheriff had no responsive documents.
    Illustrations of how the case is recorded, citing made-up documents: the requests, the
    requester and the California sheriff are fictional, and say so."""
    guide = _case_source(
        "guides/response-deadlines",
        "How long agencies have to answer a public-records request, state by state",
        PartialDate(datetime.date(2018, 1, 15), DatePrecision.DAY),
        kind=SourceKind.REPORT,
        pages=[_deadline_text(*deadline) for deadline in CASE_DEADLINES],
    )
    _load_deadlines(guide)
    laurel = _agency_by_name(
        CASE_CA_SHERIFF,
        "CA",
        kind=AgencyKind.SHERIFF,
        jurisdiction_level=JurisdictionLevel.COUNTY,
        country="US",
        locality="Laurel Bay",
        latitude=Decimal("38.104000"),
        longitude=Decimal("-122.256000"),
        description=(
            "A fictional sheriff's office of the demo data set, standing for the agencies in "
            "other states that the requests about Amazon Rekognition reached; the place, the "
            "agency and its records do not exist."
        ),
    )
    laurel_page = _case_source(
        "agencies/laurel-bay-county-sheriff",
        "Laurel Bay County Sheriff's Office: public-records contacts",
        PartialDate(datetime.date(2018, 3, 1), DatePrecision.MONTH),
        kind=SourceKind.GOVERNMENT_DOCUMENT,
        publisher=CASE_CA_SHERIFF,
        pages=[CASE_CA_SHERIFF_CONTACT],
    )
    _write(laurel, sources=[laurel_page], pinpoints={laurel_page: (1, CASE_CA_SHERIFF_CONTACT)})

    for spec in CASE_REQUESTS:
        agency = {"OR": wcso, "FL": orlando, "CA": laurel}[spec["region"]]
        (letter_path, letter_title, filed), _answer_source = spec["sources"]
        letter = _case_source(
            letter_path,
            letter_title,
            PartialDate(filed, DatePrecision.DAY),
            kind=SourceKind.OTHER,
            pages=[
                f"To the records officer of the {agency.name}. Under the state's "
                f"public-records law, {CASE_REQUESTER} asks for: {spec['subject']}"
            ],
        )
        answer = _answer(spec)
        released = [answer] if spec["released"] else []
        request = _found_or_new(
            RecordsRequest,
            {"agency": agency, "requester": CASE_REQUESTER, "subject": spec["subject"]},
            dates={
                "filed": PartialDate(spec["filed"], DatePrecision.DAY),
                "closed": PartialDate(spec["closed"], DatePrecision.DAY),
            },
            status=spec["status"],
            exemptions=spec["exemptions"],
            outcome=f"{spec['outcome']} {CASE_FICTION_MARK}",
            external_url=f"{CASE_RECORDS_URL}requests/{spec['slug']}",
        )
        _write(
            request,
            sources=[letter, answer],
            pinpoints={letter: (1, spec["subject"]), answer: (2, spec["outcome"])},
            released_documents=released,
            ndas_cited=[nda] if spec["cites_nda"] else [],
        )
