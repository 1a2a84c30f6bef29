"""Text normalisation for search: Arabic script and Latin folded to comparable forms.

Used for the full-text name index, so that ``محمد``, ``مُحَمَّد`` and ``محمّد`` (and ``José``,
``JOSE``) index and search alike. Transliteration between scripts belongs to the names engine.
"""

import re
import unicodedata

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic annotation marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "\u0622": "\u0627",  # آ alef with madda
        "\u0623": "\u0627",  # أ alef with hamza above
        "\u0625": "\u0627",  # إ alef with hamza below
        "\u0671": "\u0627",  # ٱ alef wasla
        "\u0672": "\u0627",
        "\u0673": "\u0627",
        "\u0624": "\u0648",  # ؤ waw with hamza
        "\u0626": "\u064a",  # ئ ya with hamza
        "\u0629": "\u0647",  # ة ta marbuta
        "\u06c0": "\u0647",  # ۀ heh with ya above
        "\u0649": "\u064a",  # ى alef maqsura
        "\u06cc": "\u064a",  # ی Persian ya
        "\u06d2": "\u064a",  # ے Urdu ya barree
        "\u06a9": "\u0643",  # ک Persian kaf
        "\u06c1": "\u0647",  # ہ Urdu heh goal
        "\u06be": "\u0647",  # ھ heh doachashmee
    }
)
# Arabic-Indic and Extended Arabic-Indic digits to ASCII.
_DIGITS = str.maketrans({chr(0x0660 + i): str(i) for i in range(10)}) | str.maketrans(
    {chr(0x06F0 + i): str(i) for i in range(10)}
)
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize_arabic(text: str) -> str:
    """Fold Arabic-script spelling variants: marks, tatweel, alef/hamza forms, ta marbuta, ya."""
    text = _ARABIC_MARKS.sub("", text).replace(_TATWEEL, "")
    return text.translate(_LETTERS).translate(_DIGITS)


def fold_latin(text: str) -> str:
    """Case-fold and strip accents from Latin letters (é to e, ß to ss); other scripts pass."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) or _is_arabic(c))


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


def normalize_text(text: str) -> str:
    """Normalise any text for indexing and search: words separated by single spaces.

    Apostrophes and hyphens join or split as punctuation does (``al-Qaida`` gives ``al qaida``).
    """
    text = unicodedata.normalize("NFC", text)
    text = fold_latin(normalize_arabic(text))
    text = unicodedata.normalize("NFC", text)
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return normalize_text(text).split()
