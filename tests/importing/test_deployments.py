import datetime
from decimal import Decimal

import pytest

from apps.agencies.models import Agency
from apps.deployments.models import Deployment
from apps.sources.models import Source
from apps.vendors.models import Product
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    DeploymentFactory,
    ProductFactory,
    SourceFactory,
    VendorAliasFactory,
    VendorFactory,
    technology,
)
from tests.importing.helpers import (
    db_state,
    deployment_row,
    import_data,
    refused,
    write_csv,
)

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, **kwargs):
    return write_csv(tmp_path, rows, kind="deployments", **kwargs)


def test_good_file_creates_and_links_every_record(tmp_path):
    path = write(
        tmp_path,
        [
            deployment_row(),
            deployment_row(
                agency="Orlando Police Department",
                agency_kind="Police department",
                region="FL",
                locality="Orlando",
                agency_ori="",
                latitude="",
                longitude="",
                technology="video-analytics",
                vendor="Acme Vision",
                product="",
                status="Pilot / trial",
                start_date="2017-12",
                end_date="2019-07-18",
                public_input="Yes",
                use_policy="",
                source_url="https://news.example.org/orlando",
                source_title="Orlando ends its pilot",
                source_publisher="",
                source_date="",
            ),
        ],
    )

    output = import_data("deployments", path)

    assert "Imported import.csv: 2 rows." in output
    assert "Deployments: 2 created, 0 matched, 0 rows skipped (nothing new)" in output
    assert "Agencies: 2 created, 0 matched" in output
    assert "Vendors: 2 created, 0 matched" in output
    assert "Products: 1 created, 0 matched" in output
    assert "Sources: 2 created, 0 matched, 2 citations added" in output

    sheriff = Agency.objects.get(ori="OR0340000")
    assert (sheriff.name, sheriff.kind, sheriff.region, sheriff.locality) == (
        "Washington County Sheriff's Office",
        "sheriff",
        "OR",
        "Hillsboro",
    )
    assert sheriff.latitude == Decimal("45.522894")
    assert sheriff.slug == "washington-county-sheriffs-office-or"
    rekognition = Product.objects.get(name="Rekognition")
    assert rekognition.vendor.name == "Amazon Web Services"
    assert list(rekognition.technologies.all()) == [technology("face-recognition")]

    deployment = Deployment.objects.get(agency=sheriff)
    assert deployment.product == rekognition
    assert deployment.vendor == rekognition.vendor
    assert deployment.technology == technology("face-recognition")
    assert (deployment.status, str(deployment.start), deployment.end) == ("active", "2017", None)
    assert (deployment.public_input, deployment.use_policy) == ("no", "no")
    source = Source.objects.get(url="https://news.example.org/wcso-rekognition")
    assert list(deployment.sources.all()) == [source]
    assert (source.title, source.publisher, source.kind) == (
        "Amazon sells face recognition to police",
        "Example News",
        "other",
    )
    assert source.publication.iso == "2018-05-22"
    # New agencies, vendors and products cite the source that names them.
    assert list(sheriff.sources.all()) == [source]
    assert list(rekognition.vendor.sources.all()) == [source]
    assert list(rekognition.sources.all()) == [source]

    pilot = Deployment.objects.get(agency__name="Orlando Police Department")
    assert (pilot.agency.kind, pilot.agency.ori, pilot.agency.latitude) == ("police", "", None)
    assert pilot.vendor.name == "Acme Vision"
    assert pilot.product is None
    assert pilot.technology == technology("video-analytics")
    assert (pilot.status, pilot.start.iso, pilot.end.iso) == ("pilot", "2017-12", "2019-07-18")
    assert (pilot.public_input, pilot.use_policy) == ("yes", "unknown")


def test_rows_of_one_deployment_give_its_several_sources(tmp_path):
    path = write(
        tmp_path,
        [
            deployment_row(),
            deployment_row(source_url="https://records.example.org/emails", source_title="Emails"),
            deployment_row(source_url="https://records.example.org/contract", source_title="PO"),
        ],
    )

    output = import_data("deployments", path)

    assert "Deployments: 1 created, 0 matched" in output
    assert "Sources: 3 created, 0 matched, 3 citations added" in output
    deployment = Deployment.objects.get()
    assert sorted(deployment.sources.values_list("url", flat=True)) == [
        "https://news.example.org/wcso-rekognition",
        "https://records.example.org/contract",
        "https://records.example.org/emails",
    ]


