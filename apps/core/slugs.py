from django.utils.text import slugify

# Words the URLs use after a kind's prefix (/agencies/new/): never a record's slug.
RESERVED_SLUGS = {"new", "export"}


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
