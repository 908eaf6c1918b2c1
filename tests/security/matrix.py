"""Every URL pattern of the site, how to build an address of it from the security tests'
world (tests/security/world.py), and what each role gets there. A pattern missing from
MATRIX fails tests/security/test_permission_matrix.py, so a new URL arrives with its
permissions written down.

Roles: anonymous, volunteer (the author of the pending records and changes), another
volunteer, reviewer, admin. Expected outcomes are a status code, LOGIN (a redirect to the
sign-in page) or ADMIN_LOGIN (a redirect to the Django admin's sign-in)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.records.registry import all_kinds, editable_kinds, mergeable_kinds

from .world import INVITATION_TOKEN, ROLES

LOGIN = "login"
ADMIN_LOGIN = "admin-login"


def roles(anonymous, volunteer, other_volunteer, reviewer, admin):
    return dict(zip(ROLES, (anonymous, volunteer, other_volunteer, reviewer, admin), strict=True))


def every(status):
    return dict.fromkeys(ROLES, status)


PUBLIC = every(200)
HIDDEN = every(404)
SIGNED_IN = roles(LOGIN, 200, 200, 200, 200)
# Volunteers and up may open the editing pages; a form posted empty is refused as invalid.
EDITORS_POST_EMPTY = roles(LOGIN, 400, 400, 400, 400)
REVIEWERS = roles(LOGIN, 403, 403, 200, 200)
# POST-only reviewer actions, asked with GET: the role is checked before the method.
REVIEWERS_POST_ONLY = roles(LOGIN, 403, 403, 405, 405)
# A reviewer's POST without what the action needs goes back with a message.
REVIEWERS_ACT = roles(LOGIN, 403, 403, 302, 302)
# The volunteer's own pending change: its author and the reviewers, nobody else.
AUTHOR = roles(LOGIN, 200, 404, 200, 200)
OTHER_AUTHOR = roles(LOGIN, 404, 200, 200, 200)
# A record waiting for review is edited and its history read by reviewers only (its author
# follows it on the change's page).
UNPUBLISHED_EDITING = roles(LOGIN, 404, 404, 200, 200)
UNPUBLISHED_HISTORY = roles(404, 404, 404, 200, 200)


@dataclass(frozen=True)
class Case:
    url: object  # world -> address (path and query)
    expect: dict
    method: str = "get"
    label: str = ""
    data: dict | None = None

    @property
    def public(self):
        """Fetched by the canary tests: an anonymous visitor's 200 GET."""
        return self.method == "get" and self.expect["anonymous"] == 200


def key_of(record):
    return getattr(record, "slug", None) or record.pk


def published(kind):
    return lambda world: key_of(world.published[kind])


def pending(kind):
    return lambda world: key_of(world.pending[kind])


def change(name):
    return lambda world: world.changes[name].pk


def extra(name):
    return lambda world: key_of(world.extra[name])


def authenticator(role):
    def pk(world):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.get(user=world.users[role], confirmed=True).pk

    return pk


def at(view_name, query="", **kwargs):
    """world -> reverse(view_name, kwargs) + query, a kwarg given as a function of the world
    being called with it."""

    def url(world):
        values = {k: v(world) if callable(v) else v for k, v in kwargs.items()}
        return reverse(view_name, kwargs=values) + query

    return url


def record_pages(kind):
    """A kind's list, exports, record page and the API's: published, and pending."""
    cases = {
        f"{kind.key}:list": [Case(at(f"{kind.key}:list"), PUBLIC)],
        f"{kind.key}:detail": [Case(at(f"{kind.key}:detail", **_key(kind, published)), PUBLIC)],
        f"api:{kind.key}-list": [Case(at(f"api:{kind.key}-list"), PUBLIC)],
        f"api:{kind.key}-detail": [
            Case(at(f"api:{kind.key}-detail", key=published(kind.key)), PUBLIC)
        ],
    }
    if kind.export:
        # Every format of every kind is fetched by the canary tests; one here.
        cases[f"{kind.key}:export"] = [
            Case(at(f"{kind.key}:export", fmt=fmt), PUBLIC, label=fmt)
            for fmt in (("csv", "json", "jsonl") if kind.key == "deployments" else ("csv",))
        ]
    if kind.editable:  # its records can wait for review: hidden until approved
        cases[f"{kind.key}:detail"].append(
            Case(at(f"{kind.key}:detail", **_key(kind, pending)), HIDDEN, label="pending")
        )
        cases[f"api:{kind.key}-detail"].append(
            Case(at(f"api:{kind.key}-detail", key=pending(kind.key)), HIDDEN, label="pending")
        )
    return cases


