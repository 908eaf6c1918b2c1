from django.db import IntegrityError, transaction
from django.utils.text import slugify

# Words the URLs use after a kind's prefix (/agencies/new/): never a record's slug.
RESERVED_SLUGS = {"new", "export", "transparency"}

# How many times a new record whose slug another transaction took meanwhile picks the next
# free one before giving up: each attempt sees the slugs committed since the last one.
SLUG_ATTEMPTS = 5


def unique_slug(model, *parts, max_length=120, exclude_pk=None):
    """A slug from `parts` that no other row of `model` has: the base, then base-2, base-3..."""
    base = slugify(" ".join(str(part) for part in parts if part))[:max_length].strip("-")
    base = base or "record"
    if base in RESERVED_SLUGS:
        base = f"{base}-{model._meta.model_name}"
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return candidate


def save_with_free_slug(record, **save_kwargs):
    """Save `record`; when it is new and another transaction took its slug after it was
    chosen (two people adding an agency of the same name at once), choose again and retry,
    instead of failing on the unique index. A savepoint keeps the surrounding transaction
    usable after the refused insert. The record's model picks a new slug in save() when the
    slug is empty (agencies, vendors and products do)."""
    if not (record._state.adding and hasattr(record, "slug")):
        record.save(**save_kwargs)
        return
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                record.save(**save_kwargs)
            return
        except IntegrityError:
            taken = (
                type(record)._default_manager.filter(slug=record.slug).exclude(pk=record.pk)
            ).exists()
            if not taken or attempt == SLUG_ATTEMPTS - 1:
                raise  # another rule (a unique ORI, say), or always beaten: not a slug race
            record.slug = ""
