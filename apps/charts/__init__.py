"""The registry's charts: deployments by technology, region, vendor and start year, and
contract value per year, for the home page and the technology, vendor and region pages."""
