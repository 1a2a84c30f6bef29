"""Scoring a subject against a watchlist entry, with the reasons for the score.

The name score aligns the parts of the two names (order-free: surname-first registers and
reordered patronymic chains still meet), weighs each part by how informative its key is,
and discounts parts left unmatched on either side. Dates of birth, nationality, gender and
document numbers then raise or lower it. Every step adds a Reason to the explanation.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from rasid.names.keys import latin_key
from rasid.names.korean import is_korean_key
from rasid.names.parts import VOWEL_INITIALS, Part, parse
from rasid.screen.model import Reason

ALERT_THRESHOLD = 0.85
"""A match at or above this score raises an alert for review. Calibrated on the screening
benchmark (bench/README.md) so that at most 0.5 % of people not on the list alert."""

PAIR_FLOOR = 0.55  # part pairs below this similarity do not count as matched
EXTRA_PARTS = 0.45  # exponent of the candidate's coverage (its unmatched parts cost less)


@dataclass(frozen=True)
class Facts:
    """What is known of a person beside names (all optional, already normalised)."""

    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    documents: tuple[str, ...] = ()


@dataclass
class Scored:
    """A score in 0..1 and the reasons for it."""

    score: float
    reasons: list[Reason] = field(default_factory=list)


def _initial_of(letter: str, full: Part) -> bool:
    """True when ``letter`` (an initial's key) may stand for the part ``full``: its key
    begins with it, or, for a letter the key leaves out (A., Y.), its text does."""
    starts = VOWEL_INITIALS.get(letter.lower())
    if starts is None:
        return full.key.startswith(letter)
    return full.text[:1] in starts if full.arabic else full.text[:1] == letter.lower()


def part_similarity(q: Part, c: Part) -> tuple[float, str]:
    """How alike two name parts are (0..1) and why, in words."""
    if q.initial or c.initial:
        full = c if q.initial else q
        letter = (q if q.initial else c).key[:1]
        if letter and _initial_of(letter, full) and not (q.initial and c.initial):
            return 0.6, "initial"
        return (0.9, "same initial") if q.key == c.key else (0.0, "")
    if q.joined and c.joined:
        return 0.0, ""  # two run-together pairs are better compared part by part
    if q.key == c.key:
        if is_korean_key(q.key):  # Jo / Cho, Chol / Cheol / Chul
            if q.text == c.text:
                return 1.0, "identical"
            return 0.95, f"one Korean syllable romanised two ways ({q.text} / {c.text})"
        if q.arabic != c.arabic:
            if _long_vowels_differ(q, c):
                sim, why = VOWEL_DIFFERENCES["name"]
                return sim, f"{why}: a long vowel one script writes ({q.text} / {c.text})"
            if len(q.key) <= 2:  # Ali, Eid, Saad: few letters say little across scripts
                return 0.86, f"same letters across scripts, short name ({q.key})"
            return 0.95, f"same letters across scripts ({q.key})"
        if (q.joined or c.joined) and JaroWinkler.similarity(q.text, c.text) < 0.85:
            return 0.0, ""
        if q.text == c.text:
            return 1.0, "identical"
        if q.arabic:  # both Arabic: the letters are known, so they must look alike too
            text = JaroWinkler.similarity(q.text, c.text)
            if text < 0.8:
                return 0.55, f"same consonants, other letters ({q.text} / {c.text})"
            return 0.9 + 0.1 * text, f"spelling variant ({q.key})"
        vowels = vowel_difference(q.text, c.text)
        if vowels:
            sim, why = VOWEL_DIFFERENCES[vowels]
            return sim, f"{why} ({q.text} / {c.text})"
        if len(q.key) <= 1:
            # Few consonants (Awad, Eid, Ali): the key says little, the spelling decides.
            text = JaroWinkler.similarity(q.text, c.text)
            return (text if text >= 0.85 else text * 0.6), f"short name, spelling ({q.key})"
        return 0.9 + 0.1 * JaroWinkler.similarity(q.text, c.text), f"spelling variant ({q.key})"
    if q.joined or c.joined:
        return 0.0, ""
    if _with_din(q.key, c.key) or _with_din(c.key, q.key):
        return WITH_DIN, f"the same name with and without -uddin ({q.text} / {c.text})"
    if _kh_for_h(q, c):
        return KH_FOR_H, f"h and kh written for one another ({q.text} / {c.text})"
    latin = not q.arabic and not c.arabic
    # In one script the letters themselves are known: a loose key match must also look
    # alike (John / Kuni share a coarse key, حمدي / محمد are one letter apart: not a name).
    same_script = q.arabic == c.arabic
    text = JaroWinkler.similarity(*_told_apart(q, c)) if same_script else 1.0
    best, why = 0.0, ""
    if q.coarse == c.coarse and len(q.coarse) >= 2 and text >= 0.75:
        best, why = 0.7, f"close letters ({q.key} ~ {c.key})"
    longest = max(len(q.key), len(c.key))
    if longest >= (3 if same_script else 5) and one_letter_apart(q.key, c.key):
        near = 0.75 if longest >= 4 and text >= 0.8 else 0.68 if text >= 0.85 else 0.0
        if near > best:
            best, why = near, f"one letter apart ({q.key} ~ {c.key})"
    if latin and text * 0.9 > best and text >= 0.88:
        best, why = text * 0.9, "similar spelling"
    return best, why


_LATIN_YA = re.compile(r"(?:ee|ei|ey|ai|ay)(?=[a-z])")  # spellings of ي inside a word


def _long_vowels_differ(q: Part, c: Part) -> bool:
    """An Arabic and a Latin part with the same consonants that are two names by the long
    vowel Arabic script writes as ي: Hussein is حسين, not حسن (ei, ee, ai or ay inside a
    Latin word stand for it), and حسين is not Hassan (a Latin spelling of it has an i, e
    or y). Short vowels are not written in Arabic script, so they never count."""
    arabic, latin = (q.text, c.text) if q.arabic else (c.text, q.text)
    ya = arabic.find("ي", 1)
    if ya < 0:
        return _LATIN_YA.search(latin) is not None
    inside = ya < len(arabic) - 1  # a final ي is the name's ending (Ali, علي)
    return inside and not any(v in latin for v in "iey")


def _told_apart(q: Part, c: Part) -> tuple[str, str]:
    """The texts whose spelling tells two parts apart: for two Abd compounds, what follows
    Abd (Abdul Habib and Abdul Haq share a long beginning that says nothing)."""
    if q.key.startswith("BD") and c.key.startswith("BD"):
        return _after_abd(q.text), _after_abd(c.text)
    return q.text, c.text


def _after_abd(text: str) -> str:
    if " " in text:
        return text.rsplit(" ", 1)[1]
    rest = text[3:]
    if len(rest) > 3 and rest[0] in "aeiou":
        # Abdelaziz: the article goes; Abderrahmane: its vowel and the doubled letter;
        # Abdurochim: the vowel.
        return rest[2:] if rest[1] == "l" or rest[1] == rest[2] else rest[1:]
    return rest


def one_letter_apart(a: str, b: str) -> bool:
    """True when two keys differ by one letter that a spelling may change: not a letter
    added before the first (Salim / Moslim are two names), and, in two Abd compounds, in
    what follows Abd (Abd al-Habib / Abd al-Haq are two names, however short the tail)."""
    if a.startswith("BD") and b.startswith("BD"):
        a, b = a[2:], b[2:]
        if max(len(a), len(b)) < 3:
            return False
    if Levenshtein.distance(a, b, score_cutoff=1) != 1:
        return False
    return len(a) == len(b) or a[0] == b[0]


WITH_DIN = 0.8  # Siraj / Sirajuddin, Nur / Noureddine: the short form of a compound


def _with_din(short: str, long: str) -> bool:
    """True when ``long`` is ``short`` with -uddin (al-Din) after it."""
    return len(short) >= 2 and long.endswith("DN") and long[:-2].rstrip("H") == short


KH_FOR_H = 0.85  # Akhmed / Ahmed, Khasan / Hasan, Halil / Khalil


def _kh_for_h(q: Part, c: Part) -> bool:
    """True when two parts' keys differ only in one place, where one has kh (X) and the other
    h (H). Russian and Central Asian spellings write ḥ (ح) as kh (Akhmed, Mukhammad,
    Khasan), and Turkish and Bosnian ones write kh (خ) as h (Halil, Halid, Hayri): in Latin
    the two letters stand for one another. In Arabic script they are two letters, so two
    Arabic-script parts never meet so; two Latin ones must have the same vowels too (Hilal /
    Khalil are two names)."""
    a, b = q.key, c.key
    if len(a) != len(b) or len(a) < 2 or (q.arabic and c.arabic):
        return False
    if not q.arabic and not c.arabic and vowel_difference(q.text, c.text) == "name":
        return False
    apart = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(apart) == 1 and set(apart[0]) == {"H", "X"}


_VOWELS = [("ou", "U"), ("oo", "U"), ("ee", "I"), ("ei", "I"), ("ey", "I"), ("ai", "I"),
           ("ay", "I"), ("a", "A"), ("e", "?"), ("i", "I"), ("y", "I"), ("o", "U"), ("u", "U"),
           ("w", "U")]  # fmt: skip


@lru_cache(maxsize=65536)
def vowel_slots(text: str) -> tuple[str, ...]:
    """The vowels after each consonant of a Latin word (A, I, U; "?" for e, which French
    spellings use for either; "" for none): Hassan gives A A -, Hussein U I -. Vowels
    written together all count: around an unwritten ayn or hamza both are heard (Saeed,
    s-a'-ee-d, gives AI, and meets Said's I)."""
    slots: list[str] = []
    last = ""
    i = 0
    while i < len(text):
        vowel = next(((g, v) for g, v in _VOWELS if text.startswith(g, i)), None)
        if vowel is not None:
            if slots and vowel[1] not in slots[-1]:
                slots[-1] += vowel[1]
            i += len(vowel[0])
            continue
        step = 2 if text[i : i + 2] in _DIGRAPHS else 1
        # "c" takes its class from the letter after it (Kacem: s; Carim: k).
        cls = latin_key(text[i : i + 2])[:1] if text[i] == "c" else latin_key(text[i : i + step])
        if cls and cls != last:
            slots.append("")
            last = cls
        i += step
    return tuple(slots)


_DIGRAPHS = {"kh", "gh", "sh", "ch", "th", "dh", "dj", "zh", "ph", "ck", "qu"}

# How much two spellings with the same consonants but other vowels are alike, by where
# the vowels differ: another name (Hassan / Hussein, Said / Saad), one vowel inside a long
# name (Zawahari / Zawahiri: a spelling), or only the final vowel (Rida / Ridho, Doku /
# Dokka: Indonesian, Caucasian and Maghrebi spellings of one ending).
VOWEL_DIFFERENCES = {
    "name": (0.5, "same consonants, other vowels"),
    "inner": (0.8, "same consonants, one vowel written otherwise"),
    "ending": (0.85, "same consonants, the ending written otherwise"),
}


def _clash(x: str, y: str) -> bool:
    """Two slots' vowels clash when both are written, neither is only an e (an e beside
    another vowel, as in Achieng, adds nothing) and none is shared."""
    x, y = x.replace("?", "") or "?" * len(x), y.replace("?", "") or "?" * len(y)
    return bool(x and y) and "?" not in x + y and not set(x) & set(y)


_ENDS = set("aeiouy")


def vowel_difference(a: str, b: str) -> str:
    """How two Latin spellings with the same consonants differ in their vowels: "" when
    they do not (an unwritten vowel, as in Mhamed, or an e never counts), else a key of
    VOWEL_DIFFERENCES. The vowel after the first consonant decides which name it is."""
    sa, sb = vowel_slots(a), vowel_slots(b)
    if len(sa) != len(sb):
        return ""
    pairs = list(zip(sa, sb, strict=True))
    clashes = [n for n, (x, y) in enumerate(pairs) if _clash(x, y)]
    # Vowels in other places (Salma / Islam) also make another name; one unwritten vowel
    # (Mhamed / Mohamed) does not.
    shifted = sum(1 for x, y in pairs if bool(x) != bool(y) and "?" not in x + y)
    if shifted >= 2 or len(clashes) > 1 or (clashes and clashes[0] == 0):
        return "name"
    if not clashes:
        return ""
    if clashes[0] == len(pairs) - 1 and a[-1] in _ENDS and b[-1] in _ENDS:
        return "ending"
    return "inner" if len(pairs) >= 3 and not shifted else "name"


def part_weight(part: Part, rarity: float = 1.0) -> float:
    """How much a part counts: short keys and common names count less. ``rarity`` in 0..1."""
    length = min(1.0, 0.35 + 0.22 * len(part.key))
    return length * (0.45 + 0.55 * rarity)


Unit = tuple[Part, int, float]  # a part or two parts run together, their bits, their weight
Similar = Callable[[Part, Part], tuple[float, str]]


@dataclass
class NameSide:
    """A name ready for alignment: its parts and their weights; in an index, its units'
    keys among the index's ``Comparisons`` (lifted ids of a listed name's, numbers of a
    query's)."""

    parts: list[Part]
    weights: list[float]
    _units: list[Unit] | None = None
    keys: list[int] | None = None

    @property
    def units(self) -> list[Unit]:
        """The parts and adjacent pairs to align (computed once per side)."""
        if self._units is None:
            self._units = _joined(self)
        return self._units


