"""The page cache (apps/core/page_cache.py, apps/pagecache): anonymous visitors' pages come
from the cache until something is published, reverted or withdrawn; signed-in visitors and
pages with forms never do; the headers let browsers and a CDN reuse and revalidate pages.

The test database is one transaction that never commits, so the writes whose commit should
renew the pages run inside `committed()` (pytest-django's on-commit capture, executed)."""

import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core import page_cache
from apps.core.models import Visibility
from apps.deployments.models import Deployment
from apps.opendata import package
from apps.records.models import ChangeRequest
from apps.records.services import RecordBatch
from apps.sources.models import Source
from tests.editing.test_admin_writes import save as admin_save
from tests.editing.test_deployment_editing import deployment_form, edit_form_data
from tests.factories import AgencyFactory, DeploymentFactory, ProductFactory, SourceFactory, sign_in
from tests.sources.pdfs import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_CDN_SECONDS = 300
    caches[page_cache.CACHE_ALIAS].clear()
    yield
    caches[page_cache.CACHE_ALIAS].clear()


def anonymous(url, **headers):
    return Client().get(url, **headers)


def queries_of(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return response, len(queries)


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


# ---- what is cached, and the headers ---------------------------------------------------------


def test_an_anonymous_page_is_served_from_the_cache_with_no_query(
    committed, django_assert_num_queries
):
    with committed():
        deployment = DeploymentFactory()
    first = anonymous("/deployments/")
    assert first.status_code == 200
    assert deployment.agency.name in first.content.decode()

    with django_assert_num_queries(0):
        second = anonymous("/deployments/")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/deployments/",
        "deployment",
        "deployment-history",
        "/map/agencies.geojson",
        "/api/v1/deployments/",
        "/sitemap.xml",
        "/feeds/changes/",
    ],
)
def test_public_pages_feeds_geojson_api_and_sitemap_are_cached(
    url, committed, django_assert_num_queries
):
    with committed():
        deployment = DeploymentFactory()
    url = {
        "deployment": deployment.get_absolute_url(),
        "deployment-history": f"/deployments/{deployment.pk}/history/",
    }.get(url, url)
    first = anonymous(url)
    assert first.status_code == 200
    assert {"public", "max-age=60", "s-maxage=300"} <= cache_control(first)
    assert "Cookie" in first["Vary"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])
    assert first.has_header("Last-Modified")
    assert not first.cookies

    with django_assert_num_queries(0):
        assert anonymous(url).content == first.content


def test_the_page_stays_as_stored_until_a_change_is_published(committed):
    with committed():
        deployment = DeploymentFactory(summary="Before.")
    assert "Before." in anonymous(deployment.get_absolute_url()).content.decode()
    # Written behind the cache's back (update() sends no signal): still the stored page.
    Deployment.objects.filter(pk=deployment.pk).update(summary="Changed quietly.")
    assert "Before." in anonymous(deployment.get_absolute_url()).content.decode()