def _key(kind, which):
    return {"slug" if kind.lookup == "slug" else "pk": which(kind.key)}


# The editing pages of a kind addressed by number, one by slug and the kind other records
# cite; tests/records/test_permissions_by_kind.py opens them for every kind. A pending record
# of every kind is tried here.
REPRESENTATIVE_KINDS = ("deployments", "agencies", "sources")


def editing_pages():
    cases = {name: [] for name in ("create", "edit", "history", "revert", "withdraw", "restore")}
    for kind in editable_kinds():
        k = kind.key
        mine = {"kind": k, "key": pending(k)}
        cases["edit"].append(
            Case(at("editing:edit", **mine), UNPUBLISHED_EDITING, label=f"{k} pending")
        )
        cases["history"].append(
            Case(at("editing:history", **mine), UNPUBLISHED_HISTORY, label=f"{k} pending")
        )
    for k in REPRESENTATIVE_KINDS:
        public = {"kind": k, "key": published(k)}
        cases["create"] += [
            Case(at("editing:create", kind=k), SIGNED_IN, label=k),
            Case(at("editing:create", kind=k), EDITORS_POST_EMPTY, "post", label=k),
        ]
        cases["edit"] += [
            Case(at("editing:edit", **public), SIGNED_IN, label=k),
            Case(at("editing:edit", **public), EDITORS_POST_EMPTY, "post", label=k),
        ]
        cases["history"].append(Case(at("editing:history", **public), PUBLIC, label=k))
        cases["revert"] += [
            Case(at("editing:revert", "?version=1", **public), REVIEWERS, label=k),
            Case(at("editing:revert", **public), REVIEWERS_ACT, "post", label=k),
        ]
        for action in ("withdraw", "restore"):
            cases[action] += [
                Case(at(f"editing:{action}", **public), REVIEWERS_POST_ONLY, label=k),
                Case(at(f"editing:{action}", **public), REVIEWERS_ACT, "post", label=k),
            ]
    cases["merge"] = []
    for kind in mergeable_kinds():
        page = {"kind": kind.key, "key": published(kind.key)}
        cases["merge"] += [
            Case(at("editing:merge", **page), REVIEWERS, label=kind.key),
            Case(
                at("editing:merge", **page),
                roles(LOGIN, 403, 403, 400, 400),
                "post",
                label=kind.key,
            ),
        ]
    # Two versions by the volunteer and a reviewer: the diff between them is public too.
    cases["history"].append(
        Case(
            at("editing:history", "?old=1&new=2", kind="vendors", key=published("vendors")),
            PUBLIC,
            label="diff",
        )
    )
    return {f"editing:{name}": value for name, value in cases.items()}


