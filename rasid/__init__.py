"""Rasid (راصد): a fusion-cell platform for counter-terrorism and the crime-terror nexus."""

__version__ = "0.1.0"
