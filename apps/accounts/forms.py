from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from . import services, two_factor
from .models import Invitation, InvitationRole

NO_EMAIL_IN_PUBLIC_NAMES = _(
    "This is shown publicly, so it can't contain “@”. Don't use an email address."
)


def refuse_at_sign(value):
    if value and "@" in value:
        raise forms.ValidationError(NO_EMAIL_IN_PUBLIC_NAMES, code="email_like")
    return value


DISPLAY_NAME_HELP = _(
    "Shown publicly next to your changes, for example “Jane D.” or a pseudonym. "
    "Leave it blank to show your username."
)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation link is sent to this address and works once."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=InvitationRole.choices,
        initial=InvitationRole.VOLUNTEER,
        widget=forms.RadioSelect,
        help_text=_(
            "Volunteers add and edit records; their changes wait for review. "
            "Reviewers approve changes and publish directly. Only admins can invite reviewers."
        ),
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        allowed = [
            (value, label)
            for value, label in InvitationRole.choices
            if services.can_invite(inviter, value)
        ]
        # Offer only the roles this person may give; a forged choice still meets clean_role.
        self.fields["role"].widget.choices = allowed

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if services.email_has_account(email):
            raise forms.ValidationError(
                _("Someone with this email address already has an account."), code="has_account"
            )
        if Invitation.objects.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "This address already has a pending invitation. Revoke it in the list below "
                    "to send a new link."
                ),
                code="pending",
            )
        return email

    def clean_role(self):
        role = self.cleaned_data["role"]
        if not services.can_invite(self.inviter, role):
            raise forms.ValidationError(
                _(
                    "Only admins can invite reviewers. Invite this person as a volunteer, or ask "
                    "an admin."
                ),
                code="not_allowed",
            )
        return role


class AcceptInvitationForm(UserCreationForm):
    """Username, display name and password for a new account; the email address comes from
    the invitation (pass `instance=User(email=...)` so the password validators can compare
    the password with it)."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "display_name")
        labels = {"display_name": _("Display name")}
        help_texts = {
            "username": _("You sign in with it. Letters, digits and . + - _ only."),
            "display_name": DISPLAY_NAME_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"

    def clean_username(self):
        refuse_at_sign(self.cleaned_data.get("username"))
        return super().clean_username()

    def clean_display_name(self):
        return refuse_at_sign(self.cleaned_data.get("display_name", "").strip())

    def _post_clean(self):
        # ModelForm._post_clean, then the password validators with the first password field,
        # so their messages sit next to the field the person typed the password in.
        forms.ModelForm._post_clean(self)
        # A form field's name, not a password.
        self.validate_password_for_user(self.instance, password_field_name="password1")  # nosec B106


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("display_name",)
        labels = {"display_name": _("Display name")}
        help_texts = {"display_name": DISPLAY_NAME_HELP}

    def clean_display_name(self):
        return refuse_at_sign(self.cleaned_data.get("display_name", "").strip())


class TwoFactorCodeForm(forms.Form):
    """One code, checked against the given devices (two_factor.check_code): a wrong code or
    a throttled device is a form error, never an exception."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, user, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.devices = devices
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        devices = self.devices(code) if callable(self.devices) else self.devices
        try:
            self.device = two_factor.check_code(self.user, code, devices)
        except two_factor.CodeRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from None
        return code
