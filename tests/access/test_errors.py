"""Every refusal of the access layer a user can meet is worded in Arabic too."""

from tests.bilingual import package_files, unworded


def test_access_refusals_are_worded_in_both_languages() -> None:
    names = ["AccessError", "Denied", "PurposeMissing"]
    assert unworded(package_files("access"), names) == []
