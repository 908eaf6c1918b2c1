COLUMNS = ["name", "slug", "website", "country", "parent", "aliases", "description", "url"]


def cells(vendor):
    return {
        "name": vendor.name,
        "slug": vendor.slug,
        "website": vendor.website,
        "country": vendor.country,
        "parent": vendor.parent.slug if vendor.parent_id else None,
        "aliases": [alias.name for alias in vendor.aliases.all()],
        "description": vendor.description,
        "url": vendor.get_absolute_url(),
    }


PRODUCT_COLUMNS = ["name", "slug", "vendor", "technologies", "website", "description", "url"]


def product_cells(product):
    return {
        "name": product.name,
        "slug": product.slug,
        "vendor": product.vendor.slug,
        "technologies": [technology.slug for technology in product.technologies.all()],
        "website": product.website,
        "description": product.description,
        "url": product.get_absolute_url(),
    }
