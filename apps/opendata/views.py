import subprocess
import sys

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import get_usage

from apps.accounts.roles import ReviewerRequiredMixin
from apps.core.exports import release_connection
from apps.records.registry import get_kind

from . import ocds, package


def _published_contracts():
    # The contracts list's own selection (published, with agency, vendor, sources and
    # products), so that the OCDS data holds exactly what /contracts/ lists.
    return get_kind("contracts").list_selector_function(params=QueryDict()).queryset


class DataPageView(TemplateView):
    """/data/: what the data set holds, its licence, how to cite it, and the downloads."""

    template_name = "opendata/data.html"

    def get_context_data(self, **kwargs):
        archive = package.archive_info()
        kinds = package.exported_kinds()
        return {
            **super().get_context_data(**kwargs),
            "archive": archive,
            "archive_name": package.archive_path().name,
            "kinds": [
                {
                    "kind": kind,
                    "csv_url": reverse(f"{kind.key}:export", args=["csv"]),
                    "json_url": reverse(f"{kind.key}:export", args=["json"]),
                }
                for kind in kinds
            ],
            "licence": package.licence(),
            "data_url": package.site_url() + reverse("opendata:page"),
        }


class ArchiveView(View):
    """The built archive, sent from DATA_PACKAGE_DIR (the file is renamed into place whole,
    so the one opened here is complete). Conditional requests get 304 by its ETag."""

    def get(self, request):
        archive = package.archive_info()
        if archive is None:
            raise Http404("No data package has been built yet.")
        etag = archive.etag
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(archive.modified.timestamp())
        )
        if not_modified is not None:
            return not_modified
        filename = f"{package.package_name()}-data-{archive.created:%Y-%m-%d}.zip"
        response = FileResponse(
            archive.path.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/zip",
        )
        response["ETag"] = etag
        response["Last-Modified"] = archive.modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
        # Rebuilt in place under the same address: caches must ask again.
        patch_cache_control(response, public=True, no_cache=True)
        return response


class OcdsPackageView(View):
    """/data/ocds.json: every published contract as an OCDS release package, streamed."""

    def get(self, request):
        contracts = _published_contracts()
        using = contracts.db

        def chunks():
            try:
                # In English whatever the page's language (/es/data/ocds.json too): the
                # standard's data, labels included, stays one language.
                with translation.override("en"):
                    yield from ocds.package_chunks(request.build_absolute_uri(), contracts)
            finally:
                release_connection(using)

        response = StreamingHttpResponse(chunks(), content_type="application/json")
        response["Content-Disposition"] = 'inline; filename="ocds.json"'
        return response


class ContractOcdsView(View):
    """/contracts/<id>/ocds.json: one published contract as an OCDS release package."""

    def get(self, request, pk):
        kind = get_kind("contracts")
        try:
            contract = kind.get(pk, queryset=_published_contracts())
        except kind.model.DoesNotExist as exc:
            raise Http404("No published contract has this number.") from exc
        with translation.override("en"):  # as the whole package: labels in English
            body = {
                **ocds.package_header(request.build_absolute_uri()),
                "releases": [ocds.release(contract)],
            }
        return JsonResponse(body, json_dumps_params={"indent": 2})


def start_build():
    """Start `build_data_package` in a process of its own, detached from this request: a
    large build takes minutes, longer than a request may. Its archive replaces the old one
    only when complete, so a second build at the same time costs work, not data."""
    subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "build_data_package", "-v0"],
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _whole_site(group, request):
    # One build at a time for the whole site, whoever asks: the archive is the site's.
    return "site"


class DataBuildView(ReviewerRequiredMixin, View):
    """POST /data/build/: a reviewer (or admin) starts a build now instead of waiting for
    the nightly one, at most DATA_PACKAGE_BUILD_RATE for the whole site."""

    http_method_names = ["post"]

    def post(self, request):
        usage = get_usage(
            request,
            group="opendata.build",
            key=_whole_site,
            rate=settings.DATA_PACKAGE_BUILD_RATE,
            method="POST",
            increment=True,
        )
        if usage and usage["should_limit"]:
            response = HttpResponse(
                _(
                    "A build of the data package was started a short while ago; try again in "
                    "%(seconds)s seconds."
                )
                % {"seconds": usage["time_left"]},
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(usage["time_left"])
            return response
        start_build()
        messages.success(
            request,
            _(
                "The data package is being built. Reload this page in a few minutes: it shows "
                "the new archive's build time once it is ready."
            ),
        )
        return redirect("opendata:page")