def test_importing_the_same_file_twice_creates_nothing(tmp_path):
    path = write(
        tmp_path,
        [
            deployment_row(),
            deployment_row(source_url="https://records.example.org/emails", source_title="Emails"),
            deployment_row(technology="Drones", product="", vendor="", start_date=""),
        ],
    )
    import_data("deployments", path)
    before = db_state()

    output = import_data("deployments", path)

    assert db_state() == before
    assert "Deployments: 0 created, 2 matched, 3 rows skipped (nothing new)" in output
    assert "Agencies: 0 created, 1 matched" in output
    assert "Sources: 0 created, 2 matched, 0 citations added" in output


def test_dry_run_reports_and_changes_nothing(tmp_path):
    path = write(tmp_path, [deployment_row()])
    before = db_state()

    output = import_data("deployments", path, dry_run=True)

    assert db_state() == before
    assert "Dry run of import.csv: 1 row, all valid. Nothing was saved" in output
    assert "Deployments: 1 created, 0 matched" in output


def test_a_matched_deployment_gets_the_new_source_and_keeps_its_values(tmp_path):
    agency = AgencyFactory(ori="OR0340000")
    existing = DeploymentFactory(agency=agency, status="pilot", summary="Stored summary.")
    path = write(
        tmp_path,
        [
            deployment_row(
                vendor=existing.vendor.name,
                product=existing.product.name,
                status="active",
                summary="Another summary.",
            )
        ],
    )

    output = import_data("deployments", path)

    existing.refresh_from_db()
    assert (existing.status, existing.summary) == ("pilot", "Stored summary.")
    assert existing.sources.filter(url="https://news.example.org/wcso-rekognition").exists()
    assert "Deployments: 0 created, 1 matched, 0 rows skipped" in output
    assert f"line 2: kept deployment #{existing.pk} as stored; the file's status, summary" in output


def test_agency_is_matched_by_ori_before_its_name(tmp_path):
    agency = AgencyFactory(name="WCSO", ori="OR0340000", region="OR")

    import_data("deployments", write(tmp_path, [deployment_row(agency_ori="or0340000")]))

    assert Agency.objects.count() == 1
    assert Deployment.objects.get().agency == agency


def test_agency_is_matched_by_name_or_alias_within_the_region(tmp_path):
    by_name = AgencyFactory(name="Orlando Police Department", region="FL")
    by_alias = AgencyAliasFactory(name="WCSO", agency__region="OR").agency
    AgencyFactory(name="WCSO", region="WA")  # the same name elsewhere is another agency
    path = write(
        tmp_path,
        [
            deployment_row(agency="orlando police department", region="FL", agency_ori=""),
            deployment_row(agency="WCSO", region="OR", agency_ori="", technology="Drones"),
            deployment_row(agency="WCSO", region="CA", agency_ori="", technology="Drones"),
        ],
    )

    output = import_data("deployments", path)

    assert "Agencies: 1 created, 2 matched" in output
    assert Deployment.objects.filter(agency=by_name).count() == 1
    assert Deployment.objects.filter(agency=by_alias).count() == 1
    assert Agency.objects.get(name="WCSO", region="CA").kind == "sheriff"


def test_an_ori_given_in_the_file_does_not_take_an_agency_with_another_ori(tmp_path):
    AgencyFactory(name="Washington County Sheriff's Office", region="OR", ori="OR0349999")

    error = refused("deployments", write(tmp_path, [deployment_row()]))

    assert "line 2: agency_ori: no agency has the ORI OR0340000" in error
    assert "another ORI" in error


def test_an_ambiguous_agency_name_is_a_bad_row(tmp_path):
    AgencyFactory(name="Sheriff's Office", region="OR")
    AgencyFactory(name="Sheriff's Office", region="WA")
    path = write(tmp_path, [deployment_row(agency="Sheriff's Office", region="", agency_ori="")])

    error = refused("deployments", path)

    assert "line 2: agency: “Sheriff's Office” matches 2 agencies" in error


