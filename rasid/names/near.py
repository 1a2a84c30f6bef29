"""Near keys: the indexed coarse keys that a query part may still meet without sharing its own.

The scorer lets two parts match whose keys differ by one letter (``Rachim`` / ``Rahim``,
``Nourreldine`` / ``Nourredine``, ``Jadran`` / ``Zadran``) and a name with its -uddin form
(``Siraj`` / ``Sirajuddin``). The index retrieves and bounds candidates by shared coarse
keys, so without this a listed name that meets the query only so would rank below names
that share more keys with it, and a search that stops once no bound can beat the results
found would stop too early. Keys one edit apart are found by their deletions (two keys
within one edit share a key made by deleting at most one letter from each), without
comparing the query with every key.
"""

from rapidfuzz.distance import Levenshtein

# The scorer gives keys one letter apart its full credit only when the longer has four
# letters or more (score.py); shorter ones would bring many keys for little.
MIN_LENGTH, LONGER_LENGTH = 3, 4
DIN = "TN"  # the coarse key of -uddin (al-Din)
MEMO_SIZE = 100_000  # keys whose near keys are remembered


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


class NearKeys:
    """Coarse keys of single name parts, looked up by their one-letter deletions."""

    def __init__(self, keys: dict[str, int]) -> None:
        """``keys``: coarse key to token number, for the keys of single parts."""
        self.keys = keys
        self._by_deletion: dict[str, list[int]] = {}
        for text, token in keys.items():
            if len(text) < MIN_LENGTH:
                continue
            for variant in _deletions(text) | {text}:
                self._by_deletion.setdefault(variant, []).append(token)
        self._text = {token: text for text, token in keys.items()}
        self._memo: dict[str, list[int]] = {}

    def near(self, text: str) -> list[int]:
        """Tokens of indexed keys one edit from ``text`` (both of MIN_LENGTH letters or more,
        one of LONGER_LENGTH), or its -uddin form or short form; never ``text``'s own.
        Remembered: query parts repeat."""
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = self._find(text)
        return found

    def _find(self, text: str) -> list[int]:
        found: set[int] = set()
        for variant in _deletions(text) | {text}:
            for token in self._by_deletion.get(variant, ()):
                other = self._text[token]
                if (
                    other != text
                    and min(len(other), len(text)) >= MIN_LENGTH
                    and max(len(other), len(text)) >= LONGER_LENGTH
                    and Levenshtein.distance(other, text, score_cutoff=1) <= 1
                ):
                    found.add(token)
        for other in (text + DIN, text[: -len(DIN)] if text.endswith(DIN) else ""):
            din = self.keys.get(other) if len(other) >= 2 else None
            if din is not None:
                found.add(din)
        return sorted(found)