def _joined(side: NameSide) -> list[Unit]:
    """Each part, and each two adjacent parts run together (Nureddin ~ Nur Din); a unit's
    bits say which parts it covers."""
    found = [(p, 1 << i, side.weights[i]) for i, p in enumerate(side.parts)]
    for i in range(len(side.parts) - 1):
        a, b = side.parts[i], side.parts[i + 1]
        if a.initial or b.initial:
            continue
        found.append((run_together(a, b), 3 << i, side.weights[i] + side.weights[i + 1]))
    return found


def run_together(a: Part, b: Part) -> Part:
    """Two adjacent parts as one, compared by key (Nureddin ~ Nur Din)."""
    return Part(
        f"{a.text}{b.text}", joined_key(a, b), a.coarse + b.coarse, joined=True, arabic=a.arabic
    )


def joined_key(a: Part, b: Part) -> str:
    """The key of two parts run together (``run_together``), without making the part."""
    return a.key + b.key


def cannot_meet(q: Part, c: Part) -> bool:
    """True when ``part_similarity`` of two units is surely 0 because one is two parts run
    together: such a unit meets only a single part of its key (initials aside)."""
    if not (q.joined or c.joined) or q.initial or c.initial:
        return False
    return q.key != c.key or (q.joined and c.joined)


