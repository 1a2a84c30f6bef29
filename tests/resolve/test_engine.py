"""The engine: who pairs with whom, how a pair scores, and why."""

import pytest

from rasid.names.score import SAME_NATIONALITY
from rasid.resolve.blocking import MAX_BLOCK
from rasid.resolve.engine import (
    PROPOSE_THRESHOLD,
    SAME_THRESHOLD,
    Stats,
    propose,
    score_pair,
)
from rasid.resolve.fixed import ADDRESS_MAX, NEAR_DOCUMENT, OTHER_BIRTH_DATE, compatible, near_dates
from rasid.resolve.model import Record
from rasid.resolve.names import OTHER_FATHER, NameScorer, unglue


def person(rid: str, dataset: str, *names: str, **facts: tuple[str, ...]) -> Record:
    return Record(rid, dataset, "Person", names, **facts)  # type: ignore[arg-type]


PRISON = person("pr-1", "prisons", "مُحَمَّد عبد الله", birth_dates=("1980-03-02",))
BORDER = person(
    "bp-1",
    "border",
    "MOHAMED ABDALLAH",
    birth_dates=("1980-03-02",),
    identifiers=(("document", "N1234567@jo"),),
)
BANK = person("fiu-1", "fiu", "M. Abdalla", identifiers=(("document", "N1234567@jo"),))


@pytest.mark.parametrize(
    ("left", "right", "low", "high"),
    [
        # One man in three agencies' spellings.
        (PRISON, BORDER, SAME_THRESHOLD, 1.0),
        (BORDER, BANK, SAME_THRESHOLD, 1.0),  # an initial, but the same passport
        (PRISON, BANK, PROPOSE_THRESHOLD, SAME_THRESHOLD),  # an initial, nothing else
        # The same common name, other dates of birth: two men.
        (
            BORDER,
            person("x", "police", "Mohammed Abdullah", birth_dates=("1955-07-12",)),
            0,
            PROPOSE_THRESHOLD,
        ),
        # A typing error in the date is not another date.
        (
            PRISON,
            person("y", "police", "Mohamed Abdallah", birth_dates=("1980-03-03",)),
            SAME_THRESHOLD,
            1.0,
        ),
        # A father and his son share names in another order.
        (
            person("f", "a", "Hasan Ahmad al-Zoubi"),
            person("s", "b", "Ahmad Hasan al-Zoubi"),
            0,
            PROPOSE_THRESHOLD,
        ),
        # Cousins: the same given and family names, other fathers.
        (
            person("c1", "a", "مريم ياسين النجار"),
            person("c2", "b", "مريم عمر النجار"),
            0,
            PROPOSE_THRESHOLD,
        ),
        # Her father is her namesake's grandfather.
        (
            person("c3", "a", "هدى محمد عزام"),
            person("c4", "b", "هدى عثمان محمد عزام"),
            0,
            PROPOSE_THRESHOLD,
        ),
        # Without the grandfather's name, the same woman.
        (
            person("c5", "a", "هدى عثمان عزام"),
            person("c6", "b", "هدى عثمان محمد عزام"),
            PROPOSE_THRESHOLD,
            1.0,
        ),
        # A glued article is the article.
        (
            person("g", "a", "HASAN MURAD ALOMARI"),
            person("h", "b", "حسن مراد العمري"),
            SAME_THRESHOLD,
            1.0,
        ),
    ],
)
def test_scores(left: Record, right: Record, low: float, high: float) -> None:
    pair = score_pair(left, right)
    assert low <= pair.score <= high, pair.explanation
    assert score_pair(right, left).score == pair.score


def test_explanation_lists_every_feature() -> None:
    left = person(
        "b",
        "police",
        "Mohamed Abdallah",
        birth_dates=("1980-03-02",),
        genders=("male",),
        nationalities=("jo",),
        identifiers=(("phone", "962796006676"),),
        addresses=("151 olive street, al-waha",),
    )
    right = person(
        "a",
        "fiu",
        "محمد عبد الله",
        birth_dates=("1980-03-02",),
        genders=("male",),
        nationalities=("jo",),
        identifiers=(("phone", "962796006676"),),
        addresses=("151 olive street al-waha",),
    )
    pair = score_pair(left, right)
    assert (pair.left_id, pair.right_id) == ("a", "b")  # ordered
    features = [r.feature for r in pair.explanation]
    for feature in ("name", "name_part", "birth_date", "nationality", "identifier", "address"):
        assert feature in features
    assert pair.shared_identifiers == (("phone", "962796006676"),)
    assert any("محمد" in r.detail and "mohamed" in r.detail for r in pair.explanation)


