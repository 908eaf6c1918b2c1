"""Where templates live, and the one field and error partials every form renders with."""

from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import resolve, reverse

from apps.records.registry import all_kinds

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_template_lives_under_the_app_that_renders_it():
    labels = {config.label for config in apps.get_app_configs()}
    misplaced = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        # Django's default error handlers look these two up at the root.
        and str(path.relative_to(TEMPLATES)) not in {"404.html", "500.html"}
        and path.relative_to(TEMPLATES).parts[0] not in labels
    ]
    assert misplaced == []


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda kind: kind.key)
def test_each_kinds_list_and_detail_templates_exist_and_its_list_page_uses_them(kind):
    for page in ("list", "detail"):
        get_template(kind.template(page))
    assert resolve(reverse(kind.list_url_name)).func.view_class.template_name == kind.template(
        "list"
    )


class EveryKindOfField(forms.Form):
    name = forms.CharField(help_text="The official name.")
    nickname = forms.CharField(required=False)
    colour = forms.ChoiceField(
        choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect, help_text="One."
    )
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def field_html(form, name):
    return render_to_string("core/components/form_field.html", {"field": form[name]})


def test_the_field_partial_marks_required_fields_and_ties_help_and_errors_to_the_input():
    form = EveryKindOfField(data={"nickname": "x"})
    assert not form.is_valid()
    name = field_html(form, "name")
    # site.css stars a required field's label; the label's text stays the name alone.
    assert 'class="form-field has-error required"' in name
    assert '<label for="id_name">Name</label>' in name
    assert '<input type="text" name="name" required' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert '<div class="help" id="id_name_helptext">The official name.</div>' in name
    assert '<ul class="field-errors" id="id_name_error"><li>This field is required.</li>' in name
    nickname = field_html(form, "nickname")
    assert "required" not in nickname and "has-error" not in nickname


def test_the_field_partial_groups_choices_in_a_fieldset_and_puts_a_checkbox_in_its_label():
    form = EveryKindOfField(data={})
    form.is_valid()
    colour = field_html(form, "colour")
    assert colour.strip().startswith('<fieldset id="id_colour"')
    assert 'aria-describedby="id_colour_helptext id_colour_error"' in colour
    assert "<legend>Colour</legend>" in colour and '<label for="id_colour_0">' in colour
    agree = field_html(form, "agree")
    assert 'class="form-field has-error required checkbox"' in agree
    assert '<label for="id_agree"><input type="checkbox" name="agree"' in agree
    assert field_html(form, "token").strip() == '<input type="hidden" name="token" id="id_token">'


def test_the_error_summary_links_each_message_to_its_field_and_says_the_note():
    form = EveryKindOfField(data={})
    form.is_valid()
    html = render_to_string(
        "core/components/form_errors.html", {"form": form, "note": "Nothing was saved."}
    )
    assert "Please correct 3 problems" in html and "<p>Nothing was saved.</p>" in html
    assert '<a href="#id_name">Name</a>: This field is required.' in html
    # A group of radios has no single input to label: the link goes to its fieldset.
    assert '<a href="#id_colour">Colour</a>' in html
    assert not render_to_string("core/components/form_errors.html", {"form": forms.Form()}).strip()
