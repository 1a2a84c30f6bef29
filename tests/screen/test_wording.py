"""Screening's explanations worded in both languages: every step the scorer, the document
lists and the targeting rules give has a code whose English wording is its detail, and
Arabic words of its own."""

import re
from itertools import product

import pytest

from rasid.names.index import NameIndex
from rasid.names.parts import parse
from rasid.names.score import part_similarity
from rasid.screen import wording
from rasid.screen.model import Reason, Subject
from rasid.screen.wording import FEATURES, REASONS, WHY, word

ARABIC = re.compile("[\u0600-\u06ff]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Pairs of names whose parts meet in every way the scorer words (``WHY``).
PAIRS = [
    ("Omar", "Omar"),
    ("Mohammed", "Muhammad"),
    ("Mohammed", "محمد"),
    ("Youssef", "يوسف"),
    ("Mohammed", "Ahmed"),
    ("Mohammed", "M"),
    ("M", "M."),
    ("Mohammed", "Mahmoud"),
    ("Hussein", "حسن"),
    ("Akhmed", "Ahmed"),
    ("Nur", "Nuruddin"),
    ("Cho", "Chol"),
    ("Ali", "Aly"),
    ("Abdullah", "Abdallah"),
    ("Salah Eddine", "Salihin"),
    ("Ajmi", "Juma"),
    ("ولي", "له"),
    ("Kim Jong Un", "Kim Jong Eun"),
]


def test_every_way_two_parts_meet_is_worded_in_both_languages() -> None:
    kinds = set()
    for one, two in PAIRS:
        for a, b in product(parse(one), parse(two)):
            _, why = part_similarity(a, b)
            if why:
                kinds.add(why.partition(" (")[0])
                worded = wording.why(why, "ar")
                assert worded != why and ARABIC.search(worded), why
                assert wording.why(why, "en") == why
    assert kinds == set(WHY)  # every kind the scorer has, and no wording for none


def test_what_is_in_brackets_reads_the_same_in_arabic() -> None:
    assert wording.why("spelling variant (YSF)", "ar") == "تهجئة أخرى للاسم نفسه (YSF)"
    assert wording.why("something new (X)", "ar") == "something new (X)"  # left as it is


def _explained(name: str, listed: str, **facts: str) -> list[Reason]:
    index = NameIndex()
    index.add("e1", [listed], ["1970-05-01"], ["eg"], "male", ["A123"])
    [match] = index.match(Subject("s1", name, **facts))
    return match.explanation


@pytest.mark.parametrize(
    ("name", "listed", "facts"),
    [
        ("Youssef Qasim Ali", "يوسف قاسم", {"birth_date": "1970-05-01", "nationality": "eg"}),
        ("Yusuf Kassem", "Youssef Qasim Ahmed", {"birth_date": "1971", "gender": "female"}),
        ("Yusuf Kassem", "Youssef Qasim", {"birth_date": "1974", "nationality": "sy"}),
        ("Yusuf Kassem", "Youssef Qasim", {"birth_date": "1972", "document_number": "a-123"}),
        ("Yusuf Kassem", "Youssef Qasim", {"birth_date": "1970-02-02"}),
    ],
)
def test_english_wording_gives_the_detail_and_arabic_its_own(
    name: str, listed: str, facts: dict[str, str]
) -> None:
    reasons = _explained(name, listed, **facts)
    assert len(reasons) >= 3
    for r in reasons:
        assert r.code in REASONS, r
        assert word(r.code, r.args, r.detail, "en") == r.detail
        arabic = word(r.code, r.args, r.detail, "ar")
        if r.code not in ("gender.other",):  # the words are the names or the codes
            assert ARABIC.search(arabic), arabic
        assert wording.feature(r.feature, "ar") != r.feature
        assert ARABIC.search(wording.feature(r.feature, "ar"))


def test_each_kind_of_fact_is_worded() -> None:
    codes = set()
    for facts in (
        {"birth_date": "1970-05-01", "nationality": "eg", "document_number": "A123"},
        {"birth_date": "1970", "nationality": "sy", "gender": "female"},
        {"birth_date": "1971"},
        {"birth_date": "1980"},
    ):
        codes |= {r.code for r in _explained("Youssef Qasim Ali", "Youssef Qasim", **facts)}
    assert {c for c in codes if "." in c} == {
        "birth_date.same",
        "birth_date.year",
        "birth_date.one_apart",
        "birth_date.apart",
        "nationality.same",
        "nationality.other",
        "gender.other",
        "document.same",
    }
    assert {"name_part", "name_missing"} <= codes


def test_gender_and_numbers_in_arabic() -> None:
    gender = Reason(
        "gender", "female ≠ male", -0.1, "gender.other", (("query", "female"), ("listed", "male"))
    )
    assert word(gender.code, gender.args, gender.detail, "ar") == "أنثى ≠ ذكر"
    apart = Reason(
        "birth_date", "years of birth 7 apart", -0.1, "birth_date.apart", (("years", "7"),)
    )
    assert word(apart.code, apart.args, apart.detail, "ar") == "الفرق بين سنتي الميلاد: 7"


def test_a_step_without_a_known_code_reads_as_its_detail() -> None:
    assert word("", (), "masked name", "ar") == "masked name"
    assert word("from.a.later.release", (), "kept", "ar") == "kept"
    assert word("name_part", (("query", "A"),), "A ~ B: identical", "ar") == "A ~ B: identical"


def test_both_languages_take_the_same_arguments() -> None:
    for code, text in REASONS.items():
        english = set(PLACEHOLDER.findall(text.en))
        arabic = set(PLACEHOLDER.findall(text.ar))
        if code == "rule":  # the rule's own words come in both languages
            assert arabic == {f"{n}_ar" for n in english}
        else:
            assert arabic == english, code
    for name, text in FEATURES.items():
        assert ARABIC.search(text.ar) and not ARABIC.search(text.en), name
