"""The scorer: matching and hard non-matching pairs in Arabic and Latin, table-driven."""

import pytest
from followthemoney.statement.entity import StatementEntity

from rasid.data import un_sc_path
from rasid.ingest.records import ReadContext, Source
from rasid.ingest.unsc import read_un_sc
from rasid.names.parts import parse
from rasid.names.score import (
    ALERT_THRESHOLD,
    PAIR_FLOOR,
    Comparisons,
    Facts,
    align,
    cannot_meet,
    compare,
    explained,
    name_score,
    one_letter_apart,
    part_similarity,
    side,
    vowel_difference,
)

MATCHES = [
    ("Yusuf", "Youssef"),
    ("Qasim", "Kassem"),
    ("Kacem", "Qasim"),
    ("Nur al-Din", "Noureddine"),
    ("Mohammed Abdallah", "محمد عبد الله"),
    ("Abdul Rahman Hussein", "Abderrahmane Hossein"),
    ("عبد الرحمن حسين", "Abd al-Rahman Husayn"),
    ("Ali Hassan", "Hassan Ali"),  # reordered
    ("AL-ZAWAHIRI, Ayman", "Ayman al-Zawahiri"),  # surname first
    ("Sheikh Ayman al-Zawahiri", "Ayman Zawahiri"),  # title and article
    ("Nureddin Hasan", "Nur Eddin Hasan"),  # run together
    ("Mohamed Ould Abdallah", "Mohamed Abdallah"),  # particle
    ("أسامة بن لادن", "Usama bin Ladin"),
    ("Akhmed Khasan Umarov", "Ahmed Hasan Umarov"),  # kh written for ḥ
    ("Halil Ibrahim", "Khalil Ibrahim"),  # h written for kh
]
NON_MATCHES = [
    ("Hassan Ali", "Hussein Ali"),  # same consonants, different names
    ("Mahmood Ahmed", "Mohammad Ahmed"),
    ("John Smith", "Mohammed Omar"),
    ("Salma Hamdane", "Islam Ahmed"),
    ("Maria Garcia", "Omar Garcia Al-Masri"),
    ("علي عمري", "علي امير"),
    ("Ahmed", "Ahmed Khalfan Ghailani"),  # one common part of three
    ("Hilal Ahmed", "Khalil Ahmed"),  # kh for h, but other vowels: two names
    ("خالد حسن", "حامد حسن"),  # in Arabic script خ and ح are two letters
    ("Hussein Ali", "حسن علي"),  # حسن is Hasan: Hussein is حسين
    ("حسين عمر", "Hassan Omar"),
    ("Saeed Ahmed", "سعد أحمد"),  # Saeed is سعيد
]


@pytest.mark.parametrize(("a", "b"), MATCHES)
def test_matching_pairs_alert(a: str, b: str) -> None:
    scored = compare(a, b)
    assert scored.score >= ALERT_THRESHOLD, [r.detail for r in scored.reasons]
    assert any(r.feature == "name_part" for r in scored.reasons)


@pytest.mark.parametrize(("a", "b"), NON_MATCHES)
def test_hard_non_matching_pairs_do_not_alert(a: str, b: str) -> None:
    scored = compare(a, b)
    assert scored.score < ALERT_THRESHOLD, [r.detail for r in scored.reasons]


def test_facts_move_the_score_and_say_why() -> None:
    base = compare("Ayman Zawahiri", "Ayman al-Zawahiri").score
    same = compare(
        "Ayman Zawahiri",
        "Ayman al-Zawahiri",
        Facts(birth_dates=("1951-06-19",), nationalities=("eg",)),
        Facts(birth_dates=("1951-06-19",), nationalities=("eg",)),
    )
    other = compare(
        "Ayman Zawahiri",
        "Ayman al-Zawahiri",
        Facts(birth_dates=("1990",), gender="female"),
        Facts(birth_dates=("1951-06-19",), gender="male"),
    )
    assert same.score >= base > other.score
    features = {r.feature: r.effect for r in other.reasons}
    assert features["birth_date"] < 0 and features["gender"] < 0
    assert {r.feature for r in same.reasons} >= {"birth_date", "nationality"}


def test_scores_stay_in_range_and_empty_names_score_zero() -> None:
    assert compare("", "Ali").score == 0.0
    assert compare("---", "...").score == 0.0
    scored = compare(
        "Ayman Zawahiri", "Ayman Zawahiri", Facts(documents=("A1",)), Facts(documents=("A1",))
    )
    assert scored.score == 1.0


