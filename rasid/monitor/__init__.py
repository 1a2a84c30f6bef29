"""Nexus monitoring: the toolkit's watch points as a scored, versioned instrument."""
