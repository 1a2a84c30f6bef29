"""Rasid (راصد): a fusion-cell platform for counter-terrorism and the crime-terror nexus."""

from rasid import native

__version__ = "0.1.0"

native.guard()  # before any compiled module is imported: a stale build must not run
