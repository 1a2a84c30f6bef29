"""Near keys: indexed coarse keys one edit from a query's, found by their deletions."""

from rasid.names.near import NearKeys


def _near(keys: list[str], text: str) -> set[str]:
    near = NearKeys({k: n for n, k in enumerate(keys)})
    return {keys[t] for t in near.near(text)}


def test_keys_one_edit_apart_are_near() -> None:
    keys = ["RM", "RSM", "RSN", "RSMT", "BRSM", "XYZ"]
    # Deleted, inserted or changed letter; never the key itself; XYZ is far.
    assert _near(keys, "RSM") == {"RM", "RSN", "RSMT", "BRSM"}
    assert _near(keys, "RM") == {"RSM"}


def test_short_keys_have_no_near_keys() -> None:
    # The scorer gives keys shorter than three letters one letter apart no credit.
    assert _near(["M", "MN", "N"], "M") == set()
    assert _near(["MN", "MNS"], "MN") == {"MNS"}


def test_a_name_and_its_uddin_form_are_near() -> None:
    assert _near(["SRK", "SRKTN", "NSR"], "SRK") == {"SRKTN"}
    assert _near(["SRK", "SRKTN"], "SRKTN") == {"SRK"}


def test_an_unknown_key_has_none_and_answers_are_remembered() -> None:
    near = NearKeys({"HKN": 0})
    assert near.near("QQQQQ") == []
    assert near.near("HKN") == near.near("HKN") == []
