from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.roles import (
    ReviewerRequiredMixin,
    VolunteerRequiredMixin,
    is_reviewer,
)
from apps.core.history import latest_version_id
from apps.core.models import Visibility
from apps.core.views import ignored_params, page_of
from apps.records import services
from apps.records.models import ChangeRequest, ChangeStatus
from apps.records.numbers import record_number
from apps.records.rebase import rebase
from apps.records.registry import editable_kinds, get_kind, kind_for_model

from . import selectors
from .autocomplete import autocomplete_labels
from .forms import ApproveForm, ReasonForm, RejectForm, RevertForm


class KindMixin:
    """Resolves the kind (from the URL) and, for record pages, the record."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = get_kind(kwargs["kind"])

    def get_record(self, *, include_unpublished=False):
        queryset = self.kind.model.objects.all()
        if not include_unpublished:
            queryset = queryset.published()
        key = self.kwargs["key"]
        # No record's address has a NUL (PostgreSQL refuses one) or, for a kind addressed by
        # number, anything but a number the database can hold ("²" is a digit to Python).
        if "\x00" in key or (self.kind.lookup == "pk" and record_number(key) is None):
            raise Http404(f"No {self.kind.noun} has this address.")
        try:
            return self.kind.get(key, queryset)
        except ObjectDoesNotExist as exc:
            raise Http404(f"No {self.kind.noun} has this address.") from exc


class RecordFormView(VolunteerRequiredMixin, KindMixin, TemplateView):
    """/<kind>/new/ and /<kind>/<key>/edit/: one form for both."""

    template_name = "editing/record_form.html"
    creating = True

    def get_record_for_form(self):
        if self.creating:
            return self.kind.model()
        # Reviewers may also fix records that are not public yet.
        return self.get_record(include_unpublished=is_reviewer(self.request.user))

    def get(self, request, *args, **kwargs):
        from apps.tips.to_deployment import initial_from_tip

        record = self.get_record_for_form()
        initial = {"base_version": latest_version_id(record)}
        if self.creating:
            # A reviewer turning a tip into a record starts from what the tip says.
            initial.update(initial_from_tip(self.kind.key, request))
        form = self.kind.form_class(instance=record, initial=initial, user=request.user)
        return self.render_to_response(self.get_context_data(form=form, record=record))

    def post(self, request, *args, **kwargs):
        record = self.get_record_for_form()
        form = self.kind.form_class(
            data=request.POST, files=request.FILES, instance=record, user=request.user
        )
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, record=record), status=400
            )
        from apps.tips import to_deployment

        try:
            # A new deployment started from a tip also marks the tip handled.
            change = to_deployment.save_record(
                self.kind.key if self.creating else None,
                request,
                lambda: services.submit_record_form(form=form, user=request.user),
            )
        except to_deployment.TipClosed as closed:
            form.add_error(None, closed.message)
            return self.render_to_response(
                self.get_context_data(form=form, record=record), status=409
            )
        except services.NothingToSave:
            messages.info(request, gettext("No changes to save: the record is as it was."))
            return redirect(self.record_page(record))
        except services.EditConflict as conflict:
            return self.conflict_response(form, record, conflict)
        except ValidationError as exc:
            # Raised by a model the form does not show (a new source): list its messages.
            form.add_error(None, ValidationError(exc.messages))
            return self.render_to_response(
                self.get_context_data(form=form, record=record), status=400
            )
        if change.status == ChangeStatus.APPROVED:
            saved = change.record
            if saved.is_published:
                messages.success(request, gettext("Saved and published."))
                return redirect(saved.get_absolute_url())
            # A reviewer's fix to a record that is not public: its public page is a 404, its
            # history is not (for reviewers).
            if saved.is_pending:
                messages.success(
                    request,
                    gettext("Saved. This record is not public yet: it is waiting for review."),
                )
            else:
                messages.success(
                    request, gettext("Saved. This record is withdrawn: it is not public.")
                )
            return redirect(self.record_page(saved))
        messages.success(
            request, gettext("Thank you. Your change is waiting for a reviewer and not public yet.")
        )
        return redirect(change.get_absolute_url())

    def record_page(self, record):
        """The public page of a published record; otherwise its history (for reviewers)."""
        if record.is_published:
            return record.get_absolute_url()
        key = getattr(record, "slug", None) or record.pk
        return reverse("editing:history", kwargs={"kind": self.kind.key, "key": key})

    def conflict_response(self, form, record, conflict):
        """Refuse a save based on an old version: show what changed since, keep the input,
        and let the person save again on top of the newer version if they still want to."""
        fresh = type(record).objects.get(pk=record.pk)
        other_change = selectors.version_pair_diff(
            fresh,
            old_id=conflict.base_version,
            new_id=conflict.current_version,
            viewer=self.request.user,
        )
        data, kept = rebase(
            form_class=self.kind.form_class,
            submitted=form.data,
            base_version=fresh.history.get(history_id=conflict.base_version),
            current_record=fresh,
            current_version_id=conflict.current_version,
        )
        form = self.kind.form_class(
            data=data, files=self.request.FILES, instance=fresh, user=self.request.user
        )
        form.is_valid()
        return self.render_to_response(
            self.get_context_data(
                form=form,
                record=fresh,
                conflict=True,
                other_change=other_change,
                kept_fields=[form[name].label for name in kept if name in form.fields],
                other_versions=fresh.history.filter(
                    history_id__gt=conflict.base_version
                ).select_related("history_user"),
            ),
            status=409,
        )

    def get_context_data(self, **kwargs):
        kwargs["kind"] = self.kind  # the kind itself, not its URL slug
        return super().get_context_data(creating=self.creating, **kwargs)


class RecordEditView(RecordFormView):
    creating = False


class RecordHistoryView(KindMixin, TemplateView):
    """Public: every version of a published record, and the diff between any two."""

    template_name = "editing/history.html"

    def get_context_data(self, **kwargs):
        reviewer = is_reviewer(self.request.user)
        record = self.get_record(include_unpublished=reviewer)
        versions = selectors.record_versions(record, with_refusals=reviewer)
        # Links name versions by their number in this record's history, as the page does.
        ids = {version.number: version.history_id for version in versions}
        kwargs["kind"] = self.kind
        context = super().get_context_data(record=record, versions=versions, **kwargs)
        old_text, new_text = self.request.GET.get("old"), self.request.GET.get("new")
        if old_text and new_text:
            old_number, new_number = record_number(old_text), record_number(new_text)
            if old_number is None or new_number is None:
                raise Http404("Compare two version numbers.")
            if old_number not in ids or new_number not in ids:
                raise Http404("This record has no such version.")
            context.update(
                diff_rows=selectors.version_pair_diff(
                    record, old_id=ids[old_number], new_id=ids[new_number], viewer=self.request.user
                ),
                old_number=old_number,
                new_number=new_number,
                old_label=gettext("Version %(number)s") % {"number": old_number},
                new_label=gettext("Version %(number)s") % {"number": new_number},
            )
        return context


class RecordActionView(ReviewerRequiredMixin, KindMixin, View):
    """POST-only reviewer actions on one record: revert, withdraw, restore."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        record = self.get_record(include_unpublished=True)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give a reason: it is recorded in the history."))
            return redirect("editing:history", kind=self.kind.key, key=self.kwargs["key"])
        try:
            self.act(record, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("editing:history", kind=self.kind.key, key=self.kwargs["key"])


class RevertView(ReviewerRequiredMixin, KindMixin, TemplateView):
    """Revert to an earlier version: GET shows what would change and asks why; the POST
    does it, the reason becoming the new version's summary."""

    template_name = "editing/revert_confirm.html"

    def get(self, request, *args, **kwargs):
        record = self.get_record(include_unpublished=True)
        version = self.get_version(record, request.GET.get("version"))
        if version is None:
            raise Http404("This record has no such version.")
        form = self.revert_form(record, version)
        return self.render_to_response(self.confirm_context(record, version, form))

    def post(self, request, *args, **kwargs):
        record = self.get_record(include_unpublished=True)
        version = self.get_version(record, request.POST.get("version"))
        history = reverse("editing:history", kwargs={"kind": self.kind.key, "key": kwargs["key"]})
        if version is None:
            messages.error(request, gettext("Choose a version of this record to revert to."))
            return redirect(history)
        form = self.revert_form(record, version, data=request.POST)
        if not form.is_valid():
            context = self.confirm_context(record, version, form)
            return self.render_to_response(context, status=400)
        try:
            services.record_revert(
                record=record,
                version_id=version.history_id,
                reviewer=request.user,
                reason=form.cleaned_data["reason"],
                document_confirmed=form.cleaned_data.get("restore_document", False),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(history)
        messages.success(request, gettext("Reverted. The revert is a new version in the history."))
        return redirect(history)

    def get_version(self, record, value):
        return services.version_by_number(record, record_number(value))

    def revert_form(self, record, version, data=None):
        return RevertForm(
            data,
            restores_document=services.restores_replaced_document(record, version),
            public=record.is_published,
        )

    def confirm_context(self, record, version, form):
        rows, refusal, number = selectors.revert_preview(record, version, viewer=self.request.user)
        return self.get_context_data(
            kind=self.kind,
            record=record,
            version=version,
            number=number,
            diff_rows=rows,
            refusal=refusal,
            form=form,
            restores_document="restore_document" in form.fields,
        )


class VisibilityView(RecordActionView):
    """Withdraw or restore: the same service, told which way."""

    visibility = None
    done_message = ""

    def act(self, record, reason):
        services.record_set_visibility(
            record=record, visibility=self.visibility, reviewer=self.request.user, reason=reason
        )
        messages.success(self.request, self.done_message)


class WithdrawView(VisibilityView):
    visibility = Visibility.WITHDRAWN
    done_message = _("Withdrawn from the public site. It can be restored.")


class RestoreView(VisibilityView):
    visibility = Visibility.PUBLISHED
    done_message = _("Restored to the public site.")


def _can_see_change(user, change):
    return is_reviewer(user) or change.author_id == user.pk


class ChangeDetailView(VolunteerRequiredMixin, TemplateView):
    template_name = "editing/change_detail.html"

    def get_context_data(self, **kwargs):
        change = get_object_or_404(ChangeRequest.objects.with_related(), pk=kwargs["pk"])
        if not _can_see_change(self.request.user, change):
            raise Http404("No such change.")
        rows, new_source, form_errors = selectors.change_diff(change, viewer=self.request.user)
        return super().get_context_data(
            change=change,
            diff_rows=rows,
            new_source=new_source,
            form_errors=form_errors,
            kind=kind_for_model(type(change.record)),
            version_number=(
                services.version_number(change.record, change.version) if change.version else None
            ),
            conflict=change.is_pending
            and services.stale_since(change.record, change.base_version) is not None,
            approve_form=ApproveForm(),
            reject_form=RejectForm(),
            **kwargs,
        )


class ApproveView(ReviewerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        change = get_object_or_404(ChangeRequest, pk=pk)
        form = ApproveForm(request.POST)
        form.is_valid()
        try:
            services.change_approve(
                change=change,
                reviewer=request.user,
                form_class=kind_for_model(type(change.record)).form_class,
                override_conflict=form.cleaned_data.get("override_conflict", False),
            )
        except services.EditConflict:
            messages.error(
                request,
                gettext(
                    "The record changed after this edit was made. Compare, then approve it over "
                    "the newer version or reject it."
                ),
            )
            return redirect(change.get_absolute_url())
        except ValidationError as exc:
            messages.error(
                request,
                gettext("This change cannot be applied: %(reasons)s")
                % {"reasons": " ".join(exc.messages)},
            )
            return redirect(change.get_absolute_url())
        messages.success(request, gettext("Approved and published."))
        return redirect("editing:review")


class RejectView(ReviewerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        change = get_object_or_404(ChangeRequest, pk=pk)
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give the author a reason for the rejection."))
            return redirect(change.get_absolute_url())
        try:
            services.change_reject(
                change=change, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(change.get_absolute_url())
        messages.success(request, gettext("Rejected. The author sees your reason."))
        return redirect("editing:review")


class ReviewQueueView(ReviewerRequiredMixin, TemplateView):
    template_name = "editing/review_queue.html"

    def get_context_data(self, **kwargs):
        from apps.tips.selectors import open_tips

        page_obj, items = selectors.review_queue(
            viewer=self.request.user, page=self.request.GET.get("page", 1)
        )
        return super().get_context_data(page_obj=page_obj, items=items, tips=open_tips(), **kwargs)


class MyContributionsView(VolunteerRequiredMixin, TemplateView):
    template_name = "editing/my_contributions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            grouped=selectors.contributions(user=self.request.user),
            kinds=editable_kinds(),
            **kwargs,
        )


class RecentChangesView(TemplateView):
    """Published changes, newest first. It has no filters: any parameter but `page` is said
    not to be applied, and a page that is not a number is a 400, as on the lists."""

    template_name = "editing/recent_changes.html"
    per_page = 50

    def get(self, request, *args, **kwargs):
        paginator = Paginator(selectors.recent_changes(), self.per_page)
        page, error, status = page_of(paginator, request.GET)
        context = self.get_context_data(
            errors=[error] if error else [],
            ignored_params=ignored_params(request.GET, ()),
            page_obj=page,
            changes=list(page.object_list) if page else [],
        )
        return self.render_to_response(context, status=status)


class AutocompleteView(VolunteerRequiredMixin, View):
    """Suggestions for the record pickers of the edit forms (JSON)."""

    def get(self, request, kind):
        return JsonResponse(
            {"results": autocomplete_labels(kind, request.GET.get("q", ""), user=request.user)}
        )