class Comparisons:
    """Part comparisons of an index's queries with its listed names, remembered between
    queries under one integer each: integers hash and compare far faster than two parts'
    fields, and most comparisons are looked up, few made. Closer bounds
    (``rasid.names.bounds``) and alignments share them.

    A listed unit is known by its *lifted id*: a listed part's id plus ``offset``, or, for
    two listed parts run together, ``offset`` minus the pair's code (so from 0 up, below
    ``space``). A query unit gets a number the first time it is seen, never given to another
    unit, so the numbers that prepared queries keep stay right after the numbering starts
    afresh; the key of a comparison is the number times ``space`` plus the lifted id. Made
    with the index's arrays: ids hold until parts are added."""

    def __init__(self, parts: int, size: int) -> None:
        self.parts = parts
        self.offset = parts * parts
        self.space = self.offset + parts
        self.size = size
        self.memo: dict[int, tuple[float, str]] = {}
        # Keyed by the part's fields as a plain tuple: the cyclic garbage collector stops
        # following a plain tuple of strings (and then this dict), but never a ``Part``.
        self._numbers: dict[tuple[str | bool, ...], int] = {}
        self._next = 0

    def lifted(self, part: Part) -> int:
        """A query unit's number times ``space``: plus a listed unit's lifted id, the key of
        the two."""
        fields = (part.text, part.key, part.coarse, part.initial, part.joined, part.arabic)
        found = self._numbers.get(fields)
        if found is None:
            if len(self._numbers) >= self.size:
                self._numbers.clear()
            found = self._numbers[fields] = self._next * self.space
            self._next += 1
        return found

    def remember(self, key: int, found: tuple[float, str]) -> None:
        """Keep a comparison made now (all are forgotten when the memo is full)."""
        if len(self.memo) >= self.size:
            self.memo.clear()
        self.memo[key] = found

    def listed(self, side: "NameSide", ids: list[int]) -> list[int]:
        """The lifted ids of a listed name's units (``NameSide.units``), from its parts' ids."""
        found = []
        for _, bits, _ in side.units:
            low = (bits & -bits).bit_length() - 1
            if bits == 1 << low:
                found.append(self.offset + ids[low])
            else:  # parts low and low + 1 run together: the pair's code is below 0
                found.append(self.offset - ids[low] * self.parts - ids[low + 1] - 1)
        return found

    def query(self, side: "NameSide") -> list[int]:
        """The numbers (times ``space``) of a query's units (``NameSide.units``)."""
        return [self.lifted(part) for part, _, _ in side.units]


