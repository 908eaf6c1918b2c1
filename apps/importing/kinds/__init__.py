"""One importer per importable kind, named by the kind in the registry (`importer=`)."""
