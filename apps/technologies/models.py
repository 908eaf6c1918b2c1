from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.history import registry_history
from apps.core.models import TimeStampedModel
from apps.core.record_urls import record_url


class TechnologyQuerySet(models.QuerySet):
    def by_name_or_slug(self, value):
        value = value.strip()
        return self.filter(models.Q(slug__iexact=value) | models.Q(name__iexact=value))


class Technology(TimeStampedModel):
    """A kind of surveillance technology: the registry's taxonomy, edited by admins."""

    name = models.CharField(max_length=100, unique=True, help_text=_("e.g. Face Recognition."))
    slug = models.SlugField(
        max_length=100, unique=True, help_text=_("The name in URLs and filters: face-recognition.")
    )
    description = models.TextField(
        blank=True, help_text=_("What the technology does and why it matters, in plain words.")
    )

    objects = TechnologyQuerySet.as_manager()
    history = registry_history()

    class Meta:
        verbose_name = _("technology")
        ordering = ["name"]
        verbose_name_plural = _("technologies")

    # What __str__ returns, for the API's links written by PostgreSQL (apps/api/records.py).
    STR_FIELD = "name"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("technologies:detail", self.slug)
