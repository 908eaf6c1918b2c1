"""{% cite_this record %}: the "Cite this" block of every record page (record_actions.html
includes it): a permalink, the version the page shows, the retrieval date and a citation
ready to paste."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


def citation_text(*, title, permalink, version, retrieved):
    return _("%(title)s. %(site)s, version %(version)s. %(permalink)s (retrieved %(date)s).") % {
        "title": title,
        "site": settings.SITE_NAME,
        "version": version,
        "permalink": permalink,
        "date": retrieved.isoformat(),
    }


@register.inclusion_tag("core/components/cite_this.html", takes_context=True)
def cite_this(context, record, history_url=None):
    request = context["request"]
    permalink = request.build_absolute_uri(record.get_absolute_url())
    retrieved = timezone.localdate()
    # The version the page shows is the record's newest: its number is how many it has, as
    # the history page numbers them.
    version = record.history.count()
    return {
        "permalink": permalink,
        "retrieved": retrieved,
        "version": version,
        "history_url": history_url,
        "citation": citation_text(
            title=str(record), permalink=permalink, version=version, retrieved=retrieved
        ),
    }
