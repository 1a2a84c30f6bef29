"""What resolution takes and gives: records to compare, and scored pairs that only propose.

A ``Record`` is one entity of one dataset as the resolver sees it: its names and the facts
that identify a person or an organisation, already normalised. The engine
(``rasid.resolve.engine``) turns records into ``Pair`` proposals, each with a score in
0..1 and its explanation; the judgement queue (``rasid.resolve.judgements``) keeps what
people decided about them, and canonical ids follow from those decisions alone.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from rasid.screen.model import Reason

PROPOSE_THRESHOLD = 0.7
"""The lowest score kept as a proposal (pairs sharing a strong identifier with its issuer
are kept whatever their score). With weights learned from the run, a probability of a
match of 0.7; with fixed weights, calibrated on the cross-script benchmark set
(bench/README.md): below it, proposals are mostly people who share a common name."""

SAME_THRESHOLD = 0.9
"""Above this score a pair is very likely one person or organisation: guidance for
reviewers (the queue may show such pairs first), never a decision."""

IDENTIFIER_KINDS = ("document", "phone", "email", "account", "registration")
"""Strong identifiers: a document number with its issuing state (``NUMBER@CC``), a phone
number (E.164 digits), an e-mail address (lower case), an IBAN or account number (upper
case, no separators), a company registration number (with its jurisdiction)."""


@dataclass(frozen=True)
class Record:
    """One entity of one dataset, for comparison (values normalised and deduplicated)."""

    entity_id: str
    dataset: str
    schema: str  # the FtM schema (Person, Organization, Company, LegalEntity, ...)
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()  # YYYY, YYYY-MM or YYYY-MM-DD
    genders: tuple[str, ...] = ()  # male, female, other
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, lower case
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind from IDENTIFIER_KINDS, value)
    addresses: tuple[str, ...] = ()
    # Built with statements marked TLP:AMBER+STRICT, which a dataset shared with every
    # agency withholds from them: its pairs' explanations may quote such values.
    strict: bool = False


class Status(StrEnum):
    """Where a pair stands. Only people decide ``same`` and ``not_same``; ``auto`` is the
    reversible rule that accepts identical strong identifiers (see rasid.resolve.rules)."""

    PROPOSED = "proposed"
    SAME = "same"
    NOT_SAME = "not_same"
    UNSURE = "unsure"
    AUTO = "auto"


@dataclass(frozen=True)
class Pair:
    """Two records the engine proposes as possibly the same, ``left_id < right_id``."""

    left_id: str
    right_id: str
    score: float  # 0..1
    explanation: list[Reason] = field(default_factory=list)
    # Strong identifiers both records carry, e.g. ("document", "A1234567@sy"): what the
    # auto-accept rule looks at.
    shared_identifiers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.left_id < self.right_id:
            raise ValueError(
                f"a pair is ordered: {self.left_id!r} must sort before {self.right_id!r}"
            )
