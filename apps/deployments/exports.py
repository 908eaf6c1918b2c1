"""The JSON form of a deployment in exports (the CSV form is csv_format.py, which imports)."""


def partial_date_json(partial):
    return None if partial is None else {"date": partial.iso, "precision": partial.precision}


def source_json(source):
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": partial_date_json(source.published),
    }


def deployment_json(deployment):
    agency = deployment.agency
    return {
        "id": deployment.pk,
        "url": deployment.get_absolute_url(),
        "agency": {
            "name": agency.name,
            "slug": agency.slug,
            "kind": agency.kind,
            "country": agency.country,
            "region": agency.region,
            "locality": agency.locality,
            "ori": agency.ori,
        },
        "technology": deployment.technology.slug,
        "vendor": deployment.vendor.slug if deployment.vendor_id else None,
        "product": deployment.product.slug if deployment.product_id else None,
        "status": deployment.status,
        "start": partial_date_json(deployment.start),
        "end": partial_date_json(deployment.end),
        "summary": deployment.summary,
        "public_input": deployment.public_input,
        "use_policy": deployment.use_policy,
        "data_sharing": deployment.data_sharing,
        "last_verified": deployment.last_verified,
        "sources": [source_json(source) for source in deployment.sources.all()],
        "updated_at": deployment.updated_at,
    }
