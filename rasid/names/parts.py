"""Cutting a name into parts: titles, articles and particles out, compounds joined.

``Sheikh Abd al-Rahman bin Youssef al-Husseini`` gives the parts ``Abd al-Rahman``,
``Youssef`` and ``Husseini`` (keys BDRHMN, SF, HSN); ``bin`` is noted as a particle.
"""

import re
import unicodedata
from typing import NamedTuple

from rasid.model.text import fold_latin, normalize_arabic
from rasid.names.keys import coarse, is_arabic, key
from rasid.names.korean import korean_keys

MAX_PARTS = 24  # a longer "name" is not a name: the rest is ignored, not an error
# Invisible characters: zero-width, bidi controls, the Arabic letter mark, the BOM.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Apostrophes and ayn/hamza signs join the letters around them (Qa'ida, ʿAbd).
_JOINERS = re.compile("['`´’‘ʻʼʽʾʿ]")
_SEPARATORS = re.compile(r"[^\w]+|_")

TITLES = {
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "hajji", "haji", "hajj", "hadj", "hadji",
    "dr", "doctor", "prof", "mullah", "mulla", "molla", "maulavi", "maulvi", "mawlawi",
    "moulavi", "maulana", "mawlana", "mufti", "qari", "mr", "mrs", "ms", "engineer", "eng",
    "شيخ", "الشيخ", "حاج", "الحاج", "حجي", "د", "دكتور", "الدكتور", "ملا", "مولوي", "مولانا",
    "قاري", "المهندس", "مهندس",
}  # fmt: skip
ARTICLES = {
    "al", "el", "ul", "il", "ad", "ed", "ud", "ar", "er", "ur", "as", "es", "us", "at", "et",
    "an", "en", "un", "az", "ez", "ash", "esh", "ath", "adh", "ibnul",
}  # fmt: skip
PARTICLES = {"bin", "ben", "ibn", "ebn", "bint", "bent", "binti", "ould", "wuld", "mint",
             "بن", "ابن", "بنت", "ولد"}  # fmt: skip
ABD = {"abd", "abdel", "abdul", "abdal", "abdil", "abdol", "abdoul", "abdur", "abdar", "abder",
       "abdus", "abdes", "abdas", "عبد"}  # fmt: skip
# Latin words beginning with al/el that are not an article and a name run together.
KEEP_ARTICLE = {
    "albert", "alberto", "alberts", "alfred", "alfredo", "alfonso", "alphonse", "alvaro",
    "alvarez", "alfaro", "almeida", "alston", "alders", "elbert", "elmer", "elton", "elvira",
    "elvis", "eldridge", "elliott", "ellison", "elsner", "almond", "alfons", "almqvist",
}  # fmt: skip
# Abbreviations written for a name (Mohd for Mohammed, common in South and South-East Asia).
ABBREVIATIONS = {"mohd": "mohammed", "muhd": "muhammad", "mhd": "mohammed", "md": "mohammed"}
# Initials written with a letter the key leaves out, and how names in Arabic script that
# they may stand for begin (hamza forms are folded to alef).
VOWEL_INITIALS = {"a": "اع", "e": "اع", "i": "اع", "o": "اع", "u": "اع", "w": "و", "y": "ي"}
KUNYA = {"abu", "abou", "abo", "bou", "umm", "um", "oum", "ابو", "ابي", "ام"}
# Second halves of "X al-Y" compounds: Nur al-Din, Saif al-Islam, Fadl Allah.
TAILS = {"DN", "SLM", "HK", "DL", "L"}


class Part(NamedTuple):
    """One name part: its text as written (folded), its key, and its coarse key. A tuple:
    parts are made, hashed and compared by the million when a list is indexed."""

    text: str
    key: str
    coarse: str
    initial: bool = False
    joined: bool = False  # two adjacent parts run together, compared by key only
    arabic: bool = False  # written in Arabic script