def test_a_conditional_request_gets_304_from_the_cache(django_assert_num_queries, committed):
    with committed():
        DeploymentFactory()
    first = anonymous("/deployments/")

    with django_assert_num_queries(0):
        by_etag = anonymous("/deployments/", HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = anonymous("/deployments/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        other = anonymous("/deployments/", HTTP_IF_NONE_MATCH='"not-this-one"')

    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert other.status_code == 200 and other.content == first.content


def test_a_head_request_is_answered_from_the_cache(django_assert_num_queries):
    first = anonymous("/deployments/")
    with django_assert_num_queries(0):
        head = Client().head("/deployments/")
    assert head.status_code == 200 and head["ETag"] == first["ETag"]


def test_the_first_conditional_request_gets_304_too():
    etag = anonymous("/deployments/")["ETag"]
    caches[page_cache.CACHE_ALIAS].clear()
    assert anonymous("/deployments/", HTTP_IF_NONE_MATCH=etag).status_code == 304


# ---- never cached -------------------------------------------------------------------------


def test_signed_in_pages_are_private_and_never_stored(reviewer_client):
    response, queries = queries_of(lambda: reviewer_client.get("/deployments/"))
    assert "Rita Reviewer" in response.content.decode()
    assert {"private", "no-store"} <= cache_control(response)
    assert "public" not in cache_control(response)
    assert not response.has_header("ETag")

    public, queries = queries_of(lambda: anonymous("/deployments/"))
    assert queries > 0, "rendered for the anonymous visitor, not the reviewer's page"
    assert "Rita Reviewer" not in public.content.decode()
    assert "Log in" in public.content.decode()


def test_a_signed_in_visitor_is_never_served_the_anonymous_page(reviewer_client):
    anonymous("/deployments/")
    response, queries = queries_of(lambda: reviewer_client.get("/deployments/"))
    assert queries > 0
    assert "Rita Reviewer" in response.content.decode()
    assert "Log in" not in response.content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page():
    anonymous("/deployments/")
    client = Client()
    client.cookies["messages"] = "anything"
    _response, queries = queries_of(lambda: client.get("/deployments/"))
    assert queries > 0


def test_the_tip_form_with_its_csrf_token_is_never_cached():
    for _ in range(2):
        response = anonymous("/submit/")
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "csrftoken" in response.cookies, "rendered again, with its own token"
        assert {"private", "no-store"} <= cache_control(response)
        assert not response.has_header("ETag")


def test_the_login_page_is_never_cached():
    for _ in range(2):
        response = anonymous("/accounts/login/")
        assert "csrftoken" in response.cookies
        assert "public" not in cache_control(response)


def test_a_post_is_never_answered_from_the_cache():
    anonymous("/submit/thanks/")
    response = Client().post("/deployments/", {})
    assert response.status_code == 405
    assert not response.has_header("ETag")


def test_errors_are_not_cached():
    for _ in range(2):
        _response, queries = queries_of(lambda: anonymous("/deployments/?page=x"))
        assert queries > 0


def read_whole(url):
    """A download as a client reads it: every chunk (the body is stored once all are sent;
    the test client closes the response when the last has been read)."""
    response = anonymous(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def hang_up(response):
    """Close a download before its end, as the server does when the client goes away (without
    the end of request's closing of the test's database connection, as the test client)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_small_export_is_streamed_then_served_from_the_cache_until_a_change(committed):
    with committed():
        first = DeploymentFactory()
    (streamed, body), queries = queries_of(lambda: read_whole("/deployments/export.csv"))
    assert streamed.streaming and queries > 0 and str(first.pk).encode() in body
    assert {"public", "max-age=60", "s-maxage=300"} <= cache_control(streamed)

    (stored, again), queries = queries_of(lambda: read_whole("/deployments/export.csv"))
    assert queries == 0 and not stored.streaming and again == body
    assert stored["Content-Type"] == streamed["Content-Type"]
    assert stored["Content-Disposition"] == streamed["Content-Disposition"]
    assert stored.has_header("ETag") and stored.has_header("Last-Modified")
    revalidated = anonymous("/deployments/export.csv", HTTP_IF_NONE_MATCH=stored["ETag"])
    assert revalidated.status_code == 304

    with committed():
        second = DeploymentFactory()
    (renewed, body), queries = queries_of(lambda: read_whole("/deployments/export.csv"))
    assert renewed.streaming and queries > 0 and str(second.pk).encode() in body


def test_a_large_export_is_never_stored(committed, settings):
    with committed():
        DeploymentFactory.create_batch(3)
    settings.PAGE_CACHE_DOWNLOAD_MAX_BYTES = 100  # less than the header line
    for _ in range(2):
        (response, _body), queries = queries_of(lambda: read_whole("/deployments/export.json"))
        assert response.streaming and queries > 0


def test_a_download_cut_short_or_a_heads_is_never_stored(rf):
    # The middleware around a download of three chunks (no database: the export's own
    # closing is tests/core/test_exports.py's).
    middleware = page_cache.PageCacheMiddleware(
        lambda request: StreamingHttpResponse(iter([b"a,", b"b,", b"c"]), content_type="text/csv")
    )

    def get(method="get"):
        return middleware(getattr(rf, method)("/deployments/export.csv"))

    # The client goes away after the first chunk: what was sent is not the whole file.
    cut = get()
    assert next(iter(cut.streaming_content)) == b"a,"
    hang_up(cut)
    # A HEAD downloads nothing: it must not make the server build and store the file.
    head = get("head")
    assert b"".join(head.streaming_content) == b"a,b,c"
    hang_up(head)

    whole = get()
    assert whole.streaming and b"".join(whole.streaming_content) == b"a,b,c"
    stored = get()
    assert not stored.streaming and stored.content == b"a,b,c"


def test_switched_off_nothing_is_cached_and_no_header_added(settings):
    settings.PAGE_CACHE = False
    anonymous("/deployments/")
    response, queries = queries_of(lambda: anonymous("/deployments/"))
    assert queries > 0
    assert not response.has_header("Cache-Control") and not response.has_header("ETag")


# ---- renewed when anything is published, reverted or withdrawn -------------------------------


def assert_stale_then_fresh(url, present=(), absent=(), *, change):
    """`url` as stored before `change()`, then as rendered after it: the stored page first
    (0 queries), a fresh one after the change committed."""
    before = anonymous(url)
    _same, queries = queries_of(lambda: anonymous(url))
    assert queries == 0
    change()
    after, queries = queries_of(lambda: anonymous(url))
    assert queries > 0
    assert after["ETag"] != before["ETag"]
    page = after.content.decode()
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page
    return before, after


def test_a_reviewer_approving_a_volunteers_deployment_renews_the_pages(
    committed, volunteer_client, reviewer
):
    with committed():
        agency = AgencyFactory(name="Washington County Sheriff's Office")
        product = ProductFactory()
        volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    change = ChangeRequest.objects.get()
    row = f'href="{change.record.get_absolute_url()}"'
    assert row not in anonymous("/deployments/").content.decode()

    def approve():
        reviewer_client = Client()
        sign_in(reviewer_client, reviewer)
        with committed():
            response = reviewer_client.post(f"/changes/{change.pk}/approve/")
        assert response.status_code == 302

    assert_stale_then_fresh("/deployments/", present=[row], change=approve)


def test_a_volunteers_proposals_keep_the_cached_pages(committed, volunteer_client):
    """A new record waiting for review (with its new source) and an edit waiting for review
    change no public page: the stored pages stay, served with no query."""
    with committed():
        agency = AgencyFactory(name="Washington County Sheriff's Office")
        product = ProductFactory()
        published = DeploymentFactory(agency=agency, product=product)
    for url in ("/deployments/", published.get_absolute_url()):
        anonymous(url)
    generation = page_cache.current_generation()
    with committed():
        response = volunteer_client.post("/deployments/new/", deployment_form(agency, product))
    assert response.status_code == 302
    with committed():
        response = volunteer_client.post(
            f"{published.get_absolute_url()}edit/",
            edit_form_data(
                volunteer_client,
                published,
                summary="A volunteer's proposed summary",
                edit_summary="From the council minutes",
            ),
        )
    assert response.status_code == 302
    assert ChangeRequest.objects.filter(status="pending").count() == 2
    assert Deployment.objects.filter(visibility=Visibility.PENDING).count() == 1
    assert page_cache.current_generation() == generation
    for url in ("/deployments/", published.get_absolute_url()):
        _page, queries = queries_of(lambda url=url: anonymous(url))
        assert queries == 0


def test_a_revert_renews_the_pages(committed, reviewer_client):
    with committed():
        deployment = DeploymentFactory(summary="First text.")
        data = edit_form_data(
            reviewer_client, deployment, summary="Vandalised", edit_summary="oops"
        )
        reviewer_client.post(f"/deployments/{deployment.pk}/edit/", data)
    deployment.refresh_from_db()
    assert deployment.summary == "Vandalised"
    versions = deployment.history.count()

    def revert():
        with committed():
            response = reviewer_client.post(
                f"/deployments/{deployment.pk}/revert/",
                {"version": versions - 1, "reason": "Undo vandalism"},
            )
        assert response.status_code == 302

    anonymous(f"/deployments/{deployment.pk}/history/")  # stored
    url = deployment.get_absolute_url()
    assert_stale_then_fresh(url, present=["First text."], absent=["Vandalised"], change=revert)
    history = anonymous(f"/deployments/{deployment.pk}/history/").content.decode()
    assert "Undo vandalism" in history


def test_a_withdrawal_renews_the_list_and_the_detail_page(committed, reviewer_client):
    with committed():
        deployment = DeploymentFactory()
    anonymous(deployment.get_absolute_url())  # stored

    def withdraw():
        with committed():
            reviewer_client.post(f"/deployments/{deployment.pk}/withdraw/", {"reason": "Dup"})
        deployment.refresh_from_db()
        assert deployment.visibility == Visibility.WITHDRAWN

    row = f'href="{deployment.get_absolute_url()}"'
    assert row in anonymous("/deployments/").content.decode()
    assert_stale_then_fresh("/deployments/", absent=[row], change=withdraw)
    assert anonymous(deployment.get_absolute_url()).status_code == 404


def test_an_admin_save_renews_the_pages(committed, admin_user):
    with committed():
        deployment = DeploymentFactory(summary="Before the admin.")
    client = Client()
    sign_in(client, admin_user)

    def change():
        with committed():
            assert admin_save(client, deployment, summary="After the admin.").status_code == 302

    assert_stale_then_fresh(
        deployment.get_absolute_url(), present=["After the admin."], change=change
    )


def test_an_import_through_a_record_batch_renews_the_pages(committed, reviewer):
    def load():
        with committed(), transaction.atomic():
            batch = RecordBatch(user=reviewer, summary="Import", publishes=True)
            batch.create(Source, url="https://news.example.org/imported", title="Imported story")
            batch.finish()

    assert_stale_then_fresh("/sources/", present=["Imported story"], change=load)


def test_an_alias_or_a_link_added_without_saving_the_record_renews_the_pages(committed):
    with committed():
        deployment = DeploymentFactory()
    agency = deployment.agency
    before = anonymous(agency.get_absolute_url())["ETag"]
    with committed():
        agency.aliases.create(name="The Sheriff")
    assert anonymous(agency.get_absolute_url())["ETag"] != before

    before = anonymous(deployment.get_absolute_url())["ETag"]
    with committed():
        deployment.sources.add(*agency.sources.all())
    assert anonymous(deployment.get_absolute_url())["ETag"] != before


def test_a_documents_text_read_afterwards_renews_its_source_page(committed):
    # The text is stored with update(), which sends no signal: the writer says so itself.
    with committed():
        source = SourceFactory(document=upload(pdf_bytes("Agreement text")))

    def read():
        with committed():
            call_command("extract_documents")

    assert_stale_then_fresh(
        source.get_absolute_url(), present=["Agreement text"], absent=["Text pending"], change=read
    )


def test_a_new_data_package_renews_the_data_page(committed, settings, tmp_path):
    settings.DATA_PACKAGE_DIR = tmp_path / "package"

    before = anonymous("/data/")  # the page reads no database: files only
    assert "No data package has been built yet" in before.content.decode()
    with committed():
        package.build()
    after = anonymous("/data/")
    assert "Download the data package" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_generated_data_loaded_in_bulk_renews_the_pages(committed):
    def generate():
        with committed():
            call_command("generate_data", deployments=20, seed=3, stdout=io.StringIO())

    before, after = assert_stale_then_fresh("/deployments/", change=generate)
    row = re.compile(r'href="/deployments/\d+/"')
    assert not row.search(before.content.decode()) and row.search(after.content.decode())


def test_rebuilding_the_search_index_renews_the_pages(committed):
    generation = page_cache.current_generation()
    with committed():
        call_command("reindex_search", stdout=io.StringIO())
    assert page_cache.current_generation() != generation


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_import_renews_the_pages_for_real(reviewer):
    # No capture here: the transaction really commits, and its callback really runs.
    def load():
        with transaction.atomic():
            batch = RecordBatch(user=reviewer, summary="Import", publishes=True)
            batch.create(Source, url="https://news.example.org/committed", title="Committed one")
            batch.finish()

    assert_stale_then_fresh("/sources/", present=["Committed one"], change=load)


# ---- the generation ------------------------------------------------------------------------


def test_many_saves_in_one_transaction_renew_the_pages_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        DeploymentFactory.create_batch(3)
    assert len([c for c in callbacks if isinstance(c, page_cache._BumpOnCommit)]) == 1


def test_a_rolled_back_change_keeps_the_pages(committed):
    generation = page_cache.current_generation()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        DeploymentFactory()
        raise RuntimeError("undone")
    assert page_cache.current_generation() == generation
    with committed():
        DeploymentFactory()
    assert page_cache.current_generation() != generation


def test_last_modified_is_the_time_of_the_last_change(committed, monkeypatch):
    monkeypatch.setattr(page_cache.time, "time", lambda: 1_700_000_000)
    with committed():
        DeploymentFactory()
    assert anonymous("/deployments/")["Last-Modified"] == "Tue, 14 Nov 2023 22:13:20 GMT"