@dataclass
class Alignment:
    """How two names' parts were paired, and the name score that follows (no reasons yet:
    ranking needs only the score, and ``explained`` words the pairs of the names kept)."""

    score: float
    pairs: list[tuple[float, Part, Part, str]]  # similarity, query unit, listed unit, why
    used_q: int = 0  # bits of the query's parts paired
    used_c: int = 0  # bits of the listed name's parts paired
    comparable: bool = True  # False when either name has no weight at all


def align(
    query: NameSide,
    cand: NameSide,
    similar: Similar = part_similarity,
    comparisons: Comparisons | None = None,
) -> Alignment:
    """Pair the parts of two names, best similarity first, each part at most once, and
    score the pairing. ``similar`` compares two parts; an index passes its ``comparisons``
    too, which remember them for sides that carry their keys."""
    total_q, total_c = sum(query.weights), sum(cand.weights)
    if not total_q or not total_c:
        return Alignment(0.0, [], comparable=False)
    pairs = []
    q_keys, c_keys = query.keys, cand.keys
    memo = comparisons.memo if comparisons is not None and q_keys and c_keys else None
    for qn, (qp, qi, qw) in enumerate(query.units):
        for cn, (cp, ci, cw) in enumerate(cand.units):
            if cannot_meet(qp, cp):
                continue
            if memo is None or comparisons is None or q_keys is None or c_keys is None:
                sim, why = similar(qp, cp)
            else:
                key = q_keys[qn] + c_keys[cn]
                found = memo.get(key)
                if found is None:
                    found = similar(qp, cp)
                    comparisons.remember(key, found)
                sim, why = found
            if sim >= PAIR_FLOOR:
                pairs.append((sim, sim * (qw + cw), qi, ci, qw, cw, qp, cp, why))
    pairs.sort(key=lambda p: (-p[0], -p[1]))  # best similarity first, then weight
    used_q = used_c = 0
    chosen: list[tuple[float, Part, Part, str]] = []
    got_q = got_c = weighted = 0.0
    for sim, _, qi, ci, wq, wc, qp, cp, why in pairs:
        if used_q & qi or used_c & ci:
            continue
        used_q |= qi
        used_c |= ci
        got_q, got_c, weighted = got_q + wq, got_c + wc, weighted + sim * wq
        chosen.append((sim, qp, cp, why))
    if not weighted:
        return Alignment(0.0, [])
    cover_q, cover_c = got_q / total_q, got_c / total_c
    score = (weighted / got_q) * cover_q ** (1 - EXTRA_PARTS) * cover_c**EXTRA_PARTS
    return Alignment(score, chosen, used_q, used_c)


