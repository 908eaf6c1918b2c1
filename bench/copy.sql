-- What PostgreSQL itself writes for the columns of /deployments/export.csv (apps/deployments/
-- csv_format.py), in the export's order: the ceiling the export's rate is compared with.
-- The same joins and lists (published contracts, published sources with their citations);
-- partial dates are written as full dates and nda_ids is left empty (the NDA covering rule
-- is application logic), so COPY does slightly less work than the export.
COPY (
  SELECT d.id,
         'http://localhost:8000/deployments/' || d.id || '/' AS url,
         a.name, a.slug, a.kind, a.country, a.region, a.locality, a.ori,
         a.latitude, a.longitude,
         t.name, v.name, v.slug, p.name, d.status, d.start_date, d.end_date, d.summary,
         d.public_input, d.use_policy,
         (SELECT string_agg(c.id::text, ' | ' ORDER BY c.id)
            FROM contracts_contract_deployments cd
            JOIN contracts_contract c ON c.id = cd.contract_id AND c.visibility = 'published'
           WHERE cd.deployment_id = d.id) AS contract_ids,
         '' AS nda_ids,
         s.urls, s.titles, s.publishers, s.dates, s.pages, s.quotes
    FROM deployments_deployment d
    JOIN agencies_agency a ON a.id = d.agency_id
    JOIN technologies_technology t ON t.id = d.technology_id
    LEFT JOIN vendors_vendor v ON v.id = d.vendor_id
    LEFT JOIN vendors_product p ON p.id = d.product_id
    LEFT JOIN LATERAL (
      SELECT string_agg(so.url, ' | ' ORDER BY ds.id) AS urls,
             string_agg(so.title, ' | ' ORDER BY ds.id) AS titles,
             string_agg(so.publisher, ' | ' ORDER BY ds.id) AS publishers,
             string_agg(so.publication_date::text, ' | ' ORDER BY ds.id) AS dates,
             string_agg(coalesce(ds.page::text, ''), ' | ' ORDER BY ds.id) AS pages,
             string_agg(ds.quote, ' | ' ORDER BY ds.id) AS quotes
        FROM deployments_deployment_sources ds
        JOIN sources_source so ON so.id = ds.source_id AND so.visibility = 'published'
       WHERE ds.deployment_id = d.id
    ) s ON true
   WHERE d.visibility = 'published'
   ORDER BY d.start_date DESC NULLS LAST, d.id
) TO STDOUT (FORMAT csv, HEADER)
