"""The safeguard on receipt: which codes and words it removes (and which it keeps), on the
samples and on made-up messages, and that nothing it removes reaches either database."""

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, select

from rasid.ingest.run import IngestRequest, ingest
from rasid.model.text import normalize_text
from rasid.store import Store
from rasid.store.tables import metadata
from rasid.travel import sensitive
from rasid.travel.parse import parse
from rasid.travel.pnr import Ssr
from rasid.travel.sensitive import (
    Rules,
    _candidates,
    _word_matches,
    default_rules,
    load_rules,
    screen_pnr,
)
from rasid.travel.store import find_booking, list_versions
from tests.travel.helpers import DATA_DIR, SENSITIVE_PNR, SENSITIVE_WORDS, sample

FULL = "pnrgov_gtas_pnrMessage_full.edi"
RULES_FILE = Path(sensitive.__file__).with_name("sensitive.yml")

# free text -> the category it reveals (None: kept)
TEXTS: dict[str, str | None] = {
    "PAX REQUESTS HALAL FOOD": "religion",
    "KOSHER ONLY": "religion",
    "MUSLIMS GROUP": "religion",
    "UMRAH GROUP 12 PAX": "religion",
    "PAX PREGNANT 30 WEEKS": "health",
    "pregnancy": "health",
    "DIABETIC CARRIES INSULIN": "health",
    "NEEDS A WHEELCHAIR": "disability",
    "Hearing impaired passenger": "disability",
    "REQ VGML": "meal",  # a listed code in free text
    "SSR+AVML:HK:2:DL": "meal",
    "طعام حلال من فضلك": "religion",
    "للمسلمين": "religion",  # preposition and article before the word
    "الراكبة حامل": "health",
    "بالكرسي المتحرك": "disability",  # a phrase, each word with its prefix
    "مريضة سكري": "health",
    "وجبة نباتية": "meal",
    "THIS PASSENGER IS A VIP": None,
    "DELIVER TO ISLAMABAD OFFICE": None,  # a city, not the religion
    "HAJ": None,  # Hannover's airport code
    "لحج": None,  # Lahij, not the pilgrimage
    "وضع طبيعي": None,  # "normal", though it starts like "medical"
    "MUHAMMAD HASSAN": None,
    "CTCE CHARLES.ACKARY//YAHOO.COM": None,
}


@pytest.mark.parametrize(("text", "category"), TEXTS.items())
def test_free_text(text: str, category: str | None) -> None:
    assert default_rules().text_category(text) == category


@pytest.mark.parametrize(
    ("ssr", "category"),
    [
        (Ssr("MOML"), "religion"),
        (Ssr("DBML"), "health"),
        (Ssr("wchr"), "disability"),
        (Ssr("XXML"), "meal"),  # not listed: every special meal code ends in ML
        (Ssr("OTHS", "PAX IN WHEELCHAIR"), "disability"),
        (Ssr("DOCS", "/P/GBR/1234/GBR/01JAN80/M/01JAN30/MUSLIM/HALAL"), None),  # names
        (Ssr("NSSA"), None),
        (Ssr("CKIN", "10KG EXBG WAIVER AUTH BY MDPRM"), None),
        (Ssr("TKNE", "1393207166000C1"), None),
        (Ssr("SEAT", ".03BN03AN"), None),
    ],
)
def test_special_service_requests(ssr: Ssr, category: str | None) -> None:
    assert default_rules().ssr_category(ssr) == category


def test_every_declared_entry_says_why() -> None:
    text = (Path(__file__).parents[2] / "rasid" / "travel" / "sensitive.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    entries = [*data["ssr_codes"].values(), *data["keywords"], *data["ssr_code_patterns"]]
    assert all(str(e["why"]).strip() for e in entries)
    assert {"WCHR", "MEDA", "BLND", "DEAF", "OXYG", "STCR", "MOML", "KSML"} <= set(
        data["ssr_codes"]
    )


def test_a_category_must_be_declared() -> None:
    text = """
categories: {health: {en: Health, ar: الصحة}}
ssr_codes: {MEDA: {category: health, why: medical case}}
ssr_code_patterns: []
keyword_exempt_codes: {}
keywords: [{text: halal, category: religion, why: food}]
"""
    with pytest.raises(ValueError, match="undeclared categories: religion"):
        load_rules(text)


def scanned(rules: Rules, text: str) -> str | None:
    """The category of ``text`` found the plain way: at every word, every code, word, stem
    and phrase in the order declared (what the indexes of ``Rules`` must give)."""
    tokens = normalize_text(text).split()
    for i, token in enumerate(tokens):
        if token.isascii() and rules.code_category(token):
            return rules.code_category(token)
        for candidate in _candidates(token):
            if candidate in rules.words:
                return rules.words[candidate]
            stem = next((c for s, c in rules.stems if candidate.startswith(s)), None)
            if stem is not None:
                return stem
        for phrase in rules.phrases:
            window = tokens[i : i + len(phrase.words)]
            if len(window) == len(phrase.words) and all(
                _word_matches(w, t) for w, t in zip(phrase.words, window, strict=True)
            ):
                return phrase.category
    return None


OVERLAPPING = """
categories: {a: {en: A, ar: أ}, b: {en: B, ar: ب}}
ssr_codes: {}
ssr_code_patterns: []
keyword_exempt_codes: []
keywords:
  - {text: "pra*", category: a, why: first listed}
  - {text: "pray*", category: b, why: listed after a shorter stem it shares words with}
  - {text: "wheel*", category: b, why: a longer stem listed first}
  - {text: "whe*", category: a, why: listed after}
  - {text: "hearing impaired", category: a, why: a phrase}
  - {text: "hearing aid*", category: b, why: a phrase on the same first word}
  - {text: "كرسي متحرك", category: b, why: an Arabic phrase}
"""


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("PRAYER ROOM", "a"),
        ("WHEELS", "b"),
        ("WHEN", "a"),
        ("HEARING IMPAIRED", "a"),
        ("HEARING AIDS", "b"),
        ("HEARING", None),
        ("بالكرسي المتحرك", "b"),
        ("والكرسي", None),
    ],
)
def test_the_first_keyword_declared_wins(text: str, category: str | None) -> None:
    rules = load_rules(OVERLAPPING)
    assert rules.text_category(text) == scanned(rules, text) == category


