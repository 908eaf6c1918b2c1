from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.records.registry import all_kinds, editable_kinds


def robots_lines(sitemap_url):
    """Crawlers read the published records and their lists; they are kept out of what only
    signed-in people use (editing, review, accounts, the admin), of the form for tips, of
    the exports (a whole list as a file, which the lists already offer page by page), of
    the history pages' endless pairs of versions to compare, of /healthz (for load
    balancers: nothing to index) and of the address browsers send CSP reports to."""
    lines = ["User-agent: *"]
    private = ("/accounts/", "/admin/", "/review/", "/contributions/", "/submit/", "/healthz")
    for path in (*private, reverse("csp_report")):
        lines.append(f"Disallow: {path}")
    lines.append("Disallow: /changes/*/")  # one change: reviewers and its author only
    lines.append(f"Disallow: {reverse('editing:autocomplete', args=['x'])[:-2]}")
    for kind in editable_kinds():
        lines.append(f"Disallow: {reverse('editing:create', args=[kind.key])}")
        actions = ["edit", "history", "revert", "withdraw", "restore"]
        for action in [*actions, "merge"] if kind.mergeable else actions:
            lines.append(f"Disallow: /{kind.key}/*/{action}/")
    for kind in all_kinds():
        if kind.export:
            lines.append(f"Disallow: {reverse(kind.list_url_name)}export.")
    lines.append(f"Sitemap: {sitemap_url}")
    return lines


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse("\n".join(robots_lines(sitemap_url)) + "\n", content_type="text/plain")
