import pytest

from rasid.model.text import normalize_arabic, normalize_text, tokens


@pytest.mark.parametrize(
    ("variant", "base"),
    [
        ("مُحَمَّد", "محمد"),  # harakat and shadda
        ("محمّد", "محمد"),  # shadda alone
        ("محـــمد", "محمد"),  # tatweel
        ("أحمد", "احمد"),  # alef with hamza above
        ("إبراهيم", "ابراهيم"),  # alef with hamza below
        ("آمنة", "امنه"),  # alef madda, ta marbuta
        ("ٱلله", "الله"),  # alef wasla
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("مؤمن", "مومن"),  # waw with hamza
        ("هانئ", "هاني"),  # ya with hamza
        ("کریم", "كريم"),  # Persian kaf and ya
        ("١٩٧٠", "1970"),  # Arabic-Indic digits
    ],
)
def test_arabic_variants_fold_to_one_form(variant: str, base: str) -> None:
    assert normalize_arabic(variant) == base
    assert normalize_text(variant) == normalize_text(base)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José ÁLVAREZ", "jose alvarez"),
        ("al-Qaida", "al qaida"),
        ("O'Neil", "o neil"),
        ("  Abd   al-Rahman ", "abd al rahman"),
        ("Straße", "strasse"),
        ("ISIL_(Da'esh)", "isil da esh"),
    ],
)
def test_latin_folding(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_mixed_script_tokens() -> None:
    assert tokens("مُحَمَّد Mohammed-Ali") == ["محمد", "mohammed", "ali"]


def test_empty_and_punctuation_only() -> None:
    assert normalize_text("") == ""
    assert tokens("-- ' ,") == []
