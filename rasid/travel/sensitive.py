"""The safeguard on receipt: sensitive PNR data is removed before anything is stored.

PNR data revealing religion, health and the other traits of EU PNR Directive art. 13(4) may
not be processed. The rules are data (``sensitive.yml``): IATA special service request codes
(special meals, medical cases, wheelchairs...) with the category each can reveal, code
patterns, and keywords in English and Arabic searched in free text. ``screen_pnr`` returns the
PNR without the matching SSRs, remarks, history lines and free-text contacts, and how many
items of each category it removed: the caller keeps the counts, never the items.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources
from typing import Any, TypeVar

import yaml

from rasid.model.text import normalize_text
from rasid.travel.pnr import Contact, HistoryItem, Leg, Pnr, PnrTraveller, Remark, Ssr

# What may stand before an Arabic word: the article and one-letter prefixes (and, so, with,
# for, like), longest first so that "وال" is tried before "و".
PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
MIN_ARABIC_STEM = 3  # a shorter word after a prefix is too often another word (لحج, Lahij)

T = TypeVar("T")


ARABIC = re.compile("[\u0600-\u06ff]")
MEMORY = 100_000  # words whose category is remembered (see ``Rules._token_category``)


def _is_arabic(text: str) -> bool:
    return ARABIC.search(text) is not None


@dataclass(frozen=True)
class Phrase:
    """A keyword of several words: each word exact, or a stem when it ends in ``*``."""

    words: tuple[str, ...]
    category: str


@dataclass(frozen=True)
class Rules:
    """The declared sensitive codes and keywords, ready for matching."""

    codes: dict[str, str]  # SSR code -> category
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    exempt: frozenset[str]  # SSR codes whose text is not searched for keywords
    words: dict[str, str]  # normalised single word -> category
    stems: tuple[tuple[str, str], ...]  # normalised word start -> category
    phrases: tuple[Phrase, ...]
    categories: frozenset[str]

    def code_category(self, code: str) -> str | None:
        """The category of an SSR code (listed, or of a listed shape), or None."""
        code = code.strip().upper()
        found = self.codes.get(code)
        if found is None:
            found = next((c for p, c in self.patterns if p.fullmatch(code)), None)
        return found

    def text_category(self, text: str) -> str | None:
        """The category of the first sensitive code or keyword in free text, or None."""
        tokens = normalize_text(text).split()
        for i, token in enumerate(tokens):
            found = self._token_category(token)
            if found is None and token in self._phrase_words:
                found = self._phrase_category(tokens, i)
            if found is not None:
                return found
        return None

    def ssr_category(self, ssr: Ssr) -> str | None:
        """The category of an SSR by its code, or by its text unless the code is exempt."""
        found = self.code_category(ssr.code)
        if found is None and ssr.code.upper() not in self.exempt and ssr.text:
            found = self.text_category(ssr.text)
        return found

    # The declared keywords are tried at every word of every remark of every PNR. What a
    # single word gives is remembered (the same words come back in every file), and the
    # keywords are indexed: a phrase by its first word (never a stem: see ``_keyword_rules``),
    # a stem by its length.

    @cached_property
    def _known(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def _phrase_words(self) -> frozenset[str]:
        """Every token that may begin a phrase: its first word, bare or after a prefix."""
        firsts = {phrase.words[0] for phrase in self.phrases}
        return frozenset(firsts | {p + w for w in firsts for p in PROCLITICS})

    @cached_property
    def _phrases_by_first(self) -> dict[str, tuple[tuple[int, Phrase], ...]]:
        found: dict[str, list[tuple[int, Phrase]]] = {}
        for i, phrase in enumerate(self.phrases):
            found.setdefault(phrase.words[0], []).append((i, phrase))
        return {word: tuple(listed) for word, listed in found.items()}

    @cached_property
    def _stems_by_length(self) -> dict[int, dict[str, tuple[int, str]]]:
        """Stems by length, each with its place in the declaration (the first listed wins)."""
        found: dict[int, dict[str, tuple[int, str]]] = {}
        for i, (stem, category) in enumerate(self.stems):
            found.setdefault(len(stem), {}).setdefault(stem, (i, category))
        return found

    def _token_category(self, token: str) -> str | None:
        """The category of one word as a code or a keyword, remembered."""
        known = self._known
        if token in known:
            return known[token]
        found = self.code_category(token) if token.isascii() else None
        found = found or self._word_category(token)
        if len(known) >= MEMORY:
            known.clear()
        known[token] = found
        return found

    def _word_category(self, token: str) -> str | None:
        for candidate in _candidates(token):
            if candidate in self.words:
                return self.words[candidate]
            stems = [
                listed[candidate[:length]]
                for length, listed in self._stems_by_length.items()
                if candidate[:length] in listed
            ]
            if stems:
                return min(stems)[1]
        return None

    def _phrase_category(self, tokens: list[str], start: int) -> str | None:
        """The first declared phrase that begins at ``start``."""
        by_first = self._phrases_by_first
        starting = sorted(
            entry for c in _candidates(tokens[start]) for entry in by_first.get(c, ())
        )
        for _, phrase in starting:
            window = tokens[start : start + len(phrase.words)]
            if len(window) == len(phrase.words) and all(
                _word_matches(word, token) for word, token in zip(phrase.words, window, strict=True)
            ):
                return phrase.category
        return None


def _candidates(token: str) -> list[str]:
    """The token, and for Arabic the token without each prefix it may carry."""
    found = [token]
    if _is_arabic(token):
        for prefix in PROCLITICS:
            rest = token[len(prefix) :]
            if token.startswith(prefix) and len(rest) >= MIN_ARABIC_STEM:
                found.append(rest)
    return found


def _word_matches(word: str, token: str) -> bool:
    for candidate in _candidates(token):
        if candidate == word or (word.endswith("*") and candidate.startswith(word[:-1])):
            return True
    return False


KeywordRules = tuple[dict[str, str], list[tuple[str, str]], list[Phrase]]


def _keyword_rules(entries: Iterable[dict[str, Any]]) -> KeywordRules:
    """Keywords sorted by how they match: single words, stems (``word*``), phrases."""
    words: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    phrases: list[Phrase] = []
    for entry in entries:
        star = str(entry["text"]).endswith("*")
        normalised = normalize_text(str(entry["text"]).rstrip("*")).split()
        category = str(entry["category"])
        if len(normalised) > 1:
            last = normalised[-1] + ("*" if star else "")
            phrases.append(Phrase((*normalised[:-1], last), category))
        elif star:
            stems.append((normalised[0], category))
        else:
            words[normalised[0]] = category
    return words, stems, phrases


def load_rules(text: str) -> Rules:
    """Rules from the YAML text of a sensitive-data declaration (see ``sensitive.yml``)."""
    data = yaml.safe_load(text)
    categories = frozenset(data["categories"])
    words, stems, phrases = _keyword_rules(data["keywords"])
    rules = Rules(
        codes={code.upper(): str(e["category"]) for code, e in data["ssr_codes"].items()},
        patterns=tuple(
            (re.compile(str(p["pattern"])), str(p["category"])) for p in data["ssr_code_patterns"]
        ),
        exempt=frozenset(code.upper() for code in data["keyword_exempt_codes"]),
        words=words,
        stems=tuple(stems),
        phrases=tuple(phrases),
        categories=categories,
    )
    used = set(rules.codes.values()) | set(words.values()) | {c for _, c in stems}
    used |= {p.category for p in phrases} | {c for _, c in rules.patterns}
    if not used <= categories:
        raise ValueError(f"undeclared categories: {', '.join(sorted(used - categories))}")
    return rules


@cache
def default_rules() -> Rules:
    """The rules shipped with Rasid (``rasid/travel/sensitive.yml``)."""
    text = resources.files("rasid.travel").joinpath("sensitive.yml").read_text("utf-8")
    return load_rules(text)


class _Screen:
    """One PNR's pass through the rules, counting what it removes by category."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.removed: Counter[str] = Counter()

    def keep(self, items: Iterable[T], category_of: Callable[[T], str | None]) -> tuple[T, ...]:
        """The items of no category; the others counted."""
        kept = []
        for item in items:
            category = category_of(item)
            if category is None:
                kept.append(item)
            else:
                self.removed[category] += 1
        return tuple(kept)

    def ssrs(self, items: Iterable[Ssr]) -> tuple[Ssr, ...]:
        return self.keep(items, self.rules.ssr_category)

    def remarks(self, items: Iterable[Remark]) -> tuple[Remark, ...]:
        return self.keep(items, lambda r: self.rules.text_category(r.text))

    def history(self, items: Iterable[HistoryItem]) -> tuple[HistoryItem, ...]:
        return self.keep(items, lambda h: self.rules.text_category(h.text))

    def contacts(self, items: Iterable[Contact]) -> tuple[Contact, ...]:
        # Contacts read from free text carry its words; structured ones (ADD) are addresses.
        return self.keep(
            items, lambda c: self.rules.text_category(c.value) if c.source != "ADD" else None
        )

    # Records are frozen: one the safeguard left whole is kept as it is. Nearly all come
    # through whole, and copying each cost more than the rest of the safeguard.

    def traveller(self, traveller: PnrTraveller) -> PnrTraveller:
        ssrs, remarks = self.ssrs(traveller.ssrs), self.remarks(traveller.remarks)
        if len(ssrs) == len(traveller.ssrs) and len(remarks) == len(traveller.remarks):
            return traveller
        return replace(traveller, ssrs=ssrs, remarks=remarks)

    def leg(self, leg: Leg) -> Leg:
        ssrs = self.ssrs(leg.ssrs)
        return leg if len(ssrs) == len(leg.ssrs) else replace(leg, ssrs=ssrs)


def screen_pnr(pnr: Pnr, rules: Rules | None = None) -> tuple[Pnr, Counter[str]]:
    """The PNR without its sensitive SSRs, remarks, history lines and free-text contacts, and
    how many items of each category were removed."""
    screen = _Screen(rules or default_rules())
    screened = replace(
        pnr,
        ssrs=screen.ssrs(pnr.ssrs),
        remarks=screen.remarks(pnr.remarks),
        history=screen.history(pnr.history),
        contacts=screen.contacts(pnr.contacts),
        travellers=tuple(screen.traveller(t) for t in pnr.travellers),
        itinerary=tuple(screen.leg(leg) for leg in pnr.itinerary),
    )
    return screened, screen.removed
