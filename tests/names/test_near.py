"""Near keys: indexed coarse keys one edit from a query's, found by their deletions."""

from rasid.names.near import NearKeys


def _near(keys: list[str], text: str) -> set[str]:
    near = NearKeys({k: n for n, k in enumerate(keys)})
    return {keys[t] for t in near.near(text)}


def test_keys_one_edit_apart_are_near() -> None:
    keys = ["RSM", "RSN", "RSMT", "BRSM", "RSTM", "XYZ", "RXMN", "RSMN"]
    # A letter added, dropped or changed; never the key itself; XYZ is far, and two
    # letters swapped (RSTM for RSMT) are two edits.
    assert _near(keys, "RSMT") == {"RSM", "RSMN"}
    assert _near(keys, "RSM") == {"RSMT", "BRSM", "RSTM", "RSMN"}


def test_short_keys_have_no_near_keys() -> None:
    # The scorer gives keys one letter apart full credit only when the longer has four
    # letters: three-letter keys are not near each other, nor two-letter keys anything.
    assert _near(["RSM", "RSN", "RM"], "RSM") == set()
    assert _near(["MN", "MNS", "MNST"], "MN") == set()


def test_a_name_and_its_uddin_form_are_near() -> None:
    assert _near(["SRK", "SRKTN", "NSR"], "SRK") == {"SRKTN"}
    assert _near(["SRK", "SRKTN"], "SRKTN") == {"SRK"}


def test_an_unknown_key_has_none_and_answers_are_remembered() -> None:
    near = NearKeys({"HKN": 0})
    assert near.near("QQQQQ") == []
    assert near.near("HKN") == near.near("HKN") == []
