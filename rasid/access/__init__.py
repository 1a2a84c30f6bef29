"""Agencies and datasets (and, later, users, roles and the policy decision point)."""
