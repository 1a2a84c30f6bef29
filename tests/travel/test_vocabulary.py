"""The vocabulary of targeting rules (rules.yml): complete, bilingual, and its value types."""

import pytest

from rasid.travel.facts import FACTS
from rasid.travel.sensitive import default_rules
from rasid.travel.vocabulary import PARSERS, load_vocabulary, vocabulary


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def test_every_field_is_evaluated_and_every_evaluation_is_a_field() -> None:
    assert set(vocabulary().fields) == set(FACTS)


def test_every_label_and_message_is_in_english_and_arabic() -> None:
    v = vocabulary()
    labels = [f.label for f in v.fields.values()] + [o.label for o in v.operators.values()]
    labels += [*v.types.values(), *v.traits.values(), *v.weekdays.values(), *v.messages.values()]
    labels += [c.label for f in v.fields.values() for c in f.choices.values()]
    assert labels
    for label in labels:
        assert label.en.strip() and not _arabic(label.en), label
        assert _arabic(label.ar), label


def test_the_sensitive_traits_cover_the_directive_and_the_safeguard() -> None:
    traits = set(vocabulary().traits)
    assert {"religion", "ethnicity", "political_opinion", "trade_union", "health"} <= traits
    assert "sex_life" in traits
    assert default_rules().categories <= traits  # meal, disability...


def test_every_type_has_a_reader() -> None:
    assert set(vocabulary().types) == set(PARSERS)


def test_a_declaration_naming_an_unknown_operator_is_refused() -> None:
    text = """
operators: {in: {en: one of, ar: أحد, value: list}}
types: {airport: {en: codes, ar: رموز}}
booleans: {"true": ["yes"], "false": ["no"]}
weekdays: {}
fields:
  departure_airport: {en: A, ar: ب, type: airport, ops: [in, near], needs: flight,
                      says: x, says_ar: س}
sensitive:
  categories: {religion: {en: r, ar: د}, health: {en: h, ar: ص}, disability: {en: d, ar: ع},
               meal: {en: m, ar: و}}
  field_words: {}
  ssr_codes: {}
  ssr_code_patterns: []
  keyword_exempt_codes: {}
  keywords: []
messages: {}
"""
    with pytest.raises(ValueError, match="departure_airport"):
        load_vocabulary(text)


@pytest.mark.parametrize(
    ("field", "written", "read"),
    [
        ("departure_airport", " cai ", "CAI"),
        ("route", "cai-ist", "CAI-IST"),
        ("route", "CAI > IST", "CAI-IST"),
        ("nationality", "KOR", "KR"),
        ("nationality", "eg", "EG"),
        ("carrier", "ms", "MS"),
        ("flight_number", "TZ0006", "TZ6"),
        ("flight_number", "ms 737", "MS737"),
        ("departure_date", "2026-03-01", "2026-03-01"),
        ("weekday", "Friday", "fri"),
        ("weekday", "الجمعة", "fri"),
        ("one_way", "نعم", True),
        ("one_way", "no", False),
        ("one_way", True, True),
        ("legs", "3", 3),
        ("booked_hours_before_departure", "2.5", 2.5),
        ("payment_type", "CASH", "cash"),
        ("payment_type", "نقداً", "cash"),
        ("travel_agency", "caims08aa", "CAIMS08AA"),
        ("email_domain", "@Example.COM", "example.com"),
        ("remark_contains", "  paid   at airport ", "paid at airport"),
    ],
)
def test_values_are_read_in_canonical_form(field: str, written: object, read: object) -> None:
    spec = vocabulary().fields[field]
    assert PARSERS[spec.type](spec, written) == read


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("departure_airport", "CAIRO"),
        ("route", "CAI"),
        ("nationality", "Atlantis"),
        ("flight_number", "737"),
        ("weekday", "someday"),
        ("one_way", "maybe"),
        ("legs", "2.5"),
        ("legs", "-1"),
        ("legs", "1000"),
        ("age", True),
        ("payment_type", "bitcoin"),
        ("email_domain", "not a domain"),
        ("remark_contains", "x"),
    ],
)
def test_values_not_of_the_type_are_not_read(field: str, written: object) -> None:
    spec = vocabulary().fields[field]
    try:
        found = PARSERS[spec.type](spec, written)
    except (TypeError, ValueError):
        found = None
    assert found is None
