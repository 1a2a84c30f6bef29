"""Synthetic multi-agency demo scenario: people, networks and the files each agency holds."""
