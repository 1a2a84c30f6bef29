"""What the judgement workflow refuses, worded in English and Arabic."""

from rasid.model.errors import Worded


class ResolveError(Worded):
    """A judgement or a file of judgements that cannot be taken (a 422 in the API)."""


class UnknownPair(ResolveError):
    """No such pair, or one the caller may not see (a 404 in the API)."""


class Conflict(ResolveError):
    """A judgement that would put in one entity two records a person judged not the same,
    or split records people judged the same: it names the pair in the way."""
