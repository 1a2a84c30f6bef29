"""Rasid's data model: FtM schemata, statements with provenance, markings, gradings, retention.

Pure code and declarative data; nothing here does I/O beyond reading the package's own YAML.
"""
