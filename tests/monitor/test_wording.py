"""Monitoring's explanations in both languages: every reason code has an Arabic and an
English wording with the same placeholders; a change, a signal and a series advice read in
Arabic without an English word of the table, and in English exactly as the API's text."""

import re
import string
from dataclasses import replace

import pytest

from rasid.monitor import series, wording
from rasid.monitor.changes import compare
from rasid.monitor.manifest import suggest
from rasid.monitor.model import GroupFacts, Reason, SeriesPoint, Text
from tests.monitor.test_changes import AFTER_V2, BEFORE_V1, CASES, V2, _assessment
from tests.monitor.test_manifest import GROUP, REGION
from tests.monitor.test_manifest import _assessment as rated

WORD = re.compile(r"[A-Za-z]{3,}")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _english_words() -> set[str]:
    """The words of the English wordings (placeholders aside)."""
    found: set[str] = set()
    for text in wording.reasons().values():
        found |= {w.lower() for w in WORD.findall(re.sub(r"\{\w+\}", " ", text.en))}
    for values in wording.VALUES.values():
        found |= {w.lower() for t in values.values() for w in WORD.findall(t.en)}
    return found


def _no_english(arabic: str) -> None:
    """No English word of the table in an Arabic text (ids such as economy.poverty aside:
    they are values, the same in both languages)."""
    bare = re.sub(r"[a-z_]+(\.[a-z_]+)+", " ", arabic)
    words = {w.lower() for w in WORD.findall(bare)} & _english_words()
    assert not words, (words, arabic)


def test_every_code_has_both_wordings_with_the_same_placeholders() -> None:
    table = wording.reasons()
    assert {"change.significant", "signal.bridges.parts", "advice.review"} <= set(table)
    for code, text in table.items():
        assert text.ar.strip() and text.en.strip(), code
        assert _placeholders(text.ar) == _placeholders(text.en), code


def test_an_unknown_code_and_missing_arguments_still_read() -> None:
    assert wording.say(Reason("no.such.code"), "ar") == "no.such.code"
    assert wording.say(Reason("change.new"), "en") == wording.reasons()["change.new"].en


@pytest.mark.parametrize(("case", "before", "after", "kind"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_change_reads_in_arabic(
    case: str, before: object, after: object, kind: object
) -> None:
    result = compare(
        _assessment(1, "1.0", {"economy.poverty": before}),  # type: ignore[dict-item]
        _assessment(2, "1.0", {"economy.poverty": after}),  # type: ignore[dict-item]
    )
    (change,) = result.changes
    assert change.explanation == wording.sentences(change.reasons, "en")
    labels = {"economy.poverty": Text("الفقر", "Poverty")}
    arabic = wording.sentences(change.reasons, "ar", labels)
    assert arabic.startswith("الفقر") and "economy.poverty" not in arabic
    _no_english(arabic)
    assert wording.sentences(change.reasons, "en", labels).startswith("Poverty")


def test_instrument_steps_read_in_arabic() -> None:
    result = compare(
        _assessment(1, "1.0", BEFORE_V1), _assessment(2, "2.0", AFTER_V2), instruments=V2
    )
    labels = {k: i.label for k, i in V2["2.0"].indicators.items()}
    worded = [wording.sentences(c.reasons, "ar", labels) for c in result.changes]
    assert any("في الإصدار 2.0" in arabic for arabic in worded)
    for arabic in worded:
        _no_english(arabic)


def test_signals_and_suggestions_read_in_arabic() -> None:
    path = Reason("bridge.path", {"bridge": "alliance", "node": "p-1", "path": "g-1 → p-1"})
    facts = GroupFacts(nexus_bridges=1, bridge_evidence=(path,), in_criminal_data=True)
    found = suggest(rated(GROUP, {"capabilities.diversification": 4}), None, facts)
    signals = [s for r in found.ranked for s in (*r.matched, *r.missing)]
    assert signals and all(s.reason is not None for s in signals)
    for signal in signals:
        assert signal.reason is not None
        assert signal.detail == wording.say(signal.reason, "en")
        _no_english(wording.say(signal.reason, "ar"))
    bridge = next(s for s in signals if s.id == "nexus_bridge")
    assert bridge.reason is not None and "تحالف p-1" in wording.say(bridge.reason, "ar")
    thin = suggest(rated(REGION, {}), None, None)
    empty = suggest(replace(rated(REGION, {}), ratings={}), None, None)
    assert empty.insufficient and empty.why is not None
    _no_english(wording.say(empty.why, "ar"))
    assert empty.reason == wording.say(empty.why, "en")
    assert not thin.insufficient


def test_series_advice_reads_in_arabic() -> None:
    points = [SeriesPoint("events.battles", "Al-Marfa", f"2025-{m:02d}", 2.0) for m in range(1, 9)]
    points.append(SeriesPoint("events.battles", "Al-Marfa", "2025-09", 40.0))
    (advice,) = series.advise(points)
    assert advice.reason is not None and advice.message == wording.say(advice.reason, "en")
    arabic = wording.say(advice.reason, "ar")
    assert "فوق" in arabic and "events.battles" in arabic
    _no_english(arabic.replace("events.battles", ""))