def clean(name: str) -> str:
    """Fold a name for parsing: NFKC, invisible characters out, Arabic and Latin folded."""
    text = unicodedata.normalize("NFKC", name)
    text = _INVISIBLE.sub("", text)
    text = _JOINERS.sub("", normalize_arabic(text))
    return unicodedata.normalize("NFC", fold_latin(text))


def words(name: str) -> list[str]:
    """The folded words of a name, titles removed, abbreviations written out."""
    found = [w for w in _SEPARATORS.split(clean(name)) if w]
    return [ABBREVIATIONS.get(w, w) for w in found if w not in TITLES][: MAX_PARTS * 2]


def _strip_article(word: str) -> str:
    """An article written together with the name comes off: الحسيني, Alhusseini, Elbaz..."""
    if is_arabic(word):
        return word[2:] if word.startswith("ال") and len(word) > 3 else word
    # Latin: al/el before a consonant, in a word long enough that the rest is a name
    # (Alhusseini, Aldulaimi, Elkhatib); Alwan, Albert and their like stay whole.
    glued = word[:2] in ("al", "el") and len(word) >= 6 and word[2] not in "aeiouyw"
    return word[2:] if glued and word not in KEEP_ARTICLE else word


def _abd_rest(word: str) -> str | None:
    """For a compound written together (Abdelaziz, عبدالله), what follows 'abd'."""
    if word.startswith("عبد") and len(word) > 4:
        return _strip_article(word[3:])
    if word.startswith("abd") and len(word) > 5 and word not in ABD:
        rest = word[3:]
        # Abdelaziz, Abdulrahman, Abdallah: the article's vowel and l go (as ال does in
        # Arabic); an assimilated article (Abderrahmane) leaves only a doubled letter.
        if len(rest) > 3 and rest[0] in "aeiou" and rest[1] == "l":
            return rest[2:]
        return rest
    return None


def _part(text: str, word_key: str) -> Part:
    arabic = is_arabic(text)
    return Part(text, word_key, coarse(word_key), len(text) == 1 and not arabic, arabic=arabic)


def parse(name: str) -> list[Part]:
    """The parts of a name (see the module docstring). May be empty."""
    tokens = words(name)
    korean = korean_keys(tokens[:MAX_PARTS])
    if korean is not None:  # Jo Yong Chol: keys of Korean syllables (rasid.names.korean)
        return [Part(w, k, coarse(k)) for w, k in zip(tokens, korean, strict=False)]
    parts: list[Part] = []
    i = 0
    while i < len(tokens) and len(parts) < MAX_PARTS:
        word = tokens[i]
        i += 1
        if word in ARTICLES or word in PARTICLES:
            continue
        rest = _abd_rest(word)
        if rest is not None:
            parts.append(_part(word, "BD" + key(rest)))
            continue
        if word in ABD or word in KUNYA:
            while i < len(tokens) and tokens[i] in ARTICLES:
                i += 1
            if i < len(tokens):
                head = "BD" if word in ABD else key(word)
                nxt = _strip_article(tokens[i])
                parts.append(_part(f"{word} {tokens[i]}", head + key(nxt)))
                i += 1
                continue
        plain = _strip_article(word)
        word_key = key(plain)
        if not word_key:
            if len(plain) == 1 and plain in VOWEL_INITIALS:
                # A. for Ahmed, Y. for Yusuf: an initial whose letter has no consonant key.
                parts.append(Part(plain, plain.upper(), plain.upper(), initial=True))
            continue
        if word_key in TAILS and parts and _compound_ok(tokens, i - 1):
            prev = parts.pop()
            parts.append(_part(f"{prev.text} {word}", _join(prev.key, word_key)))
            continue
        parts.append(_part(plain, word_key))
    return parts


def _compound_ok(tokens: list[str], index: int) -> bool:
    """A tail joins the part before it when an article stands between or it carries one."""
    word = tokens[index]
    if is_arabic(word):
        return word.startswith("ال")
    return (index > 0 and tokens[index - 1] in ARTICLES) or word in ("allah", "ullah", "eddine")


def _join(head: str, tail: str) -> str:
    return head + tail[1:] if head.endswith(tail[0]) else head + tail
