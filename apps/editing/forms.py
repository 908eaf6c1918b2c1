"""The review forms: approve, reject, and the reason for a withdrawal, restoration or revert."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApproveForm(forms.Form):
    override_conflict = forms.BooleanField(
        required=False,
        label=_("The record changed since this edit was made; apply it over the newer version"),
    )


class ReasonForm(forms.Form):
    """Withdraw, restore and revert ask why; the reason is the version's summary."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Shown in the public history as the summary of the new version."),
    )


class RevertForm(ReasonForm):
    """A revert's reason, and, when it brings back a replaced document, the reviewer's
    explicit word that the earlier file will be downloadable again (it may be the
    unredacted copy the replacement was meant to hide)."""

    restore_document = forms.BooleanField(required=False)

    def __init__(self, *args, restores_document=False, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not restores_document:
            del self.fields["restore_document"]
            return
        field = self.fields["restore_document"]
        field.required = True
        field.label = (
            gettext("I understand the earlier document becomes public again")
            if public
            else gettext("I understand the earlier document becomes downloadable again")
        )
        field.error_messages["required"] = gettext(
            "Tick the box to confirm that the earlier document may be downloaded again, or "
            "cancel the revert."
        )