def explained(alignment: Alignment, query: NameSide, cand: NameSide) -> Scored:
    """The name score of an alignment with its reasons: each pair of parts, then the parts
    left over on either side."""
    if not alignment.comparable:
        return Scored(0.0, [Reason("name", "no comparable name parts", 0.0, "name.none")])
    if not alignment.pairs:
        return Scored(0.0, [Reason("name", "no name part in common", 0.0, "name.no_part")])
    reasons = [
        Reason(
            "name_part",
            f"{qp.text} ~ {cp.text}: {why}",
            sim,
            "name_part",
            (("query", qp.text), ("listed", cp.text), ("why", why)),
        )
        for sim, qp, cp, why in alignment.pairs
    ]
    missing = " ".join(p.text for i, p in enumerate(query.parts) if not alignment.used_q >> i & 1)
    extra = " ".join(p.text for i, p in enumerate(cand.parts) if not alignment.used_c >> i & 1)
    if missing:
        detail = f"not in the listed name: {missing}"
        reasons.append(Reason("name_missing", detail, 0, "name_missing", (("parts", missing),)))
    if extra:
        detail = f"listed name also has: {extra}"
        reasons.append(Reason("name_extra", detail, 0, "name_extra", (("parts", extra),)))
    return Scored(alignment.score, reasons)


