"""Merging duplicate agencies and vendors: every reference moves, the duplicate redirects to
the survivor, both histories record it, and impossible merges are refused untouched."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.agencies.models import Agency
from apps.contracts.models import Contract, Nda
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.records.merging import merge_preview, merge_records
from apps.records.models import ChangeAction, ChangeRequest, ChangeStatus
from apps.vendors.models import Product, Vendor
from tests.factories import (
    AgencyAliasFactory,
    AgencyFactory,
    ContractFactory,
    DeploymentFactory,
    NdaFactory,
    OversightEventFactory,
    ProductFactory,
    RecordsRequestFactory,
    SourceFactory,
    VendorAliasFactory,
    VendorFactory,
    sign_in,
    technology,
)

pytestmark = pytest.mark.django_db


def reload(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def agency_pair():
    survivor = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    AgencyAliasFactory(agency=survivor, name="WCSO")
    duplicate = AgencyFactory(name="Washington Co. Sheriff", region="OR")
    AgencyAliasFactory(agency=duplicate, name="wcso")  # the survivor has it already
    AgencyAliasFactory(agency=duplicate, name="Washington County Sheriff's Office")  # its name
    AgencyAliasFactory(agency=duplicate, name="Washington County Sheriff")
    return duplicate, survivor


@pytest.fixture
def agency_references(agency_pair):
    duplicate, _survivor = agency_pair
    federal = AgencyFactory(name="Federal Bureau of Example", region="")
    return {
        "deployment": DeploymentFactory(agency=duplicate),
        "contract": ContractFactory(agency=duplicate),
        "nda": NdaFactory(agency=duplicate),
        "counterparty_nda": NdaFactory(
            agency=federal, counterparty_vendor=None, counterparty_agency=duplicate
        ),
        "child": AgencyFactory(name="Washington County Jail", parent=duplicate),
        "pending_deployment": DeploymentFactory(agency=duplicate, visibility=Visibility.PENDING),
        "records_request": RecordsRequestFactory(agency=duplicate),
        "oversight_event": OversightEventFactory(agency=duplicate),
    }


@pytest.fixture
def vendor_pair():
    survivor = VendorFactory(name="Cloud Vision")
    duplicate = VendorFactory(name="Cloud Vision Inc.")
    VendorAliasFactory(vendor=duplicate, name="CVI")
    return duplicate, survivor


# The service -----------------------------------------------------------------------------


def test_merging_agencies_moves_every_reference(agency_pair, agency_references, reviewer):
    duplicate, survivor = agency_pair
    survivor_sources = set(survivor.sources.all())
    extra_source = SourceFactory()
    duplicate.sources.add(extra_source)

    change = merge_records(
        duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same office"
    )

    refs = {name: reload(record) for name, record in agency_references.items()}
    assert refs["deployment"].agency == survivor
    assert refs["pending_deployment"].agency == survivor
    assert refs["pending_deployment"].visibility == Visibility.PENDING  # moved, not published
    assert refs["contract"].agency == survivor
    assert refs["nda"].agency == survivor
    assert refs["counterparty_nda"].counterparty_agency == survivor
    assert refs["child"].parent == survivor
    assert refs["records_request"].agency == survivor
    assert refs["oversight_event"].agency == survivor
    assert not Deployment.objects.filter(agency=duplicate).exists()
    assert not Contract.objects.filter(agency=duplicate).exists()
    assert not Nda.objects.filter(agency=duplicate).exists()
    assert not Nda.objects.filter(counterparty_agency=duplicate).exists()

    survivor.refresh_from_db()
    assert sorted(survivor.aliases.values_list("name", flat=True)) == [
        "WCSO",
        "Washington Co. Sheriff",
        "Washington County Sheriff",
    ]
    assert set(survivor.sources.all()) == survivor_sources | set(reload(duplicate).sources.all())
    assert extra_source in survivor.sources.all()

    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.visibility == Visibility.WITHDRAWN
    assert duplicate.aliases.count() == 3  # copied, not taken away

    assert change.action == ChangeAction.MERGE
    assert change.status == ChangeStatus.APPROVED
    assert change.record == survivor
    assert change.author == reviewer and change.reviewer == reviewer
    assert change.version == survivor.history.latest("history_id").history_id
    assert "Washington Co. Sheriff into Washington County Sheriff's Office" in change.summary
    assert ChangeRequest.objects.filter(action=ChangeAction.MERGE).count() == 1


def test_merge_is_in_the_history_of_everything_it_touched(agency_pair, agency_references, reviewer):
    duplicate, survivor = agency_pair
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same office")
    expected = "Agency merged: Washington Co. Sheriff into Washington County Sheriff's Office"

    for record in [survivor, duplicate, *agency_references.values()]:
        version = record.history.latest("history_id")
        assert version.history_change_reason.startswith(expected), record
        assert version.history_user == reviewer
        assert version.approved_by == reviewer

    survivor_version = survivor.history.latest("history_id")
    assert "Washington Co. Sheriff" in survivor_version.relations["aliases"]
    duplicate_version = duplicate.history.latest("history_id")
    assert "Washington County Sheriff" in duplicate_version.relations["aliases"]
    assert duplicate_version.merged_into_id == survivor.pk
    assert duplicate_version.visibility == Visibility.WITHDRAWN

    # The moved deployment's public history page says who merged it.
    deployment = agency_references["deployment"]
    page = Client().get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Agency merged: Washington Co. Sheriff into Washington County" in page
    assert "Rita Reviewer" in page


def test_records_merged_into_the_duplicate_earlier_now_point_to_the_survivor(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    earliest = AgencyFactory(name="Washington Cnty Sheriff")
    merge_records(duplicate=earliest, survivor=duplicate, reviewer=reviewer, reason="Typo")
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    earliest.refresh_from_db()
    assert earliest.merged_into == survivor
    assert "Washington Cnty Sheriff" in survivor.aliases.values_list("name", flat=True)
    response = Client().get(earliest.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_pending_changes_to_the_duplicate_are_rejected_with_a_reason(
    agency_pair, volunteer, reviewer
):
    duplicate, survivor = agency_pair
    pending = ChangeRequest.objects.create(
        record=duplicate, action=ChangeAction.UPDATE, author=volunteer, summary="Fix website"
    )
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    pending.refresh_from_db()
    assert pending.status == ChangeStatus.REJECTED
    assert "merged into" in pending.review_reason


def test_merging_vendors_moves_every_reference(vendor_pair, reviewer):
    duplicate, survivor = vendor_pair
    product = ProductFactory(vendor=duplicate, name="Recognize")
    by_product = DeploymentFactory(product=product)
    by_vendor = DeploymentFactory(product=None, vendor=duplicate, technology=technology("drones"))
    contract = ContractFactory(vendor=duplicate)
    contract.products.add(product)
    nda = NdaFactory(counterparty_vendor=duplicate)
    subsidiary = VendorFactory(name="Cloud Vision Europe", parent=duplicate)

    assert dict(merge_preview(duplicate)) == {
        "Products": 1,
        "Deployments": 2,
        "Contracts": 1,
        "NDAs": 1,
        "Subsidiaries": 1,
        "Records merged into it earlier": 0,
        "Other names (its name included)": 2,
        "Sources": 1,
    }
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same firm")

    assert reload(product).vendor == survivor
    assert reload(by_product).vendor == survivor and reload(by_product).product == product
    assert reload(by_vendor).vendor == survivor
    assert reload(contract).vendor == survivor
    assert list(reload(contract).products.all()) == [product]
    assert reload(nda).counterparty_vendor == survivor
    assert reload(subsidiary).parent == survivor
    assert sorted(survivor.aliases.values_list("name", flat=True)) == ["CVI", "Cloud Vision Inc."]
    assert set(duplicate.sources.all()) <= set(survivor.sources.all())
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.visibility == Visibility.WITHDRAWN
    assert reload(product).history.latest("history_id").history_change_reason == (
        "Vendor merged: Cloud Vision Inc. into Cloud Vision"
    )
    assert survivor.history.latest("history_id").approved_by == reviewer


# Refusals ----------------------------------------------------------------------------------


def assert_refused(message, **kwargs):
    versions_before = sum(model.history.count() for model in (Agency, Vendor, Nda, Deployment))
    with pytest.raises(ValidationError) as refused:
        merge_records(reason="Same", **kwargs)
    assert message in " ".join(refused.value.messages)
    versions_after = sum(model.history.count() for model in (Agency, Vendor, Nda, Deployment))
    assert versions_after == versions_before
    assert not ChangeRequest.objects.filter(action=ChangeAction.MERGE).exists()
    return refused.value


def test_a_record_cannot_be_merged_into_itself(agency_pair, reviewer):
    duplicate, _survivor = agency_pair
    assert_refused(
        "cannot be merged into itself", duplicate=duplicate, survivor=duplicate, reviewer=reviewer
    )


def test_a_record_merged_away_cannot_be_merged_again_nor_receive_a_merge(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    third = AgencyFactory(name="Third")
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    ChangeRequest.objects.all().delete()
    assert_refused(
        "was already merged into", duplicate=duplicate, survivor=third, reviewer=reviewer
    )
    assert_refused(
        "merge into that agency instead", duplicate=third, survivor=duplicate, reviewer=reviewer
    )


def test_agencies_and_vendors_do_not_merge_into_each_other(agency_pair, vendor_pair, reviewer):
    assert_refused(
        "only into a record of the same kind",
        duplicate=agency_pair[0],
        survivor=vendor_pair[1],
        reviewer=reviewer,
    )


def test_an_nda_between_the_two_agencies_refuses_the_merge_and_is_named(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    deployment = DeploymentFactory(agency=duplicate)
    nda = NdaFactory(agency=survivor, counterparty_vendor=None, counterparty_agency=duplicate)
    assert_refused(f"NDA #{nda.pk}", duplicate=duplicate, survivor=survivor, reviewer=reviewer)
    assert reload(deployment).agency == duplicate  # nothing moved
    assert reload(duplicate).merged_into is None


def test_merging_into_a_record_below_the_duplicate_is_refused(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    survivor.parent = duplicate
    survivor.save()
    assert_refused("its own parent", duplicate=duplicate, survivor=survivor, reviewer=reviewer)


def test_merging_into_an_unpublished_record_is_refused(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    survivor.visibility = Visibility.WITHDRAWN
    survivor.save()
    assert_refused("is not published", duplicate=duplicate, survivor=survivor, reviewer=reviewer)


def test_a_product_name_both_vendors_use_refuses_the_merge(vendor_pair, reviewer):
    duplicate, survivor = vendor_pair
    ProductFactory(vendor=survivor, name="Recognize")
    ProductFactory(vendor=duplicate, name="recognize")
    assert_refused(
        "Both vendors have a product called “recognize”",
        duplicate=duplicate,
        survivor=survivor,
        reviewer=reviewer,
    )
    assert Product.objects.filter(vendor=duplicate).count() == 1


# Redirects ---------------------------------------------------------------------------------


def test_merged_agency_and_vendor_pages_redirect_to_the_survivor(
    agency_pair, vendor_pair, reviewer, django_assert_num_queries
):
    for duplicate, survivor in (agency_pair, vendor_pair):
        merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
        client = Client()
        # The profile lookup that finds nothing, then one query for where it went.
        with django_assert_num_queries(2):
            response = client.get(duplicate.get_absolute_url())
        assert response.status_code == 301
        assert response["Location"] == survivor.get_absolute_url()
        assert client.get(response["Location"]).status_code == 200


def test_a_merged_record_whose_survivor_was_withdrawn_is_a_404(agency_pair, reviewer):
    duplicate, survivor = agency_pair
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    Agency.objects.filter(pk=survivor.pk).update(visibility=Visibility.WITHDRAWN)
    assert Client().get(duplicate.get_absolute_url()).status_code == 404


def test_unknown_slugs_are_still_404(db):
    assert Client().get("/agencies/no-such-agency/").status_code == 404
    assert Client().get("/vendors/no-such-vendor/").status_code == 404


def queries_for(url):
    # Both pages compute the transparency figures afresh: the second would read the first's.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    return len(queries)


def test_a_survivor_page_costs_what_any_profile_costs(agency_pair, vendor_pair, reviewer):
    """The pinned counts of tests/agencies and tests/vendors hold for normal pages; a survivor
    with merged-in records costs the same as an agency or vendor that never had a merge."""
    agency_duplicate, agency_survivor = agency_pair
    vendor_duplicate, vendor_survivor = vendor_pair
    control_agency, control_vendor = AgencyFactory(), VendorFactory()
    for agency, vendor in ((agency_duplicate, vendor_duplicate), (control_agency, control_vendor)):
        product = ProductFactory(vendor=vendor)
        DeploymentFactory(agency=agency, product=product)
        ContractFactory(agency=agency, vendor=vendor)
        NdaFactory(agency=agency, counterparty_vendor=vendor)
        AgencyFactory(parent=agency)
        VendorFactory(parent=vendor)
    merge_records(
        duplicate=agency_duplicate, survivor=agency_survivor, reviewer=reviewer, reason="Same"
    )
    merge_records(
        duplicate=vendor_duplicate, survivor=vendor_survivor, reviewer=reviewer, reason="Same"
    )
    assert queries_for(agency_survivor.get_absolute_url()) == queries_for(
        control_agency.get_absolute_url()
    )
    assert queries_for(vendor_survivor.get_absolute_url()) == queries_for(
        control_vendor.get_absolute_url()
    )
    # As tests/agencies pins a profile: the agency, its aliases and sources, the timeline's
    # positions (5) and records (deployments, contracts and NDAs, each with sources, and the
    # contracts' products), the four counts, children, the records requests (2), its NDAs
    # (+the requests citing them) and the transparency figures (6).
    assert queries_for(control_agency.get_absolute_url()) == 31


# The reviewer's page -----------------------------------------------------------------------


@pytest.fixture
def pairs(agency_pair, vendor_pair):
    return {"agencies": agency_pair, "vendors": vendor_pair}


@pytest.mark.parametrize("kind", ["agencies", "vendors"])
def test_anonymous_visitors_are_sent_to_login(client, pairs, kind):
    duplicate, _survivor = pairs[kind]
    for response in (
        client.get(f"/{kind}/{duplicate.slug}/merge/"),
        client.post(f"/{kind}/{duplicate.slug}/merge/", {}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.is_published


@pytest.mark.parametrize("kind", ["agencies", "vendors"])
def test_volunteers_may_not_merge(volunteer_client, pairs, kind):
    duplicate, survivor = pairs[kind]
    url = f"/{kind}/{duplicate.slug}/merge/"
    assert volunteer_client.get(url).status_code == 403
    data = {"survivor": f"{survivor.name} [{survivor.slug}]", "reason": "Same"}
    assert volunteer_client.post(url, data).status_code == 403
    assert reload(duplicate).merged_into is None


@pytest.mark.parametrize("role", ["reviewer", "admin_user"])
@pytest.mark.parametrize("kind", ["agencies", "vendors"])
def test_reviewers_and_admins_see_the_form_with_a_preview(client, request, pairs, kind, role):
    sign_in(client, request.getfixturevalue(role))
    duplicate, _survivor = pairs[kind]
    response = client.get(f"/{kind}/{duplicate.slug}/merge/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Merge this record into…" in content
    assert f'data-autocomplete="/autocomplete/{kind}/"' in content
    assert "What will move" in content
    assert dict(response.context["preview"]) == dict(merge_preview(duplicate))


def test_the_preview_counts_what_will_move(reviewer_client, agency_pair, agency_references):
    duplicate, _survivor = agency_pair
    response = reviewer_client.get(f"/agencies/{duplicate.slug}/merge/")
    assert dict(response.context["preview"]) == {
        "Deployments": 2,
        "Contracts": 1,
        "NDAs it signed": 1,
        "NDAs with it as the other party": 1,
        "Agencies that belong to it": 1,
        "Records requests to it": 1,
        "Oversight events it held": 1,
        "Records merged into it earlier": 0,
        "Other names (its name included)": 4,
        "Sources": 1,
    }


@pytest.mark.parametrize("kind", ["agencies", "vendors"])
def test_a_reviewer_merges_from_the_form(reviewer_client, reviewer, pairs, kind):
    duplicate, survivor = pairs[kind]
    response = reviewer_client.post(
        f"/{kind}/{duplicate.slug}/merge/",
        {"survivor": f"{survivor.name} [{survivor.slug}]", "reason": "Same body"},
        follow=True,
    )
    assert response.redirect_chain == [(survivor.get_absolute_url(), 302)]
    assert "was merged into" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    change = ChangeRequest.objects.get(action=ChangeAction.MERGE)
    assert change.reviewer == reviewer and change.review_reason == "Same body"
    assert reviewer_client.get(change.get_absolute_url()).status_code == 200
    recent = Client().get("/changes/").content.decode()
    assert "Merge: " in recent and "merged: " in recent

    # Afterwards its merge page says where it went instead of offering the form again.
    page = reviewer_client.get(f"/{kind}/{duplicate.slug}/merge/").content.decode()
    assert "was already merged into" in page and "Merge this record into…" not in page


def test_the_form_shows_why_a_merge_is_refused(reviewer_client, agency_pair):
    duplicate, survivor = agency_pair
    nda = NdaFactory(agency=duplicate, counterparty_vendor=None, counterparty_agency=survivor)
    response = reviewer_client.post(
        f"/agencies/{duplicate.slug}/merge/",
        {"survivor": f"{survivor.name} [{survivor.slug}]", "reason": "Same"},
    )
    assert response.status_code == 400
    assert f"NDA #{nda.pk}" in response.content.decode()
    assert reload(duplicate).merged_into is None


def test_the_form_needs_a_survivor_and_a_reason(reviewer_client, agency_pair):
    duplicate, _survivor = agency_pair
    response = reviewer_client.post(f"/agencies/{duplicate.slug}/merge/", {"survivor": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"survivor", "reason"}
    # The duplicate itself is not offered as the survivor.
    response = reviewer_client.post(
        f"/agencies/{duplicate.slug}/merge/",
        {"survivor": f"{duplicate.name} [{duplicate.slug}]", "reason": "Same"},
    )
    assert response.status_code == 400
    assert "survivor" in response.context["form"].errors


def test_only_agencies_and_vendors_have_a_merge_page(reviewer_client, agency_pair):
    deployment = DeploymentFactory()
    assert reviewer_client.get(f"/deployments/{deployment.pk}/merge/").status_code == 404
    assert reviewer_client.get("/agencies/no-such-agency/merge/").status_code == 404


def test_history_pages_offer_the_merge_link_only_for_agencies_and_vendors(reviewer_client):
    deployment = DeploymentFactory()
    page = reviewer_client.get(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Reviewer tools" in page and "Merge into another record" not in page


def test_agency_history_page_links_to_the_merge_page(reviewer_client, agency_pair):
    duplicate, _survivor = agency_pair
    page = reviewer_client.get(f"/agencies/{duplicate.slug}/history/").content.decode()
    assert f'href="/agencies/{duplicate.slug}/merge/"' in page
    assert "Merge into another record…" in page


def test_a_merged_record_cannot_be_restored_or_unmerged_by_a_revert(reviewer):
    from apps.records.merging import merge_records
    from apps.records.services import record_revert, record_set_visibility
    from tests.factories import AgencyFactory

    duplicate, survivor = AgencyFactory(), AgencyFactory()
    first_version = duplicate.history.order_by("history_id").first().history_id
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError, match="was merged into"):
        record_set_visibility(
            record=duplicate, visibility="published", reviewer=reviewer, reason="Undo"
        )
    record_revert(record=duplicate, version_id=first_version, reviewer=reviewer, reason="Old")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.visibility == "withdrawn"


def test_imports_match_the_survivor_not_the_merged_duplicate(reviewer, tmp_path):
    from django.core.management import call_command

    from apps.records.merging import merge_records
    from tests.factories import AgencyFactory, ProductFactory

    duplicate = AgencyFactory(name="WCSO", region="OR", ori="OR0340000")
    survivor = AgencyFactory(name="Washington County Sheriff's Office", region="OR")
    merge_records(duplicate=duplicate, survivor=survivor, reviewer=reviewer, reason="Same")
    product = ProductFactory()
    header = "agency,region,agency_ori,technology,vendor,product,source_url,source_title\n"
    rows = [
        f"WCSO,OR,,Face Recognition,{product.vendor.name},{product.name},https://a.example.org/1,A\n",
        "Anything,OR,OR0340000,Drones,,,https://a.example.org/2,B\n",
    ]
    path = tmp_path / "rows.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    call_command("import_data", "deployments", str(path), user=reviewer.username)
    assert set(Deployment.objects.values_list("agency_id", flat=True)) == {survivor.pk}
