"""Watchlist screening: subjects scored against watchlist entities, hits for human review."""