def test_conflicting_documents_lower_and_near_ones_raise() -> None:
    base = person("a", "x", "Omar Khaled Haddad", identifiers=(("document", "A1234567@sy"),))
    other = person("b", "y", "O. Haddad", identifiers=(("document", "B7654321@sy"),))
    near = person("c", "y", "O. Haddad", identifiers=(("document", "A1234576@sy"),))
    unknown = person("d", "y", "O. Haddad")
    scores = [score_pair(base, r).score for r in (other, unknown, near)]
    assert scores == sorted(scores) and len(set(scores)) == 3
    assert "another document issued by sy" in [
        r.detail for r in score_pair(base, other).explanation
    ]


def test_persons_and_organisations_are_not_compared() -> None:
    company = Record("c", "x", "Company", ("Mohamed Abdallah",))
    assert score_pair(PRISON, company).score == 0
    assert compatible("Person", "LegalEntity") and compatible("Company", "Organization")
    assert not compatible("Person", "Organization")
    assert list(propose([PRISON, company])) == []


def test_helpers() -> None:
    assert near_dates("1980-03-02", "1980-03-03") and near_dates("1980-03-02", "1980-02-03")
    assert near_dates("1980-03-12", "1980-03-21") and not near_dates("1980-03-02", "1981-04-02")
    assert unglue("ALOMARI BENSALEM Elansari") == "AL OMARI BEN SALEM El ansari"
    assert unglue("Alan Elena Ali") == "Alan Elena Ali"


def test_propose_pairs_the_three_spellings_and_counts() -> None:
    stranger = person("zz", "police", "Khadija Yusuf Haddad", birth_dates=("1990-01-01",))
    namesake = person("x", "police", "Mohammed Abdullah", birth_dates=("1955-07-12",))
    stats = Stats()
    seen: list[tuple[int, int]] = []
    pairs = list(
        propose(
            [PRISON, BORDER, BANK, stranger, namesake],
            stats=stats,
            progress=lambda d, t: seen.append((d, t)),
        )
    )
    found = {(p.left_id, p.right_id): p for p in pairs}
    # The namesake may be the man known by an initial only, not the one born in 1980.
    assert set(found) == {("bp-1", "fiu-1"), ("bp-1", "pr-1"), ("fiu-1", "pr-1"), ("fiu-1", "x")}
    assert all(p.left_id < p.right_id for p in pairs)
    assert found[("bp-1", "fiu-1")].shared_identifiers == (("document", "N1234567@jo"),)
    assert stats.records == 5 and stats.proposed == 4
    # The namesake is compared with the others only where no date rules him out.
    assert 3 <= stats.candidates < 10 and stats.blocks > 0 and stats.seconds > 0
    assert seen[0] == (0, stats.candidates) and seen[-1] == (stats.candidates, stats.candidates)


def test_within_datasets_and_one_id_in_two_datasets() -> None:
    twin = person("bp-2", "border", "Mohamed Abdallah", birth_dates=("1980-03-02",))
    assert [(p.left_id, p.right_id) for p in propose([BORDER, twin], within_datasets=False)] == []
    assert [(p.left_id, p.right_id) for p in propose([BORDER, twin])] == [("bp-1", "bp-2")]
    again = person("pr-1", "border", "Mohammed Abdalla")  # pr-1 as the border knows him
    pairs = list(propose([PRISON, again, BORDER]))
    assert [(p.left_id, p.right_id) for p in pairs] == [("bp-1", "pr-1")]  # once, the best


def test_a_shared_document_is_proposed_whatever_the_names() -> None:
    a = person("a", "x", "Omar Haddad", identifiers=(("document", "A1234567@sy"),))
    b = person("b", "y", "Layla Nasser", identifiers=(("document", "A1234567@sy"),))
    [pair] = propose([a, b])
    assert pair.score < PROPOSE_THRESHOLD and pair.shared_identifiers == (
        ("document", "A1234567@sy"),
    )


