"""Entity resolution: who is who across agencies.

The engine proposes pairs of records that may be the same person or organisation, each
with a score and its explanation; people judge them (same, not the same, unsure), and the
canonical ids that merge records across datasets follow from those judgements alone.
"""