def test_vendor_is_matched_by_alias_and_product_within_the_vendor(tmp_path):
    vendor = VendorAliasFactory(name="AWS").vendor
    product = ProductFactory(vendor=vendor, name="Rekognition", technologies=[])
    ProductFactory(name="Rekognition")  # another vendor's product of the same name
    path = write(tmp_path, [deployment_row(vendor="aws", product="REKOGNITION")])

    output = import_data("deployments", path)

    assert "Vendors: 0 created, 1 matched" in output
    assert "Products: 0 created, 1 matched" in output
    deployment = Deployment.objects.get()
    assert (deployment.vendor, deployment.product) == (vendor, product)
    assert list(product.technologies.all()) == [technology("face-recognition")]


def test_a_product_without_a_vendor_needs_exactly_one_product_of_that_name(tmp_path):
    only = ProductFactory(name="ShotSpotter Flex")
    ProductFactory(name="Stingray")
    ProductFactory(name="Stingray")
    path = write(
        tmp_path,
        [
            deployment_row(vendor="", product="ShotSpotter Flex", technology="Gunshot Detection"),
            deployment_row(vendor="", product="Stingray", technology="Cell-site Simulator"),
            deployment_row(vendor="", product="Unheard Of", technology="Drones"),
        ],
    )

    error = refused("deployments", path)

    assert "line 3: vendor: 2 vendors sell a product called “Stingray”" in error
    assert "line 4: vendor: no product is called “Unheard Of” yet" in error
    assert "line 2" not in error

    import_data(
        "deployments", write(tmp_path, [deployment_row(vendor="", product="ShotSpotter Flex")])
    )
    deployment = Deployment.objects.get()
    assert (deployment.product, deployment.vendor) == (only, only.vendor)


def test_a_new_product_named_like_another_vendors_is_noted(tmp_path):
    ProductFactory(name="Rekognition", vendor=VendorFactory(name="Amazon"))

    output = import_data("deployments", write(tmp_path, [deployment_row()]))

    assert "line 2: a product “Rekognition” was created for Amazon Web Services" in output
    assert Product.objects.filter(name="Rekognition").count() == 2


def test_an_existing_source_is_matched_by_url_and_not_changed(tmp_path):
    source = SourceFactory(url="https://news.example.org/wcso-rekognition", title="Stored")

    output = import_data("deployments", write(tmp_path, [deployment_row()]))

    assert "Sources: 0 created, 1 matched, 1 citation added" in output
    source.refresh_from_db()
    assert source.title == "Stored"
    assert list(Deployment.objects.get().sources.all()) == [source]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"start_date": "2017-13"}, "start_date: “2017-13” is not a real date"),
        ({"start_date": "May 2017"}, "start_date: “May 2017” is not a date: use YYYY"),
        ({"source_date": "2018/05/22"}, "source_date: “2018/05/22” is not a date"),
        ({"technology": "Facial Recog"}, "technology: “Facial Recog” is not a known technology"),
        ({"technology": ""}, "technology: this column must not be empty"),
        ({"agency": ""}, "agency: this column must not be empty"),
        (
            {"status": "live"},
            "status: “live” is not an accepted value; use one of: proposed, pilot (Pilot / "
            "trial), active, suspended, discontinued, banned.",
        ),
        ({"agency_kind": "cops"}, "agency_kind: “cops” is not an accepted value"),
        ({"public_input": "maybe"}, "public_input: “maybe” is not an accepted value"),
        ({"use_policy": "y"}, "use_policy: “y” is not an accepted value"),
        ({"agency_ori": "OR12"}, "agency_ori: An ORI is 9 characters"),
        ({"region": "ZZ"}, "region: No region of United States has the code “ZZ”"),
        ({"country": "XX"}, "country: No country is called or coded “XX”"),
        ({"latitude": "91"}, "latitude: Ensure this value is less than or equal to 90."),
        ({"latitude": "north"}, "latitude: “north” is not a number"),
        ({"longitude": ""}, "longitude: give both latitude and longitude, or neither."),
        ({"end_date": "2016-12"}, "end_date: 2016-12 is before the start_date 2017."),
        ({"source_url": ""}, "source_url: this column must not be empty: a published record"),
        ({"source_url": "not a url"}, "source_url: Enter a valid URL."),
        (
            {"source_title": "", "source_url": "https://news.example.org/untitled"},
            "source_title: a new source needs a title",
        ),
        ({"product": "x" * 201}, "product: Ensure this value has at most 200 characters"),
    ],
)
def test_each_bad_cell_refuses_the_file_with_its_line_and_reason(tmp_path, cells, message):
    path = write(tmp_path, [deployment_row(technology="Drones"), deployment_row(**cells)])

    error = refused("deployments", path)

    assert error.startswith("Refused import.csv: 1 bad row of 2; nothing was imported.")
    assert f"line 3: {message}" in error


