COLUMNS = [
    "name",
    "slug",
    "kind",
    "jurisdiction_level",
    "country",
    "region",
    "locality",
    "latitude",
    "longitude",
    "website",
    "ori",
    "ocd_division_id",
    "parent",
    "aliases",
    "url",
]


def cells(agency):
    return {
        "name": agency.name,
        "slug": agency.slug,
        "kind": agency.kind,
        "jurisdiction_level": agency.jurisdiction_level,
        "country": agency.country,
        "region": agency.region,
        "locality": agency.locality,
        "latitude": agency.latitude,
        "longitude": agency.longitude,
        "website": agency.website,
        "ori": agency.ori,
        "ocd_division_id": agency.ocd_division_id,
        "parent": agency.parent.slug if agency.parent_id else None,
        "aliases": [alias.name for alias in agency.aliases.all()],
        "url": agency.get_absolute_url(),
    }
