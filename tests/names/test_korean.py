"""Korean names: one key for the romanisations of a syllable, and only for Korean names."""

import pytest

from rasid.names.korean import is_korean_key, korean_keys, syllable_key
from rasid.names.parts import parse
from rasid.names.score import ALERT_THRESHOLD, compare


@pytest.mark.parametrize(
    "spellings",
    [
        ("jo", "cho"),
        ("chol", "cheol", "chul"),
        ("pak", "park", "bak"),
        ("ri", "lee", "yi", "i"),
        ("myong", "myeong", "myung"),
        ("yong", "young", "yeong"),
        ("song", "seong", "sung"),
        ("choe", "choi"),
        ("u", "woo"),
        ("kuk", "guk"),
    ],
)
def test_romanisations_of_one_syllable_share_a_key(spellings: tuple[str, ...]) -> None:
    keys = {syllable_key(s) for s in spellings}
    assert len(keys) == 1 and None not in keys, keys


@pytest.mark.parametrize("word", ["mohammed", "ali", "khan", "hasan", "zhang", "xiao"])
def test_words_that_are_not_one_korean_syllable(word: str) -> None:
    assert syllable_key(word) is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Cho Yong Chol", "JO YONG CHOL"),
        ("Pak Do Chun", "PAK TO CHUN"),
        ("Jang Chang Ha", "CHANG CHANG HA"),
        ("Chang-Su Han", "HAN JANG SU"),  # given name first
        ("Cho’n Myo’ng-kuk", "JON MYONG GUK"),  # McCune–Reischauer with apostrophes
        ("Kim Chung Chong", "KIM JUNG JONG"),
    ],
)
def test_korean_names_match_across_romanisations(query: str, listed: str) -> None:
    scored = compare(query, listed)
    assert scored.score >= ALERT_THRESHOLD, [r.detail for r in scored.reasons]
    assert any("Korean" in r.detail for r in scored.reasons)


@pytest.mark.parametrize(
    "name",
    ["Jan Gul", "Mir Jan Gul", "Ali Han", "Lee Hao", "Mohammed Kim", "Kim", "Zhang Wei Ming"],
)
def test_other_names_keep_the_consonant_keys(name: str) -> None:
    assert not any(is_korean_key(p.key) for p in parse(name))


def test_a_korean_name_needs_a_family_name_first_or_last() -> None:
    assert korean_keys(["yong", "chol", "su"]) is None
    assert korean_keys(["kim", "yong", "chol"]) == ["KIM", "YUNG", "CUL"]
    assert korean_keys(["yong", "chol", "kim"]) is not None


def test_other_korean_names_do_not_alert() -> None:
    assert compare("Kim Yong Chol", "Pak Yong Chol").score < ALERT_THRESHOLD
    assert compare("Ri Song Hyok", "Ri Song Il").score < ALERT_THRESHOLD
