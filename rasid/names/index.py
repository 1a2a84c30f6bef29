"""An index over every name of every watchlist entity, retrieving candidates by key.

Each name part is posted under its key and its coarse key. A query looks up its own parts'
keys, adds up the rarity of what it finds per entity, and scores only the best few
candidates in full: the list is never scanned. Rarity (inverse document frequency of a key
among indexed names) also weighs parts in the score, so a shared "Mohammed" counts for less
than a shared "Noureddine".
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from rasid.names.parts import Part, parse
from rasid.names.score import (
    ALERT_THRESHOLD,
    Facts,
    NameSide,
    Scored,
    combine,
    facts_adjustment,
    idf_rarity,
    name_score,
    side,
)
from rasid.screen.model import Match, Subject

CANDIDATES = 40  # entities scored in full per query
COARSE_SHARE = 0.6  # a coarse-key hit counts for this share of an exact one


@dataclass
class Entry:
    """One indexed entity: its names (parsed) and facts."""

    entity_id: str
    names: list[str]
    parsed: list[list[Part]]
    facts: Facts
    sides: list[NameSide] | None = None  # weighted parts, made on first use
    sides_version: int = -1  # the index version the weights were taken at
    keys: list[frozenset[str]] = field(default_factory=list)  # per name: keys, coarse keys


@dataclass
class NameIndex:
    """Watchlist names by key; ``match`` proposes entities for a subject, explained."""

    entries: list[Entry] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    coarse_postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    datasets_of: dict[str, str] = field(default_factory=dict)  # entity id: its watchlist
    _rarity: dict[str, float] = field(default_factory=dict)
    _version: int = 0  # bumped by every add: rarities (and weights) change
    _rarity_version: int = 0

    def add(
        self,
        entity_id: str,
        names: list[str],
        birth_dates: list[str] | None = None,
        nationalities: list[str] | None = None,
        gender: str | None = None,
        documents: list[str] | None = None,
    ) -> None:
        """Index an entity under all its names (primary names, aliases, original script)."""
        parsed = [parse(n) for n in names]
        facts = Facts(
            tuple(birth_dates or ()),
            tuple(n.lower() for n in nationalities or ()),
            gender,
            tuple(normalise_document(d) for d in documents or ()),
        )
        number = len(self.entries)
        keys = [frozenset({p.key for p in ps} | {p.coarse for p in ps}) for ps in parsed]
        self.entries.append(Entry(entity_id, list(names), parsed, facts, keys=keys))
        for part in {p for parts in parsed for p in parts if not p.initial}:
            self.postings[part.key].append(number)
            self.coarse_postings[part.coarse].append(number)
        self._version += 1

    def __len__(self) -> int:
        return len(self.entries)

    def rarity(self, key: str) -> float:
        """How rare a key is among indexed entities (0..1)."""
        if self._rarity_version != self._version:
            self._rarity.clear()
            self._rarity_version = self._version
        if key not in self._rarity:
            df = len(set(self.postings.get(key, ())))
            self._rarity[key] = idf_rarity(df, len(self.entries))
        return self._rarity[key]

    def candidates(self, parts: list[Part], limit: int = CANDIDATES) -> list[int]:
        """The entries sharing the most informative keys with the query parts."""
        gathered: dict[int, float] = defaultdict(float)
        for part in parts:
            if part.initial:
                continue
            weight = self.rarity(part.key) + 0.05
            best: dict[int, float] = {}
            for number in self.postings.get(part.key, ()):
                best[number] = weight
            for number in self.coarse_postings.get(part.coarse, ()):
                best.setdefault(number, weight * COARSE_SHARE)
            for number, value in best.items():
                gathered[number] += value
        return heapq.nlargest(limit, gathered, key=gathered.__getitem__)

    def _sides(self, entry: Entry) -> list[NameSide]:
        if entry.sides is None or entry.sides_version != self._version:
            entry.sides = [side(ps, {p.key: self.rarity(p.key) for p in ps}) for ps in entry.parsed]
            entry.sides_version = self._version
        return entry.sides

    def score_entry(self, query: NameSide, facts: Facts, entry: Entry) -> tuple[Scored, str]:
        """The best score over an entry's names, and the name that gave it. Names sharing
        no key (exact or coarse, of a part or of two parts run together) are skipped."""
        wanted = {u.key for u, _, _ in query.units} | {u.coarse for u, _, _ in query.units}
        best, best_name = Scored(0.0), ""
        for name, keys, cand in zip(entry.names, entry.keys, self._sides(entry), strict=True):
            if wanted.isdisjoint(keys) and not _may_join(query, keys):
                continue
            scored = name_score(query, cand)
            if scored.score > best.score:
                best, best_name = scored, name
        return combine(best, facts_adjustment(facts, entry.facts)), best_name

    def match(self, subject: Subject, limit: int = 5) -> list[Match]:
        """Watchlist entities proposed for a subject, best first, each with its explanation."""
        parts = parse(subject.name)
        if not parts:
            return []
        facts = subject_facts(subject)
        query = side(parts, {p.key: self.rarity(p.key) for p in parts})
        found = []
        for number in self.candidates(parts):
            entry = self.entries[number]
            scored, name = self.score_entry(query, facts, entry)
            if scored.score > 0:
                alert = scored.score >= ALERT_THRESHOLD
                found.append(Match(entry.entity_id, scored.score, alert, name, scored.reasons))
        found.sort(key=lambda m: (-m.score, m.entity_id))
        return found[:limit]


def _may_join(query: NameSide, keys: frozenset[str]) -> bool:
    """A single query part may be two listed parts run together (Nureddin ~ Nur Din)."""
    return any(len(u.key) >= 4 for u, idx, _ in query.units if len(idx) == 1) and any(
        len(k) >= 2 for k in keys
    )


def normalise_document(number: str) -> str:
    """A document number compared without spaces, dashes or case."""
    return "".join(c for c in number.upper() if c.isalnum())


def subject_facts(subject: Subject) -> Facts:
    """The facts a subject gives, normalised for comparison."""
    return Facts(
        (subject.birth_date,) if subject.birth_date else (),
        (subject.nationality.lower(),) if subject.nationality else (),
        subject.gender.lower() if subject.gender else None,
        (normalise_document(subject.document_number),) if subject.document_number else (),
    )
