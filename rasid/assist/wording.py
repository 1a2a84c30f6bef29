"""Explanations in both languages: a ``Reason`` (a code and its arguments) worded in Arabic
or English. Each module that explains numbers declares its codes in a ``REASONS`` mapping of
``Text`` templates with ``{name}`` placeholders; this module gathers them."""

from functools import cache

from rasid.assist.model import Reason, Text


@cache
def reasons() -> dict[str, Text]:
    """Every reason code with its wording."""
    from rasid.assist import duplicates, matching, progress

    table: dict[str, Text] = {}
    for module in (matching, duplicates, progress):
        for code, text in module.REASONS.items():
            if code in table:
                raise ValueError(f"reason code {code!r} declared twice")
            table[code] = text
    return table


def explain(reason: Reason, lang: str) -> str:
    """The reason in ``lang`` ("ar" or "en"); an unknown code reads as itself."""
    text = reasons().get(reason.code)
    if text is None:
        return reason.code
    args = dict(reason.args)
    try:
        return text.get(lang).format(**args)
    except (KeyError, IndexError, ValueError):
        return text.get(lang)