def test_weights_follow_names_added_after_a_query() -> None:
    from rasid.names.index import NameIndex
    from rasid.screen.model import Subject

    index = NameIndex()
    index.add("a", ["Karim Haddad"])
    first = index.match(Subject("s", "Karim Haddad"))[0].score
    for i in range(50):  # Haddad becomes common: it should count for less
        index.add(f"b{i}", [f"Haddad Number{i}"])
    fresh = NameIndex()
    fresh.add("a", ["Karim Haddad"])
    for i in range(50):
        fresh.add(f"b{i}", [f"Haddad Number{i}"])
    query = Subject("s", "Karim Saleh")  # leaves Haddad unmatched: its weight counts
    assert index.match(query)[0].score == fresh.match(query)[0].score
    assert first == 1.0


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Siraj Haqani", "Sirajuddin Haqqani"),  # -uddin left off
        ("Ibrahim Mohd Albaker", "Ibrahim Muhammad al-Bakr"),  # Mohd; article run together
        ("Hussein Alhusseini", "Husayn al-Husseini"),
    ],
)
def test_short_forms_and_joined_articles_match(query: str, listed: str) -> None:
    assert compare(query, listed).score >= 0.8


def test_names_beginning_with_al_are_not_cut() -> None:
    assert [p.text for p in parse("Albert Alwan Alexander")] == ["albert", "alwan", "alexander"]
    assert [p.text for p in parse("Alhusseini")] == ["husseini"]


@pytest.mark.parametrize(
    ("a", "b", "difference"),
    [
        ("saeed", "said", ""),  # the a of an unwritten ayn beside the long i
        ("hussain", "hussein", ""),
        ("mhamed", "mohamed", ""),  # an unwritten vowel
        ("hassan", "hussein", "name"),
        ("said", "saad", "name"),  # the first vowel decides the name
        ("rami", "rimi", "name"),
        ("mahmood", "mohammad", "name"),
        ("zawahari", "zawahiri", "inner"),  # one vowel inside a long name
        ("rida", "ridho", "ending"),  # the final vowel only
        ("dokka", "doku", "ending"),
        ("habu", "habib", "name"),  # habib ends with a consonant: not an ending
        ("achieng", "chang", "name"),  # an e beside another vowel adds nothing
    ],
)
def test_vowels_written_otherwise(a: str, b: str, difference: str) -> None:
    assert vowel_difference(a, b) == difference


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("RXM", "RHM", True),  # Rachim / Rahim
        ("JDRN", "ZDRN", True),  # Jadran / Zadran: the first letter changed
        ("SLM", "MSLM", False),  # Salim / Moslim: a letter added before the first
        ("BDHB", "BDHK", False),  # Abd al-Habib / Abd al-Haq: short tails after Abd
        ("BDRXM", "BDRHM", True),  # Abdul Rachim / Abdul Rahim
    ],
)
def test_one_letter_apart(a: str, b: str, near: bool) -> None:
    assert one_letter_apart(a, b) is near


@pytest.mark.parametrize(
    ("query", "listed", "matches"),
    [
        ("Saeed Ahmed Khan", "Said Ahmed Khan", True),
        ("Ayman al-Zawahari", "Ayman al-Zawahiri", True),
        ("Abdul Habib", "Abdul Haq", False),  # one long beginning, two names
        ("Moslim Haqqani", "Salim Haqqani", False),
    ],
)
def test_spellings_and_names_told_apart(query: str, listed: str, matches: bool) -> None:
    assert (compare(query, listed).score >= ALERT_THRESHOLD) is matches


def _un_name_pairs() -> list[tuple[str, str]]:
    """Each UN-listed person's first name against each of their other names and aliases."""
    path = un_sc_path()
    pairs: list[tuple[str, str]] = []
    for item in read_un_sc(Source(path, path.name), ReadContext("unsc")):
        if not isinstance(item, StatementEntity) or item.schema.name != "Person":
            continue
        names = sorted(item.get("name")) + sorted(item.get("alias"))
        pairs.extend((names[0], other) for other in names[1:])
    return pairs


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Akhmed", "Ahmed", True),
        ("Khasan", "Hasan", True),
        ("Halid", "Khalid", True),
        ("Akhmed", "احمد", True),  # across scripts
        ("Hilal", "Khalil", False),  # other vowels
        ("خالد", "حالد", False),  # two letters in Arabic script
        ("Khalaf", "Halal", False),  # more than kh and h apart
        ("Kh", "H", False),  # too short to say
    ],
)
def test_kh_and_h_written_for_one_another(a: str, b: str, similar: bool) -> None:
    sim, why = part_similarity(parse(a)[0], parse(b)[0])
    assert (sim >= PAIR_FLOOR and "kh" in why) is similar, (sim, why)


