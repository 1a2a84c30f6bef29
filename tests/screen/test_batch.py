"""Batch files and bad input: clear errors or sensible results, never a crash."""

import io

import pytest

from rasid.screen.batch import BadLine, read_subjects, subject_from
from rasid.screen.model import Subject


def test_bad_lines_are_reported_and_the_rest_read() -> None:
    text = "\n".join(
        [
            '{"id": "a", "name": "Ali Hassan", "birth_date": "1970-01-02"}',
            "not json",
            '["list"]',
            '{"id": "b", "name": "  "}',
            '{"id": "c", "name": "x", "birth_date": "2001-13-01"}',
            '{"id": "d", "name": "Omar", "nationality": {"x": 1}}',
            "",
            '{"name": "علي"}',
        ]
    )
    found = list(read_subjects(io.StringIO(text)))
    subjects = [f for f in found if isinstance(f, Subject)]
    bad = {f.line: f.reason for f in found if isinstance(f, BadLine)}
    assert [s.id for s in subjects] == ["a", "8"]
    assert set(bad) == {2, 3, 4, 5, 6}
    assert bad[2].startswith("not JSON") and "birth_date" in bad[5] and "nationality" in bad[6]


@pytest.mark.parametrize(
    "name",
    ["", "   ", "---", "\u200b\u200f", "..."],
)
def test_names_without_letters_are_refused(name: str) -> None:
    assert isinstance(subject_from({"name": name}), BadLine)


def test_a_huge_name_is_cut() -> None:
    subject = subject_from({"name": "Mohammed " * 2000})
    assert isinstance(subject, Subject) and len(subject.name) == 1000