def _matrix():
    matrix = {
        "favicon": [Case(at("favicon"), every(302))],
        "robots": [Case(at("robots"), PUBLIC)],
        "healthz": [Case(at("healthz"), PUBLIC)],
        "csp_report": [
            Case(at("csp_report"), every(405)),
            # Not a report's content type: refused before anything is read.
            Case(at("csp_report"), every(415), "post"),
        ],
        "sitemap": [Case(at("sitemap"), PUBLIC)],
        "django.contrib.sitemaps.views.sitemap": [
            Case(
                at("django.contrib.sitemaps.views.sitemap", section=section), PUBLIC, label=section
            )
            for section in ("lists", "regions", *(kind.key for kind in all_kinds()))
        ],
        "feeds:changes": [Case(at("feeds:changes"), PUBLIC)],
        "feeds:agency": [
            Case(at("feeds:agency", slug=published("agencies")), PUBLIC),
            Case(at("feeds:agency", slug=pending("agencies")), HIDDEN, label="pending"),
        ],
        "feeds:vendor": [
            Case(at("feeds:vendor", slug=published("vendors")), PUBLIC),
            Case(at("feeds:vendor", slug=pending("vendors")), HIDDEN, label="pending"),
        ],
        "feeds:technology": [Case(at("feeds:technology", slug=published("technologies")), PUBLIC)],
        "feeds:region": [
            Case(at("feeds:region", country="US", region="OR"), PUBLIC),
            Case(at("feeds:region", country="US", region="WA"), PUBLIC, label="WA"),
        ],
        "home:home": [Case(at("home:home"), PUBLIC)],
        "search:search": [Case(at("search:search", "?q=sheriff"), PUBLIC)],
        **editing_pages(),
        "editing:review": [Case(at("editing:review"), REVIEWERS)],
        "editing:recent_changes": [Case(at("editing:recent_changes"), PUBLIC)],
        "editing:change_detail": [
            Case(at("editing:change_detail", pk=change("new-deployments")), AUTHOR, label="new"),
            Case(at("editing:change_detail", pk=change("edit-deployments")), AUTHOR, label="edit"),
            Case(at("editing:change_detail", pk=change("rejected")), AUTHOR, label="rejected"),
            Case(
                at("editing:change_detail", pk=change("other-new-sources")),
                OTHER_AUTHOR,
                label="another volunteer's",
            ),
        ],
        "editing:approve": [
            Case(at("editing:approve", pk=change("edit-deployments")), REVIEWERS_POST_ONLY),
            Case(at("editing:approve", pk=change("edit-deployments")), REVIEWERS_ACT, "post"),
        ],
        "editing:reject": [
            Case(at("editing:reject", pk=change("edit-deployments")), REVIEWERS_POST_ONLY),
            Case(at("editing:reject", pk=change("edit-deployments")), REVIEWERS_ACT, "post"),
        ],
        "editing:my_contributions": [Case(at("editing:my_contributions"), SIGNED_IN)],
        "editing:autocomplete": [
            Case(at("editing:autocomplete", "?q=exa", kind=kind.key), SIGNED_IN, label=kind.key)
            for kind in editable_kinds()
        ],
        "agencies:transparency": [Case(at("agencies:transparency"), PUBLIC)],
        "agencies:transparency_method": [Case(at("agencies:transparency_method"), PUBLIC)],
        "contract_ocds": [
            Case(at("contract_ocds", pk=published("contracts")), PUBLIC),
            Case(at("contract_ocds", pk=pending("contracts")), HIDDEN, label="pending"),
            Case(at("contract_ocds", pk=extra("withdrawn")), HIDDEN, label="withdrawn"),
        ],
        "sources:document": [
            Case(at("sources:document", pk=published("sources")), PUBLIC),
            # Those who may see the source: its author and the reviewers.
            Case(
                at("sources:document", pk=pending("sources")),
                roles(404, 200, 404, 200, 200),
                label="pending",
            ),
        ],
        "maps:map": [Case(at("maps:map"), PUBLIC)],
        "maps:geojson": [Case(at("maps:geojson"), PUBLIC)],
        "opendata:page": [Case(at("opendata:page"), PUBLIC)],
        "opendata:ocds": [Case(at("opendata:ocds"), PUBLIC)],
        "opendata:archive": [Case(at("opendata:archive"), PUBLIC)],
        "opendata:build": [
            Case(at("opendata:build"), REVIEWERS_POST_ONLY),
            Case(at("opendata:build"), REVIEWERS_ACT, "post"),
        ],
        "regions:list": [Case(at("regions:list"), PUBLIC)],
        "regions:detail": [Case(at("regions:detail", country="US", region="OR"), PUBLIC)],
        "accounts:login": [
            Case(at("accounts:login"), PUBLIC),
            Case(at("accounts:login"), PUBLIC, "post"),  # the form again, with its errors
        ],
        # Django 5 signs out on POST only.
        "accounts:logout": [
            Case(at("accounts:logout"), every(405)),
            Case(at("accounts:logout"), every(302), "post"),
        ],
        "accounts:password_change": [
            Case(at("accounts:password_change"), SIGNED_IN),
            Case(at("accounts:password_change"), SIGNED_IN, "post"),
        ],
        "accounts:password_change_done": [Case(at("accounts:password_change_done"), SIGNED_IN)],
        "accounts:password_reset": [
            Case(at("accounts:password_reset"), PUBLIC),
            Case(at("accounts:password_reset"), PUBLIC, "post"),
        ],
        "accounts:password_reset_done": [Case(at("accounts:password_reset_done"), PUBLIC)],
        # A link that names no account: the page says it is invalid.
        "accounts:password_reset_confirm": [
            Case(at("accounts:password_reset_confirm", uidb64="MTIzNDU2", token="x-y"), PUBLIC)
        ],
        "accounts:password_reset_complete": [Case(at("accounts:password_reset_complete"), PUBLIC)],
        "accounts:profile": [
            Case(at("accounts:profile"), SIGNED_IN),
            # An empty display name is allowed: saved, and back to the page.
            Case(at("accounts:profile"), roles(LOGIN, 302, 302, 302, 302), "post"),
        ],
        # Two-factor sign-in (apps/accounts/two_factor_views.py). Reviewers and admins are
        # signed in with a verified second factor; volunteers need none.
        "accounts:two_factor": [Case(at("accounts:two_factor"), SIGNED_IN)],
        # The code step: a session that passed it (or needs none) goes on to the site.
        "accounts:two_factor_verify": [
            Case(at("accounts:two_factor_verify"), roles(LOGIN, 302, 302, 302, 302)),
            Case(at("accounts:two_factor_verify"), roles(LOGIN, 302, 302, 302, 302), "post"),
        ],
        "accounts:two_factor_setup": [
            Case(at("accounts:two_factor_setup"), SIGNED_IN),
            Case(at("accounts:two_factor_setup"), SIGNED_IN, "post"),  # no code: the form again
        ],
        # Without an authenticator there are no recovery codes: back to the two-factor page.
        "accounts:two_factor_recovery_codes": [
            Case(at("accounts:two_factor_recovery_codes"), roles(LOGIN, 302, 302, 200, 200)),
            Case(
                at("accounts:two_factor_recovery_codes"), roles(LOGIN, 302, 302, 302, 302), "post"
            ),
        ],
        # The reviewer's authenticator: only its owner may remove it.
        "accounts:two_factor_remove": [
            Case(
                at("accounts:two_factor_remove", pk=authenticator("reviewer")),
                roles(LOGIN, 405, 405, 405, 405),
            ),
            Case(
                at("accounts:two_factor_remove", pk=authenticator("reviewer")),
                roles(LOGIN, 404, 404, 302, 404),
                "post",
            ),
        ],
        "accounts:invitations": [
            Case(at("accounts:invitations"), REVIEWERS),
            Case(at("accounts:invitations"), roles(LOGIN, 403, 403, 200, 200), "post"),
        ],
        "accounts:invitation_revoke": [
            Case(at("accounts:invitation_revoke", pk=extra("invitation")), REVIEWERS_POST_ONLY),
            Case(at("accounts:invitation_revoke", pk=extra("invitation")), REVIEWERS_ACT, "post"),
            # Only admins revoke an invitation to be a reviewer.
            Case(
                at("accounts:invitation_revoke", pk=extra("reviewer_invitation")),
                roles(LOGIN, 403, 403, 403, 302),
                "post",
                label="reviewer's",
            ),
        ],
        # Without the emailed link's token in the session the form refuses to open.
        "accounts:invitation_accept_form": [
            Case(at("accounts:invitation_accept_form", pk=extra("invitation")), every(400))
        ],
        "accounts:invitation_outdated": [Case(at("accounts:invitation_outdated"), every(400))],
        "accounts:invitation_accept": [
            # The emailed link parks its token in the session and goes on to the form.
            Case(at("accounts:invitation_accept", token=INVITATION_TOKEN), every(302)),
            Case(at("accounts:invitation_accept", token="no-such-token"), HIDDEN, label="bad"),
        ],
        "tips:submit": [Case(at("tips:submit"), PUBLIC)],
        "tips:thanks": [Case(at("tips:thanks"), PUBLIC)],
        "tips:review": [Case(at("tips:review"), REVIEWERS)],
        "tips:handle": [
            Case(at("tips:handle", pk=lambda world: world.tips["open"].pk), REVIEWERS_POST_ONLY),
            Case(at("tips:handle", pk=lambda world: world.tips["open"].pk), REVIEWERS_ACT, "post"),
        ],
        "tips:dismiss": [
            Case(at("tips:dismiss", pk=lambda world: world.tips["open"].pk), REVIEWERS_POST_ONLY),
            Case(at("tips:dismiss", pk=lambda world: world.tips["open"].pk), REVIEWERS_ACT, "post"),
        ],
        "api:schema": [Case(at("api:schema"), PUBLIC)],
        "api:docs": [Case(at("api:docs"), PUBLIC)],
        "api:api-root": [Case(at("api:api-root"), PUBLIC)],
        # Any other address under the API is the API's own 404.
        "unnamed api/v1/^(?P<path>.*/)$": [Case(lambda world: "/api/v1/nothing/", HIDDEN)],
        # The Django admin: staff only. Its own pages are the admin's business, not listed.
        "admin": [Case(lambda world: "/admin/", roles(*[ADMIN_LOGIN] * 4, 200))],
    }
    for kind in all_kinds():
        matrix.update(record_pages(kind))
    return matrix


MATRIX = _matrix()


def url_conf_patterns():
    """The name of every pattern in the URL conf ("namespace:name"; an unnamed one by its
    route), the Django admin's counted as one, "admin"."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    found.append("admin")
                    continue
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    found.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
                else:
                    found.append(f"unnamed {prefix}{pattern.pattern}")

    walk(get_resolver(), "", "")
    return found
