"""The tokenizer's quick reading of plain segments gives what its careful reading gives."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.travel import tokenizer
from rasid.travel.errors import EdifactError
from rasid.travel.tokenizer import Tokens, tokenize
from tests.travel.helpers import SAMPLES, sample

FAST = settings(max_examples=400, derandomize=True, deadline=None)
PIECES = st.sampled_from(
    [
        "'",
        "+",
        ":",
        "?",
        "??",
        "?'",
        "\r\n",
        "\n",
        " ",
        "’",
        "UNA:+.? '",
        "UNA*:.? $",
        "UNH+1+PNRGOV:11:1:IA+X+01:C'",
        "UNT+2+1'",
        "UNZ+1+1'",
        "TIF+SMITH+JOHN MR:A:1'",
        "RPI+1+HKIFT+4:19'",
        "ORG+1A:MUC+1:X+++A+KR+GNPD+003956+9TIF+KIM:I'",
        "SSR+DOCS:HK::DL:::::/P/GBR/1/GBR/12JUL64/M/23AUG19/A/B'",
        "nad+fl+++x'",
        " NAD+FL+++CLARK:MICHAEL'",
        "A",
        "9",
        "'trailing",
    ]
)


def _read(data: str) -> tuple[object, ...] | str:
    try:
        tokens = tokenize(data)
    except EdifactError as exc:
        return f"error: {exc}"
    return _shape(tokens)


def _shape(tokens: Tokens) -> tuple[object, ...]:
    segments = [(s.tag, s.elements, s.position, s.line) for s in tokens.segments]
    problems = [(p.segment_position, p.line, p.tag, p.reason, p.severity) for p in tokens.problems]
    return tuple(segments), tuple(problems), tokens.delimiters


def _careful(data: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...] | str:
    with monkeypatch.context() as patched:
        patched.setattr(tokenizer._Splitter, "simple", lambda self, i: None)
        return _read(data)


@pytest.mark.parametrize("name", SAMPLES)
def test_the_samples_read_the_same_both_ways(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = sample(name).decode("utf-8", errors="replace")
    assert _read(data) == _careful(data, monkeypatch)


@FAST
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_reads_the_same_both_ways(data: str) -> None:
    patch = pytest.MonkeyPatch()
    try:
        assert _read(data) == _careful(data, patch)
    finally:
        patch.undo()