def test_run_together_units_are_skipped_only_where_they_cannot_count() -> None:
    """The scorer and the closer bounds skip the pairs ``cannot_meet`` names (a run-together
    unit against anything but a single part of its key); every such pair, across the UN
    list's names and aliases, is below the floor of a counted pair."""
    skipped = 0
    for first, other in _un_name_pairs():
        for q, _, _ in side(parse(other)).units:
            for c, _, _ in side(parse(first)).units:
                if cannot_meet(q, c):
                    skipped += 1
                    assert part_similarity(q, c)[0] < PAIR_FLOOR, (q, c)
    assert skipped > 10_000  # the list has many names of several parts


def test_an_alignment_worded_keeps_its_score_and_pairs() -> None:
    query, listed = side(parse("Abd al-Rahman Nureddin Hasan")), side(parse("Nur al-Din Hassan"))
    aligned = align(query, listed)
    worded = explained(aligned, query, listed)
    assert worded.score == aligned.score == name_score(query, listed).score > 0
    said = [r for r in worded.reasons if r.feature == "name_part"]
    assert len(said) == len(aligned.pairs) == 2
    assert [r.detail for r in worded.reasons if r.feature == "name_missing"] == [
        "not in the listed name: abd rahman"
    ]


def test_comparisons_give_every_pair_of_units_its_own_key() -> None:
    # Listed parts 0..3 of an index of four parts; names made of them, with the units run
    # together. Every query unit against every listed unit must have a key of its own, and
    # query units numbered after the numbering starts afresh must not reuse a number that
    # a prepared query still holds.
    comparisons = Comparisons(parts=4, size=3)
    listed_parts = parse("Nur Din Hasan Ali")
    ids = [0, 1, 2, 3]
    listed = side(listed_parts)
    lifted = comparisons.listed(listed, ids)
    assert len(lifted) == len(listed.units) == 7  # four parts, three run together
    assert lifted[:4] == [comparisons.offset + i for i in ids]
    # Parts 0 and 1 run together: the closer bounds know the unit by code -(0*4 + 1) - 1.
    assert lifted[4] == comparisons.offset + (-(0 * 4 + 1) - 1)
    assert all(0 <= k < comparisons.space for k in lifted)
    # Two listed names from the same parts in another order: their runs differ.
    other = comparisons.listed(side([listed_parts[1], listed_parts[0]]), [1, 0])
    assert other[2] not in lifted
    queries = [side(parse(n)) for n in ("Nureddin Hassan", "Ali Hasan", "Noor Ali Hasan")]
    numbered = [comparisons.query(q) for q in queries]  # eight units: numbering restarts
    assert comparisons.query(queries[0]) != numbered[0]  # forgotten, numbered again
    pairs = {(q, c) for q_keys in numbered for q in q_keys for c in lifted + other}
    assert len(pairs) > 40
    assert len({q + c for q, c in pairs}) == len(pairs)


def test_remembered_comparisons_align_as_fresh_ones() -> None:
    comparisons = Comparisons(parts=4, size=100)
    listed = side(parse("Nur Din Hasan Ali"))
    listed.keys = comparisons.listed(listed, [0, 1, 2, 3])
    for name in ("Noureddine Hassan", "Ali Hasan", "نور الدين حسن", "Nur Ali"):
        query = side(parse(name))
        query.keys = comparisons.query(query)
        fresh = align(side(parse(name)), side(parse("Nur Din Hasan Ali")))
        for _ in range(2):  # the second time from the memo
            assert align(query, listed, part_similarity, comparisons) == fresh, name
    assert comparisons.memo


@pytest.mark.parametrize(
    ("latin", "arabic", "same"),
    [
        ("Hussein", "حسين", True),
        ("Husayn", "حسين", True),
        ("Hassan", "حسن", True),
        ("Hussein", "حسن", False),  # ei inside the word: a ي Arabic script would write
        ("Husain", "حسن", False),
        ("Hassan", "حسين", False),  # the ي of حسين: a Latin spelling has i, e or y
        ("Saeed", "سعيد", True),
        ("Saeed", "سعد", False),
        ("Saad", "سعيد", False),
        ("Rasheed", "راشد", False),
        ("Rashid", "راشد", True),  # Latin without long vowels may be either name
        ("Rashid", "رشيد", True),
        ("Ayman", "أيمن", True),  # ي as a consonant is written y
        ("Aisha", "عائشة", True),  # ئ is read as ي
        ("Ismail", "إسماعيل", True),
        ("Ali", "علي", True),  # a final ي is the name's ending, not a vowel inside it
        ("Zaid", "زيد", True),
    ],
)
def test_long_vowels_across_scripts(latin: str, arabic: str, same: bool) -> None:
    sim, why = part_similarity(parse(latin)[0], parse(arabic)[0])
    assert (sim >= PAIR_FLOOR) is same, (sim, why)
    if not same:
        assert "long vowel" in why, why
