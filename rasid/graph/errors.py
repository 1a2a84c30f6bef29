"""Errors of link analysis."""

from rasid.model.errors import ModelError


class GraphError(ModelError):
    """A graph question that cannot be answered as asked (a bad parameter)."""


class UnknownNode(GraphError):
    """No entity with this id in the graph, or none the caller may read (the two are
    deliberately indistinguishable)."""