def name_score(
    query: NameSide, cand: NameSide, explain: bool = True, similar: Similar = part_similarity
) -> Scored:
    """Align the parts of two names and score the alignment (with the reasons, unless
    ``explain`` is false: ranking needs only the score). ``similar`` compares two parts
    (an index passes one that remembers what it compared)."""
    alignment = align(query, cand, similar)
    if not explain:
        return Scored(alignment.score)
    return explained(alignment, query, cand)


def side(parts: Sequence[Part], rarity: dict[str, float] | None = None) -> NameSide:
    """Parts with their weights (rarity by key, from an index; 1.0 when unknown)."""
    known = rarity or {}
    return NameSide(list(parts), [part_weight(p, known.get(p.key, 1.0)) for p in parts])


# What facts do to a name score (rasid.names.index bounds scores with the same values).
SAME_BIRTH_DATE, SAME_BIRTH_YEAR, BIRTH_YEARS_APART = 0.06, 0.04, -0.2
SAME_NATIONALITY, OTHER_NATIONALITY = 0.02, -0.05
OTHER_GENDER, SAME_DOCUMENT = -0.1, 0.15


def birth_year(date: str) -> int | None:
    """The year of a YYYY[-MM[-DD]] date, or None."""
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def facts_adjustment(query: Facts, cand: Facts) -> list[Reason]:
    """Agreement or conflict on birth date, nationality, gender and documents."""
    reasons: list[Reason] = []
    if query.birth_dates and cand.birth_dates:
        reasons.append(_birth_dates(query.birth_dates, cand.birth_dates))
    if query.nationalities and cand.nationalities:
        if set(query.nationalities) & set(cand.nationalities):
            same = Reason("nationality", "same nationality", SAME_NATIONALITY, "nationality.same")
            reasons.append(same)
        else:
            detail = "different nationality"
            reasons.append(Reason("nationality", detail, OTHER_NATIONALITY, "nationality.other"))
    if query.gender and cand.gender and query.gender != cand.gender:
        detail = f"{query.gender} ≠ {cand.gender}"
        args = (("query", query.gender), ("listed", cand.gender))
        reasons.append(Reason("gender", detail, OTHER_GENDER, "gender.other", args))
    if query.documents and cand.documents and set(query.documents) & set(cand.documents):
        detail = "same document number"
        reasons.append(Reason("document", detail, SAME_DOCUMENT, "document.same"))
    return reasons


def _birth_dates(query: tuple[str, ...], cand: tuple[str, ...]) -> Reason:
    if set(query) & set(cand) and any(len(d) >= 10 for d in set(query) & set(cand)):
        return Reason("birth_date", "same date of birth", SAME_BIRTH_DATE, "birth_date.same")
    years_q = {y for y in map(birth_year, query) if y}
    years_c = {y for y in map(birth_year, cand) if y}
    if years_q & years_c:
        return Reason("birth_date", "same year of birth", SAME_BIRTH_YEAR, "birth_date.year")
    gap = min((abs(a - b) for a in years_q for b in years_c), default=0)
    if gap <= 1:
        return Reason("birth_date", "year of birth one apart", 0.0, "birth_date.one_apart")
    detail = f"years of birth {gap} apart"
    args = (("years", str(gap)),)
    return Reason("birth_date", detail, BIRTH_YEARS_APART, "birth_date.apart", args)


def combine(name: Scored, facts: list[Reason]) -> Scored:
    """The final score: the name score moved by the facts, kept in 0..1."""
    if name.score <= 0:
        return name
    score = name.score + sum(r.effect for r in facts)
    return Scored(min(1.0, max(0.0, score)), name.reasons + facts)


def compare(
    query_name: str, cand_name: str, query: Facts = Facts(), cand: Facts = Facts()
) -> Scored:
    """Score two names (and facts) directly, without an index: for resolution and tests."""
    return combine(
        name_score(side(parse(query_name)), side(parse(cand_name))), facts_adjustment(query, cand)
    )


def idf_rarity(df: int, total: int) -> float:
    """Rarity in 0..1 from a key's document frequency: 1 for unique, ~0 for ubiquitous."""
    if total <= 1:
        return 1.0
    return max(0.0, min(1.0, math.log((total + 1) / (df + 1)) / math.log(total + 1) * 1.6))
