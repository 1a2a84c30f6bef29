"""Importers: FtM JSON lines, CSV/XLSX through FtM mappings, the UN Security Council list.

Each format is a reader (``rasid.ingest.formats``) that turns a file into entities,
statements and rejected records; ``rasid.ingest.run`` writes them in one transaction.
"""
