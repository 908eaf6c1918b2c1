"""`import_data deployments`: the columns are in apps/deployments/csv_format.py, the format
in docs/import.md."""

from apps.core.models import YesNoUnknown
from apps.deployments.csv_format import COLUMNS, ROW_PER_SOURCE_COLUMNS
from apps.deployments.models import Deployment, DeploymentStatus
from apps.importing.resolver import date_fields, given_values
from apps.importing.runner import Importer
from apps.importing.shared_cells import read_product_name, read_vendor_name
from apps.technologies.models import Technology


class DeploymentImporter(Importer):
    """A deployment is matched on (agency, technology, vendor, product, start date and its
    precision); its sources are listed in one row, or given by several rows."""

    kind = "deployments"
    label = "Deployments"
    columns = COLUMNS
    row_per_source_columns = ROW_PER_SOURCE_COLUMNS
    required = ["agency", "technology", "source_url"]
    tally_labels = ["Agencies", "Vendors", "Products", "Sources"]

    def __init__(self):
        self._technologies = {}

    def parse(self, reader):
        start, end = reader.date("start_date"), reader.date("end_date")
        reader.date_order("start_date", start, "end_date", end)
        return {
            "technology": self._technology(reader),
            "vendor": read_vendor_name(reader, "vendor"),
            "product": read_product_name(reader, "product"),
            "status": reader.choice("status", DeploymentStatus),
            "start": start,
            "end": end,
            "summary": reader.text("summary"),
            "public_input": reader.choice("public_input", YesNoUnknown),
            "use_policy": reader.choice("use_policy", YesNoUnknown),
        }

    def _technology(self, reader):
        # The taxonomy is seeded and edited by admins: an import never adds to it.
        name = reader.text("technology", required=True)
        if not name:
            return None
        if name.casefold() not in self._technologies:
            self._technologies[name.casefold()] = Technology.objects.by_name_or_slug(name).first()
        technology = self._technologies[name.casefold()]
        if technology is None:
            known = ", ".join(Technology.objects.values_list("name", flat=True))
            reader.add_problem(
                "technology", f"“{name}” is not a known technology; use one of: {known}."
            )
        return technology

    def save(self, row, resolver):
        values = row.values
        sources = [resolver.source(ref) for ref in row.sources]
        source = sources[0]
        vendor = None
        if values["vendor"]:
            vendor = resolver.vendor(values["vendor"], source=source, column="vendor")
        product = None
        if values["product"]:
            # The deployment shows what the product does: its technology is added to the
            # product's when missing.
            product = resolver.product(
                values["product"],
                vendor=vendor,
                source=source,
                column="product",
                technology=values["technology"],
            )
            vendor = product.vendor
        resolver.record(
            Deployment,
            label=self.label,
            key={
                "agency": resolver.agency(row.agency, source=source),
                "technology": values["technology"],
                "vendor": vendor,
                "product": product,
                **date_fields("start_date", values["start"]),
            },
            values=given_values(
                status=values["status"],
                end_date=values["end"],
                summary=values["summary"],
                public_input=values["public_input"],
                use_policy=values["use_policy"],
            ),
            sources=sources,
            file_id=row.record_id,
        )