def _keyword_words() -> list[str]:
    data = yaml.safe_load((RULES_FILE).read_text("utf-8"))
    words = [w for e in data["keywords"] for w in str(e["text"]).rstrip("*").split()]
    return [*words, *data["ssr_codes"], "ISLAMABAD", "HAJ", "VIP", "CTCE", "و", "ال", "X"]


TEXTS_MADE = st.lists(
    st.tuples(
        st.sampled_from(["", "", "و", "بال", "لل", "ال"]),
        st.sampled_from(_keyword_words()),
        st.sampled_from(["", "", "S", "ING", "ية", "ات", "/"]),
    ).map("".join),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(TEXTS_MADE)
def test_the_indexes_find_what_a_plain_scan_finds(text: str) -> None:
    assert default_rules().text_category(text) == scanned(default_rules(), text)


def test_words_remembered_are_forgotten_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sensitive, "MEMORY", 2)
    rules = load_rules(RULES_FILE.read_text("utf-8"))
    texts = ["VIP", "HALAL MEAL", "PAX PREGNANT", "WINDOW SEAT", "HALAL"]
    assert [rules.text_category(t) for t in texts * 2] == [
        None,
        "religion",
        "health",
        None,
        "religion",
    ] * 2
    assert len(rules._known) <= 2


def test_the_samples_lose_only_their_meal_codes() -> None:
    removed_by_pnr = {}
    for name in (FULL, "pnrgov_gtas_iata_guide_pg75.edi", "pnrgov_gtas_with_docs_doco.edi"):
        for batch in parse(sample(name)).pnr_batches:
            for pnr in batch.pnrs:
                screened, removed = screen_pnr(pnr)
                removed_by_pnr[pnr.record_locator] = (dict(removed), screened)
    full_removed, full = removed_by_pnr["MFN4TI"]
    assert full_removed == {"meal": 5}  # AVML at PNR level and four times in the history
    assert [code for code, _ in full.ssr_codes] == ["DOCS", "DOCS", "SEAT", "SEAT"]
    assert len(full.history) == 8 and all("AVML" not in h.text for h in full.history)
    assert ("4:28", "THIS PASSENGER IS A VIP") in full.free_text
    park_removed, park = removed_by_pnr["2LS6KP"]
    assert park_removed == {} and {"NSSA", "CKIN"} <= {c for c, _ in park.ssr_codes}
    ackary_removed, ackary = removed_by_pnr["06A9FD"]
    assert ackary_removed == {} and ackary.travellers[0].documents[0].given_names.endswith(
        "MUHAMMAD"
    )


def _all_text(conn: Connection) -> str:
    """Every value of every table, as one text."""
    found = []
    for table in metadata.sorted_tables:
        for row in conn.execute(select(table)):
            found.extend(str(value) for value in row)
    return "\n".join(found).upper()


def test_sensitive_data_never_reaches_the_database(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "made_up.edi"
    path.write_bytes(SENSITIVE_PNR)
    summary = ingest(store, IngestRequest(str(path), "piu", agency="piu"))
    ingest(store, IngestRequest(str(DATA_DIR / FULL), "piu", agency="piu"))
    assert summary.counts["filtered_categories"] == {
        "religion": 3,
        "health": 2,
        "disability": 1,
        "meal": 1,
    }
    with store.uow() as uow:
        everything = _all_text(uow.conn)
        found = find_booking(uow.conn, "piu", "ABC123", "XY")
        assert found is not None
        [version] = list_versions(uow.conn, found["id"])
    for word in SENSITIVE_WORDS:
        assert word.upper() not in everything, word
    # What is not sensitive is all there: the seat request, the remark, the name.
    assert "NSST" in version["data"] and "VIP PASSENGER" in version["data"]
    assert "MUHAMMAD" in everything
    assert (version["filtered"], json.loads(version["filtered_categories"])) == (
        7,
        {"disability": 1, "health": 2, "meal": 1, "religion": 3},
    )
