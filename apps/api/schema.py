"""The OpenAPI description of each kind's endpoints, generated like the endpoints from the
registry of kinds: a list's query parameters are its FilterSet's filters (names, labels,
help texts, accepted choices), so the docs say exactly what the HTML list accepts."""

from django import forms
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from apps.core.filters import AnyOfField, LabelChoiceField, RecordItemField

from .records import link_fields

REPEATABLE = "Repeat the parameter for any of several values (`{name}=a&{name}=b`)."


def value_schema(field):
    """The JSON schema of one value of a filter's form field."""
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _label in field.choices if value]}
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return {"type": "number"}
    return {"type": "string"}


def _description(name, field):
    parts = [str(field.label or name) + "."]
    if field.help_text:
        parts.append(str(field.help_text))
    item = field.item if isinstance(field, AnyOfField) else field
    if isinstance(item, RecordItemField):
        parts.append("A record's slug, name or alias.")
    if isinstance(item, LabelChoiceField):
        choices = ", ".join(f"`{value}` ({label})" for value, label in item.choices if value)
        parts.append(f"One of {choices}; the label is accepted too.")
    if isinstance(field, AnyOfField):
        parts.append(REPEATABLE.format(name=name))
    return " ".join(parts)


def filter_parameters(filterset_class):
    """One OpenAPI query parameter per filter of the list (but `sort`: the API pages in one
    order)."""
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        if name == "sort":
            continue
        field = filter_.field
        if isinstance(field, AnyOfField):
            item = value_schema(field.item)
            # A choice may be typed as its label (status=Active): documented, not enumerated.
            item.pop("enum", None)
            schema = {"type": "array", "items": item}
            explode = True
        else:
            schema, explode = value_schema(field), None
        parameters.append(
            OpenApiParameter(
                name=name,
                type=schema,
                location=OpenApiParameter.QUERY,
                required=False,
                description=_description(name, field),
                explode=explode,
                style="form" if explode else None,
            )
        )
    return parameters


LINK = {
    "type": "object",
    "description": "A linked record: its page (`url`) and its address in this API.",
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string", "description": "Kinds found by slug (agencies, vendors…)."},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
        "source_url": {
            "type": "string",
            "format": "uri",
            "description": "Sources only: where the document was published.",
        },
    },
    "required": ["id", "name", "url", "api_url"],
}


def record_schema(kind):
    link_properties = {}
    for field, _target in link_fields(kind):
        if field.many_to_one:
            link_properties[field.name] = {**LINK, "nullable": True}
        else:
            link_properties[field.name] = {"type": "array", "items": LINK}
    return {
        "type": "object",
        "description": f"A published {kind.noun}. Besides the fields below, the fields of "
        f"the {kind.plural} JSON download (`/{kind.key}/export.json`).",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri", "description": "The record's page."},
            "api_url": {"type": "string", "format": "uri"},
            "links": {
                "type": "object",
                "description": "The records it names and the sources it cites.",
                "properties": link_properties,
            },
        },
        "required": ["id", "url", "api_url", "links"],
        "additionalProperties": True,
    }


ERRORS = {
    "type": "object",
    "description": "Why the filters were refused, one line per parameter (as the HTML list "
    "says it), and each parameter's details.",
    "properties": {
        "errors": {"type": "array", "items": {"type": "string"}},
        "details": {"type": "array", "items": {"type": "object"}},
    },
}


DETAIL = {
    "type": "object",
    "description": "What went wrong (404: no published record; 429: too many requests, with "
    "a Retry-After header giving the seconds to wait).",
    "properties": {"detail": {"type": "string"}},
}


class KindSchema(AutoSchema):
    """The schema of one kind's endpoints (the view names its `kind`)."""

    def get_tags(self):
        return [self.view.kind.key]

    def get_description(self):
        kind = self.view.kind
        if self.view.action == "list":
            return (
                f"Published {kind.plural}, filtered as the list page `/{kind.key}/` filters "
                "them, oldest first (by id), a page at a time: follow `next` until it is null "
                "to read every record once."
            )
        return f"One published {kind.noun}, by its {kind.lookup}."

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.view.action == "list" and self.view.kind.filterset_class is not None:
            parameters += filter_parameters(self.view.kind.filterset_class)
        if self.view.action == "retrieve":
            kind = self.view.kind
            parameters.append(
                OpenApiParameter(
                    name="key",
                    type=str,
                    location=OpenApiParameter.PATH,
                    description=f"The {kind.noun}'s {'id' if kind.lookup == 'pk' else kind.lookup}"
                    " (as in its page's address).",
                )
            )
        return parameters

    def get_response_serializers(self):
        record = record_schema(self.view.kind)
        if self.view.action == "list":
            return {"200": record, "400": ERRORS, "429": DETAIL}
        return {"200": record, "404": DETAIL, "429": DETAIL}
