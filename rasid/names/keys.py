"""The transliteration bridge: a consonant skeleton shared by Arabic script and Latin.

Short vowels are not written in Arabic and every Latin spelling writes them differently, so
the key keeps consonants only, in classes that the common romanisation styles (English,
French/Maghrebi, scholarly, Persian/Urdu) agree on. ``ا و ي ع ء`` and Latin vowels, ``w`` and
``y`` are dropped; doubled letters collapse; a final ``h`` (ta marbuta, Fatimah) is dropped.
"""

from functools import lru_cache

# Arabic letters (already folded by rasid.model.text.normalize_arabic) to key classes.
ARABIC = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "J", "چ": "C", "ح": "H",
    "خ": "X", "د": "D", "ذ": "D", "ض": "D", "ر": "R", "ز": "Z", "ژ": "Z", "ظ": "Z",
    "س": "S", "ص": "S", "ش": "C", "غ": "J", "گ": "J", "ف": "F", "ڤ": "F", "ق": "K",
    "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H",
}  # fmt: skip
ARABIC_SILENT = set("اويعءىئؤأإآ")

# Latin letter groups, longest first; "c" is handled by context (Kacem vs Cherif).
LATIN_GROUPS = [
    ("sch", "C"), ("kh", "X"), ("gh", "J"), ("sh", "C"), ("ch", "C"), ("th", "S"),
    ("dh", "D"), ("dj", "J"), ("zh", "Z"), ("ph", "F"), ("ck", "K"), ("qu", "K"),
    ("b", "B"), ("p", "B"), ("d", "D"), ("f", "F"), ("v", "F"), ("g", "J"), ("h", "H"),
    ("j", "J"), ("k", "K"), ("q", "K"), ("l", "L"), ("m", "M"), ("n", "N"), ("r", "R"),
    ("s", "S"), ("t", "T"), ("x", "KS"), ("z", "Z"),
]  # fmt: skip
LATIN_SILENT = set("aeiouwy")
# Coarser classes for candidate retrieval, so that near-misses still meet.
COARSE = str.maketrans({"D": "T", "Z": "S", "C": "S", "J": "K", "X": "K", "F": "B", "H": None})


def is_arabic(text: str) -> bool:
    """True when the text is written (mostly) in Arabic script."""
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    return arabic > 0 and arabic >= sum(1 for c in text if c.isalpha()) / 2


def _finish(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    if len(out) > 1 and out[-1] == "H":
        out.pop()
    return "".join(out)


def arabic_key(word: str) -> str:
    """The key of a folded Arabic-script word."""
    return _finish([ARABIC[c] for c in word if c in ARABIC])


def latin_key(word: str) -> str:
    """The key of a folded (lower-case, unaccented) Latin word."""
    classes: list[str] = []
    i = 0
    while i < len(word):
        if word[i] == "c":
            soft = i + 1 < len(word) and word[i + 1] in "eiy"
            if not word.startswith("ch", i):
                classes.append("S" if soft else "K")
                i += 1
                continue
        for group, value in LATIN_GROUPS:
            if word.startswith(group, i):
                classes.extend(value)
                i += len(group)
                break
        else:
            i += 1  # vowels, w, y and anything else carry no consonant class
    return _finish(classes)


@lru_cache(maxsize=1 << 16)
def key(word: str) -> str:
    """The key of a folded word in either script (remembered: names repeat)."""
    return arabic_key(word) if is_arabic(word) else latin_key(word)


@lru_cache(maxsize=1 << 16)
def coarse(word_key: str) -> str:
    """A coarser key for retrieval: voiced/unvoiced and close fricatives merged."""
    return _finish(list(word_key.translate(COARSE)))
