"""Korean names in Latin letters: one key for the romanisations of a syllable.

The DPRK entries of the UN list, and the aliases beside them, mix McCune–Reischauer
(``Ch'ŏl``, ``Myŏng``), the Revised Romanisation (``Cheol``, ``Myeong``) and popular
spellings (``Chul``, ``Young``): ``Jo``/``Cho``, ``Pak``/``Park``/``Bak`` and
``Ri``/``Lee``/``Yi`` are one name each. The consonant skeleton that bridges Arabic and
Latin cannot see this (``J`` and ``CH`` are two letters there), so a name whose every word
is one Korean syllable, beginning or ending with a Korean family name, gets keys of its
own: the syllable's initial, vowel and final, each reduced to what every romanisation
agrees on (``cho``, ``jo`` → ``CU``; ``chol``, ``cheol``, ``chul`` → ``CUL``). Such keys
hold vowels, so they never meet the skeleton keys of other names.
"""

from functools import lru_cache

# Initial consonants, longest first: aspirated, tense and plain forms are one class.
INITIALS = [
    ("tch", "C"), ("ch", "C"), ("jj", "C"), ("ts", "C"), ("kk", "K"), ("tt", "T"),
    ("pp", "B"), ("ss", "S"), ("sh", "S"), ("j", "C"), ("k", "K"), ("g", "K"), ("t", "T"),
    ("d", "T"), ("p", "B"), ("b", "B"), ("s", "S"), ("h", "H"), ("m", "M"), ("n", "N"),
    ("r", "R"), ("l", "R"),
]  # fmt: skip
# Vowels, longest first. ŏ and ŭ lose their breve in most lists, and popular spellings
# write ŏ as u (Chul), so o, u, eo and eu are one class; glides keep their y or w.
VOWELS = [
    ("woo", "U"), ("yeo", "YU"), ("you", "YU"), ("yae", "YE"), ("wae", "WE"), ("weo", "WU"),
    ("eo", "U"), ("eu", "U"), ("oo", "U"), ("ou", "U"), ("ae", "E"), ("ai", "E"),
    ("oe", "WE"), ("oi", "WE"), ("we", "WE"), ("ui", "I"), ("wi", "I"), ("ee", "I"),
    ("wa", "WA"), ("wo", "WU"), ("ya", "YA"), ("yo", "YU"), ("yu", "YU"), ("ye", "YE"),
    ("yi", "I"), ("a", "A"), ("e", "E"), ("i", "I"), ("o", "U"), ("u", "U"),
]  # fmt: skip
FINALS = [
    ("ng", "NG"), ("ck", "K"), ("n", "N"), ("m", "M"), ("l", "L"), ("r", "L"), ("k", "K"),
    ("g", "K"), ("p", "B"), ("b", "B"), ("t", "T"), ("d", "T"), ("s", "T"), ("h", ""),
]  # fmt: skip
# Family names (their common romanisations): a Korean name begins with one, or ends with
# one when written given name first.
SURNAMES = {
    "kim", "ri", "li", "lee", "yi", "rhee", "pak", "park", "bak", "choe", "choi", "chwe",
    "jong", "chong", "jeong", "chung", "jung", "kang", "cho", "jo", "yun", "yoon", "jang",
    "chang", "im", "rim", "lim", "han", "o", "oh", "so", "sin", "shin", "kwon", "hwang",
    "an", "ahn", "song", "ryu", "yu", "yoo", "jon", "chon", "jeon", "hong", "ko", "koh",
    "mun", "moon", "yang", "son", "pae", "bae", "paek", "baek", "ho", "heo", "nam", "sim",
    "shim", "no", "roh", "ha", "kwak", "cha", "ju", "chu", "u", "woo", "ku", "koo", "na",
    "min", "jin", "chin", "chi", "om", "eom", "won", "chae", "pang", "bang", "kong",
    "hyon", "hyun", "ham", "pyon", "byun", "yom", "yeom", "yo", "yeo", "tak", "kye", "kil",
    "ro", "to", "do", "sok", "seok", "sung", "sol", "mo", "pyo", "ok",
}  # fmt: skip


@lru_cache(maxsize=1 << 14)
def syllable_key(word: str) -> str | None:
    """The key of one romanised Korean syllable (lower case, no marks), or None when the
    word is not one syllable."""
    initial, rest = _take(word, INITIALS)
    vowel, rest = _take(rest, VOWELS)
    if not vowel:
        return None
    if vowel[0] in "YI" and initial == "R":
        initial = ""  # Ri, Lee and Yi; Ryu and Yu; Rim and Im: the r falls in the South
    if rest.startswith("r") and len(rest) > 1:
        rest = rest[1:]  # Park: an English r before the final
    final, rest = _take(rest, FINALS)
    return None if rest else initial + vowel + final


def _take(word: str, table: list[tuple[str, str]]) -> tuple[str, str]:
    for letters, value in table:
        if word.startswith(letters):
            return value, word[len(letters) :]
    return "", word


def korean_keys(words: list[str]) -> list[str] | None:
    """The syllable keys of a name's words when the name reads as Korean (two words or more,
    each one syllable, a family name first or last), else None."""
    if len(words) < 2 or (words[0] not in SURNAMES and words[-1] not in SURNAMES):
        return None
    keys = [syllable_key(w) for w in words]
    if any(k is None for k in keys):
        return None
    return [k for k in keys if k is not None]


def is_korean_key(key: str) -> bool:
    """True for a key made by ``syllable_key`` (only those hold vowels)."""
    return bool(_VOWEL_LETTERS & set(key))


_VOWEL_LETTERS = set("AEIUWY")
