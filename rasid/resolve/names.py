"""Names as resolution compares them: parsed once, weighted by rarity, Arabic kept strict.

The parts and the alignment are the names engine's (``rasid.names``); resolution adds what
telling two people apart needs more than screening does: an article or ``ben`` glued to a
name is split (ALOMARI, BENSALEM), two parts in Arabic script with one skeleton but other
letters (حسن, حسين) are not one name, two names whose first names differ (a father
and his son share the others) lose score, and so do two names of three parts or more whose
second parts differ: in a chain of given, father's, (grandfather's) and family name, that is
the father (two cousins share the others).
"""

import re

from rasid.names.parts import Part, parse
from rasid.names.score import PAIR_FLOOR, NameSide, Scored, name_score, part_similarity, side
from rasid.resolve.model import Record
from rasid.screen.model import Reason

OTHER_FIRST_NAME = -0.3  # the first parts of two names in natural order differ
OTHER_FATHER = -0.25  # the second parts (father's names) of two chains of 3+ parts differ
FATHER_FLOOR = 0.75  # fathers' names less alike than this differ ("close letters" do)
OTHER_ARABIC = 0.6  # two Arabic-script parts with one skeleton but other letters
MAX_TRIED = 3  # pairs of names scored at most for one pair of records
MAX_NAMES = 6  # names (and aliases) of a record compared at most

# A record's names with their sides, coarse keys and script, and its first Arabic name.
_Names = tuple[list[tuple[str, NameSide, frozenset[str], bool]], str]

_GLUED = re.compile(r"\b(?:(al|el)(?=[aeiou][a-z]{3})|(ben|bin)(?=[a-z]{4}))", re.IGNORECASE)


def unglue(name: str) -> str:
    """An article written together with a name beginning with a vowel, or ``ben`` with
    any name, as registers and passports do (ALOMARI, ELANSARI, BENSALEM), written apart:
    the names engine splits only an article before a consonant, where no given name is
    mistaken for one. Both sides of a comparison are split alike, so a name wrongly split
    (Benjamin) still meets itself."""
    return _GLUED.sub(lambda m: m.group(0) + " ", name)


def _letters(part: Part) -> str:
    """An Arabic-script part's letters, spaces left out (عبد الله and عبدالله are one)."""
    return part.text.replace(" ", "")


def parts_of(name: str, cache: dict[str, list[Part]]) -> list[Part]:
    """A name's parts, parsed once per distinct name (``cache`` remembers them)."""
    parts = cache.get(name)
    if parts is None:
        parts = cache[name] = parse(unglue(name))
    return parts


