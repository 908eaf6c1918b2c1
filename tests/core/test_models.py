import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.agencies.models import Agency
from apps.core.partial_dates import DatePrecision, PartialDate
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    DeploymentFactory,
    NdaFactory,
    ProductFactory,
    VendorAliasFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "display", "precision"),
    [
        ("2017", "2017", DatePrecision.YEAR),
        ("2017-05", "May 2017", DatePrecision.MONTH),
        ("2017-5", "May 2017", DatePrecision.MONTH),
        ("2017-05-20", "20 May 2017", DatePrecision.DAY),
    ],
)
def test_partial_date_parses_and_displays_each_precision(text, display, precision):
    partial = PartialDate.parse(text)
    assert partial.display == display
    assert partial.precision == precision
    assert PartialDate.parse(partial.iso) == partial


@pytest.mark.parametrize("text", ["", "17", "2017-13", "2017-02-30", "May 2017", "1850"])
def test_partial_date_rejects_bad_text_with_a_reason(text):
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse(text)
    assert text in excinfo.value.messages[0] or "date" in excinfo.value.messages[0]


def test_deployment_start_accessor_reads_both_columns():
    deployment = DeploymentFactory(
        start_date=datetime.date(2017, 5, 1), start_date_precision="month"
    )
    assert str(deployment.start) == "May 2017"
    assert deployment.end is None


def test_ori_is_unique_when_present_but_many_agencies_may_have_none():
    AgencyFactory(ori="")
    AgencyFactory(ori="")
    AgencyFactory(ori="OR0340000")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(ori="OR0340000")


def test_agency_full_clean_explains_bad_ori_region_and_half_coordinates():
    agency = AgencyFactory.build(ori="12345", region="ZZ", latitude=45, longitude=None)
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    errors = excinfo.value.message_dict
    assert "9 characters" in errors["ori"][0]
    assert "not a region of United States" in errors["region"][0]
    assert "both latitude and longitude" in errors["longitude"][0]


def test_database_refuses_end_before_start():
    deployment = DeploymentFactory()
    deployment.end_date = datetime.date(2010, 1, 1)
    deployment.end_date_precision = "year"
    with pytest.raises(IntegrityError), transaction.atomic():
        deployment.save()


def test_full_clean_refuses_end_before_start_with_a_message():
    deployment = DeploymentFactory.build(
        agency=AgencyFactory(), product=ProductFactory(), end_date=datetime.date(2010, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        deployment.full_clean()
    assert "cannot be before the start" in excinfo.value.message_dict["end_date"][0]


def test_deployment_vendor_must_be_the_products_vendor():
    product = ProductFactory()
    other_vendor = VendorFactory()
    deployment = DeploymentFactory.build(
        agency=AgencyFactory(), product=product, vendor=other_vendor
    )
    with pytest.raises(ValidationError) as excinfo:
        deployment.full_clean()
    assert f"is sold by {product.vendor}" in excinfo.value.message_dict["vendor"][0]


def test_deployment_vendor_follows_its_product_when_not_given():
    product = ProductFactory()
    deployment = DeploymentFactory(product=product, vendor=None)
    assert deployment.vendor == product.vendor


def test_nda_needs_exactly_one_counterparty_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        NdaFactory(counterparty_vendor=VendorFactory(), counterparty_agency=AgencyFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        NdaFactory(counterparty_vendor=None, counterparty_agency=None)


def test_nda_full_clean_explains_the_counterparty_rule():
    nda = NdaFactory.build(agency=AgencyFactory(), counterparty_vendor=None)
    with pytest.raises(ValidationError) as excinfo:
        nda.full_clean()
    assert "exactly one counterparty" in excinfo.value.message_dict["counterparty_vendor"][0]


def test_agency_slug_is_unique_and_readable():
    first = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    second = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    assert first.slug == "washington-county-sheriffs-office-or"
    assert second.slug == "washington-county-sheriffs-office-or-2"


def test_technology_taxonomy_is_seeded():
    from apps.technologies.models import Technology

    assert Technology.objects.count() == 15
    assert Technology.objects.filter(slug="face-recognition", name="Face Recognition").exists()


@pytest.mark.parametrize(
    ("factory", "alias_factory", "owner"),
    [(AgencyFactory, AgencyAliasFactory, "agency"), (VendorFactory, VendorAliasFactory, "vendor")],
)
def test_matching_name_finds_names_and_aliases_once_but_not_merged_duplicates(
    factory, alias_factory, owner
):
    record = factory(name="Acme")
    # An alias equal to the name must not return the record twice.
    alias_factory(**{owner: record, "name": "ACME"})
    alias_factory(**{owner: record, "name": "Acme Corp"})
    factory(name="acme corp", merged_into=record)
    model = type(record)
    assert list(model.objects.matching_name(" acme ")) == [record]
    assert list(model.objects.matching_name("ACME CORP")) == [record]
    assert not model.objects.matching_name("Acme Co").exists()


def test_agency_matching_name_keeps_to_the_region_when_given():
    oregon = AgencyFactory(name="Sheriff's Office", region="OR")
    washington = AgencyFactory(name="Sheriff's Office", region="WA")
    assert list(Agency.objects.matching_name("sheriff's office", " or ")) == [oregon]
    assert set(Agency.objects.matching_name("Sheriff's Office")) == {oregon, washington}


@pytest.mark.parametrize("factory", [AgencyFactory, VendorFactory])
def test_database_refuses_a_record_merged_into_itself(factory):
    record = factory()
    record.merged_into = record
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