def test_big_blocks_are_skipped_and_counted() -> None:
    crowd = [
        person(
            f"p{i:03d}",
            "x",
            f"Mohamed Abdallah {n}",
            birth_dates=(f"{1900 + i}-{1 + i % 12:02d}-{1 + i % 28:02d}",),
        )
        for i, n in enumerate(["Haddad", "Nasser", "Jaber"] * (MAX_BLOCK // 2))
    ]
    stats = Stats()
    list(propose(crowd, stats=stats))
    assert stats.skipped_blocks >= 1 and stats.skipped_records > MAX_BLOCK
    assert any(k.startswith("n|") for k in stats.skipped_keys)
    # Everyone has another date of birth: no pair is worth scoring.
    assert stats.proposed == 0


def test_workers_give_the_same_pairs() -> None:
    people = [
        person(f"{d}-{i}", d, name, birth_dates=(f"19{60 + i}-01-0{1 + i % 9}",))
        for i, name in enumerate(
            ["Mohamed Abdallah Haddad", "Omar Khaled Nasser", "Layla Yusuf Jaber"] * 3
        )
        for d in ("a", "b")
    ]
    one = [(p.left_id, p.right_id, p.score) for p in propose(people, workers=1)]
    two = [(p.left_id, p.right_id, p.score) for p in propose(people, workers=2)]
    assert one == two and one


def test_other_dates_cannot_reach_the_threshold_without_an_identifier() -> None:
    # What lets the engine drop such pairs before scoring them: a perfect name, then every
    # agreement but an identifier, after the conflict.
    best = 1 + OTHER_BIRTH_DATE
    for effect in (SAME_NATIONALITY, NEAR_DOCUMENT, ADDRESS_MAX):
        best = 1 - (1 - best) * (1 - effect)
    assert best < PROPOSE_THRESHOLD


def test_fathers_names_compared_only_when_both_are_there() -> None:
    """The second part of a chain is the father's: without it (given and family name), or
    with an initial, nothing is said about him."""
    scorer = NameScorer({}, {})
    other = scorer.fathers("Maryam Yasin al-Najjar", "Maryam Omar al-Najjar")
    assert other is not None and other.effect == OTHER_FATHER and "yasin" in other.detail
    assert scorer.fathers("Maryam al-Najjar", "Maryam Omar al-Najjar") is None
    assert scorer.fathers("Maryam Y. al-Najjar", "Maryam Omar al-Najjar") is None
    assert scorer.fathers("NAJJAR, Maryam Yasin", "Maryam Omar al-Najjar") is None
    assert scorer.fathers("Maryam Yaseen al-Najjar", "مريم ياسين النجار") is None
    # One skeleton, vowels written otherwise: Saeed and Said may be one name (سعيد).
    assert scorer.fathers("Nabil Saeed Odeh", "Nabeel Said Odeh") is None
    assert scorer.fathers("نبيل حسن عودة", "نبيل حسين عودة") is not None


def test_a_name_no_other_record_carries_may_be_misspelt() -> None:
    """A father's or first name only one record carries is not held against a pair: it is
    more likely a typing error (TARMQ for طارق) than a name of its own."""
    left = person("t1", "border", "HASAN TARMQ SUDANI", birth_dates=("1978-03-01",))
    right = person("t2", "prisons", "حسن طارق السوداني", birth_dates=("1978-03-01",))
    crowd = [
        person(f"o{i}", "police", f"{given} Tariq Haddad", birth_dates=(f"19{50 + i}-01-01",))
        for i, given in enumerate(["Hasan", "Ali", "Omar", "Sami"])
    ]
    assert "other father's name" in str(score_pair(left, right).explanation)
    pairs = {(p.left_id, p.right_id): p for p in propose([left, right, *crowd])}
    pair = pairs[("t1", "t2")]
    assert pair.score >= PROPOSE_THRESHOLD
    assert "father" not in str(pair.explanation)


def test_records_written_alike_meet_when_their_coarse_blocks_are_too_big() -> None:
    """Coarse keys of common names make blocks too large to compare; the name's own keys
    (whole, or its given and family name) still bring two records of one person together."""
    crowd = [
        person(f"p{i:03d}", "x", name, birth_dates=(f"{1900 + i}-01-01",))
        for i, name in enumerate(
            ["Hassan Saad Hussein", "Hussein Said Hassan", "Hasan Saeed Zain", "Husni Sayed Zein"]
            * 6
        )
    ]
    one = person("z1", "police", "حسن سعيد حسن الزين")
    two = person("z2", "prisons", "حَسَن سَعِيد حَسَن الزَّيْن")
    short = person("z3", "border", "HASSAN SAEED AL ZEIN")
    stats = Stats()
    found = {(p.left_id, p.right_id) for p in propose([*crowd, one, two, short], stats=stats)}
    assert stats.skipped_blocks >= 1
    assert ("z1", "z2") in found
    assert ("z2", "z3") in found
