"""/agencies/<slug>/merge/ and /vendors/<slug>/merge/: a reviewer merges a duplicate into
the record that survives."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.accounts.roles import ReviewerRequiredMixin
from apps.records.fields import RecordChoiceField
from apps.records.merging import merge_preview, merge_records
from apps.records.registry import get_kind


class MergeForm(forms.Form):
    survivor = RecordChoiceField(
        # Set per record in __init__, from the duplicate's kind.
        queryset=None,
        autocomplete="agencies",
        noun="record",
        label=_("Merge this record into…"),
        help_text=_("The record that stays: type its name and pick it from the suggestions."),
    )
    reason = forms.CharField(
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why are they the same?"),
        help_text=_("Recorded in the history of both records, e.g. “Same office: old name”."),
    )

    def __init__(self, *args, duplicate, kind, **kwargs):
        super().__init__(*args, **kwargs)
        model = type(duplicate)
        field = self.fields["survivor"]
        # Not the duplicate itself, nor records already merged away: they share its names.
        field.queryset = model.objects.exclude(pk=duplicate.pk).filter(merged_into__isnull=True)
        field.noun = model._meta.verbose_name
        field.widget.attrs["list"] = f"{kind}-options"
        field.widget.attrs["data-autocomplete"] = reverse("editing:autocomplete", args=[kind])


class MergeView(ReviewerRequiredMixin, TemplateView):
    template_name = "editing/merge_form.html"

    def get_duplicate(self):
        kind = get_kind(self.kwargs["kind"])
        if not kind.mergeable:
            raise Http404(f"{kind.plural.capitalize()} are not merged.")
        model = kind.model
        try:
            return model.objects.select_related("merged_into").get(slug=self.kwargs["key"])
        except model.DoesNotExist as exc:
            raise Http404(f"No {model._meta.verbose_name} has this address.") from exc

    def get(self, request, *args, **kwargs):
        duplicate = self.get_duplicate()
        form = MergeForm(duplicate=duplicate, kind=self.kwargs["kind"])
        return self.render_to_response(self.get_context_data(duplicate=duplicate, form=form))

    def post(self, request, *args, **kwargs):
        duplicate = self.get_duplicate()
        form = MergeForm(request.POST, duplicate=duplicate, kind=self.kwargs["kind"])
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                merge_records(
                    duplicate=duplicate,
                    survivor=survivor,
                    reviewer=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    gettext(
                        "“%(duplicate)s” was merged into “%(survivor)s”. Everything that referred "
                        "to it now refers to “%(survivor)s”, and its address redirects here."
                    )
                    % {"duplicate": duplicate, "survivor": survivor},
                )
                return redirect(survivor.get_absolute_url())
        return self.render_to_response(
            self.get_context_data(duplicate=duplicate, form=form), status=400
        )

    def get_context_data(self, **kwargs):
        duplicate = kwargs["duplicate"]
        return super().get_context_data(
            noun=duplicate._meta.verbose_name,
            preview=merge_preview(duplicate) if not duplicate.merged_into_id else [],
            **kwargs,
        )