class NameScorer:
    """Names parsed once per distinct string, weighted by rarity among all records.

    Equal parts are one object (interned), so that the similarities of parts already
    compared are found again by identity, which is much cheaper than hashing a part."""

    def __init__(
        self,
        rarity: dict[str, float],
        parsed: dict[str, list[Part]],
        single: frozenset[str] = frozenset(),
    ) -> None:
        self.rarity = rarity
        self.parts = parsed
        self.single = single  # part keys only one record carries: perhaps misspelt
        self._sides: dict[str, tuple[NameSide, frozenset[str], bool]] = {}
        self._records: dict[tuple[str, ...], _Names] = {}
        self._interned: dict[Part, Part] = {}
        self._similar: dict[tuple[int, int], tuple[float, str]] = {}

    def _parse(self, name: str) -> list[Part]:
        return parts_of(name, self.parts)

    def side(self, name: str) -> tuple[NameSide, frozenset[str], bool]:
        """A name's side, its coarse keys and whether it is written in Arabic script."""
        found = self._sides.get(name)
        if found is None:
            intern = self._interned.setdefault
            made = side([intern(p, p) for p in self._parse(name)], self.rarity)
            made._units = [(intern(u, u), bits, w) for u, bits, w in made.units]
            keys = frozenset(p.coarse for p in made.parts)
            arabic = any(p.arabic for p in made.parts)
            found = self._sides[name] = (made, keys, arabic)
        return found

    def names_of(self, names: tuple[str, ...]) -> _Names:
        """A record's names with their sides, and its first name in Arabic script (or
        ""), remembered: a record meets many others."""
        found = self._records.get(names)
        if found is None:
            if len(self._records) > 2_000_000:
                self._records.clear()
            sides = [(n, *self.side(n)) for n in names[:MAX_NAMES]]
            first = next((n for n in names if self.side(n)[2]), "")
            found = self._records[names] = (sides, first)
        return found

    def similar(self, q: Part, c: Part) -> tuple[float, str]:
        """Part similarity, remembered: the same parts meet again and again."""
        found = self._similar.get((id(q), id(c)))
        if found is None:
            if len(self._similar) > 4_000_000:
                self._similar.clear()
            found = part_similarity(q, c)
            if found[0] > OTHER_ARABIC and q.arabic and c.arabic and _letters(q) != _letters(c):
                # In Arabic script the letters are known: حسين and حسن share their
                # consonants but are two names (screening, looking for any spelling of a
                # listed name, lets them pass; resolution must not merge two people).
                found = (OTHER_ARABIC, f"other letters in Arabic script ({q.text} / {c.text})")
            self._similar[(id(q), id(c))] = found
        return found

    def score(self, left: Record, right: Record, explain: bool) -> tuple[Scored, str, str]:
        """The best score among the pairs of names with most name parts in common (a few
        at most: a record's names are mostly one name in two scripts); when both records
        have a name in Arabic script, among those."""
        options = []
        ours, arabic_l = self.names_of(left.names)
        theirs, arabic_r = self.names_of(right.names)
        both_arabic = bool(arabic_l and arabic_r)
        for a, sa, ka, aa in ours:
            for b, sb, kb, ab in theirs:
                if both_arabic and not (aa and ab):
                    # Both written in Arabic script: those letters compare most precisely
                    # (a transliteration blurs حسن and حسين into Hasan / Husain).
                    continue
                # Sorted so that the choice never depends on which record is left.
                options.append((-len(ka & kb), min(a, b), max(a, b), sa, sb, a, b))
        if not options:
            return Scored(0.0, [Reason("name", "no name to compare", 0.0)]), "", ""
        options.sort(key=lambda o: o[:3])
        best: tuple[Scored, str, str] | None = None
        for overlap, _, _, sa, sb, a, b in options[:MAX_TRIED]:
            if overlap != options[0][0]:
                break
            # The name with fewer parts is the query: its parts should all be found.
            q, c = (sa, sb) if (len(sa.parts), a) <= (len(sb.parts), b) else (sb, sa)
            scored = name_score(q, c, explain=explain, similar=self.similar)
            if best is None or scored.score > best[0].score:
                best = (scored, a, b)
        assert best is not None
        scored, a, b = best
        arabic = (arabic_l, arabic_r) if both_arabic else ("", "")
        first = self.first_names(a, b) or self.first_names(*arabic)
        if first is None:
            first = self.fathers(a, b) or self.fathers(*arabic)
        if first is not None and scored.score > 0:
            scored = Scored(scored.score, [*scored.reasons, first])
        return scored, a, b

    def _natural(self, a: str, b: str, least: int) -> tuple[NameSide, NameSide] | None:
        """Both names' sides when both are written in natural order (no "SURNAME, given")
        with at least ``least`` parts each."""
        if not a or not b or "," in a or "," in b:
            return None
        sa, sb = self.side(a)[0], self.side(b)[0]
        if len(sa.parts) < least or len(sb.parts) < least:
            return None
        return sa, sb

    def fathers(self, a: str, b: str) -> Reason | None:
        """Two chains of three parts or more (given, father's, ..., family name) whose second
        parts differ: Maryam Yasin al-Najjar and Maryam Omar al-Najjar are cousins, and
        Huda Muhammad Azzam is not Huda Uthman Muhammad Azzam (her father is her namesake's
        grandfather). A name without the father's (given and family name) has two parts
        and is not compared; an initial is not compared either, nor a part only one record
        carries among those resolved (more likely misspelt than a father's name of its own)."""
        sides = self._natural(a, b, 3)
        if sides is None:
            return None
        x, y = sides[0].parts[1], sides[1].parts[1]
        if x.initial or y.initial or x.key in self.single or y.key in self.single:
            return None  # an initial, or a name no other record has: a typing error?
        if self.similar(x, y)[0] >= FATHER_FLOOR:
            return None
        if x.key == y.key and not (x.arabic and y.arabic):
            return None  # one skeleton, vowels written otherwise (Saeed / Said): unclear
        return Reason("name_order", f"other father's name ({x.text} / {y.text})", OTHER_FATHER)

    def first_names(self, a: str, b: str) -> Reason | None:
        """Two names in their natural order (no "SURNAME, given") whose first parts differ:
        Hasan Ahmad al-Zoubi and Ahmad Hasan al-Zoubi are a father and his son (two
        names of two parts swapped are one written surname first)."""
        sides = self._natural(a, b, 2)
        if sides is None:
            return None
        sa, sb = sides
        x, y = sa.parts[0], sb.parts[0]
        if x.key in self.single or y.key in self.single:
            return None  # a name no other record has: a typing error, perhaps
        if self.similar(x, y)[0] >= PAIR_FLOOR:
            return None
        # Two parts the other way round are one name written surname first.
        swapped = len(sa.parts) == len(sb.parts) == 2 and sa.parts[1].key == y.key
        if swapped and sb.parts[1].key == x.key:
            return None
        return Reason("name_order", f"other first name ({x.text} / {y.text})", OTHER_FIRST_NAME)