def test_every_bad_row_is_reported_and_nothing_is_imported(tmp_path):
    path = write(
        tmp_path,
        [
            deployment_row(),
            deployment_row(start_date="20017", technology="Drones"),
            deployment_row(technology="Drones", source_url="https://a.example.org/x"),
            deployment_row(status="on", public_input="maybe", technology="Drones"),
            deployment_row(technology="Drones", vendor="", product="Unheard Of"),
        ],
    )

    error = refused("deployments", path)

    assert error.splitlines() == [
        "Refused import.csv: 3 bad rows of 5; nothing was imported.",
        "line 3: start_date: “20017” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.",
        "line 5: status: “on” is not an accepted value; use one of: proposed, pilot (Pilot / "
        "trial), active, suspended, discontinued, banned.",
        "line 5: public_input: “maybe” is not an accepted value; use one of: yes, no, unknown.",
        "line 6: vendor: no product is called “Unheard Of” yet, so the vendor must be given.",
    ]
    assert not Deployment.objects.exists()


def test_dry_run_of_a_bad_file_is_refused_too(tmp_path):
    error = refused("deployments", write(tmp_path, [deployment_row(status="on")]), dry_run=True)

    assert "line 2: status:" in error


def test_a_database_error_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    from django.db import IntegrityError

    from apps.importing.kinds.deployments import DeploymentImporter

    original_save = DeploymentImporter.save

    def save_then_fail(self, row, resolver):
        original_save(self, row, resolver)
        if row.line == 3:
            raise IntegrityError("duplicate key value")

    monkeypatch.setattr(DeploymentImporter, "save", save_then_fail)
    path = write(tmp_path, [deployment_row(), deployment_row(technology="Drones")])

    error = refused("deployments", path)

    assert (
        "line 3: the database refused the row (duplicate key value); the import stopped." in error
    )


def test_a_created_deployment_with_a_date_only_known_to_the_month(tmp_path):
    import_data("deployments", write(tmp_path, [deployment_row(start_date="2017-5")]))

    deployment = Deployment.objects.get()
    assert deployment.start_date == datetime.date(2017, 5, 1)
    assert deployment.start_date_precision == "month"


def test_large_files_do_not_write_a_progress_bar_when_not_on_a_terminal(tmp_path):
    rows = [
        deployment_row(source_url=f"https://news.example.org/{n}", source_title=f"Story {n}")
        for n in range(520)
    ]

    output = import_data("deployments", write(tmp_path, rows))  # asserts stderr is empty

    assert "Deployments: 1 created" in output
    assert "Sources: 520 created, 0 matched, 520 citations added" in output


@pytest.mark.parametrize(
    ("cells", "place"),
    [
        ({"region": "Oregon"}, ("US", "OR")),
        ({"region": "us-or"}, ("US", "OR")),
        ({"country": "United States", "region": "oregon"}, ("US", "OR")),
        ({"country": "Mexico", "region": "Ciudad de Mexico", "agency_ori": ""}, ("MX", "CMX")),
    ],
)
def test_a_place_is_taken_as_a_code_or_a_name_and_stored_as_the_code(tmp_path, cells, place):
    import_data("deployments", write(tmp_path, [deployment_row(**cells)]))
    agency = Agency.objects.get()
    assert (agency.country, agency.region) == place


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"region": "Atlantis"},
            "region: No region of United States is called or coded “Atlantis”",
        ),
        ({"region": "Ontario"}, "region: No region of United States is called or coded “Ontario”"),
        ({"country": "Narnia", "region": "Oregon"}, "country: No country is called or coded"),
    ],
)
def test_an_unknown_place_is_one_message_for_its_cell(tmp_path, cells, message):
    error = refused("deployments", write(tmp_path, [deployment_row(**cells)]))
    problems = [line for line in error.splitlines() if line.startswith("line 2:")]
    assert len(problems) == 1 and message in problems[0], error
