"""Every refusal of the access layer a user can meet is worded in Arabic too."""

from tests.bilingual import package_files, unworded


def test_access_refusals_are_worded_in_both_languages() -> None:
    names = ["AccessError", "Denied", "PurposeMissing"]
    assert unworded(package_files("access"), names) == []


def test_every_refusal_by_the_policy_is_worded_in_both_languages() -> None:
    # Denied is raised across the packages (a coordinator's, a rule's, a request's owner).
    root = package_files("access")[0].parent.parent
    files = sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)
    assert unworded(files, ["Denied", "PurposeMissing"]) == []
