"""Payment card numbers are masked as a message is read, so no parsed object holds one.

The card field of a form of payment is always masked to its last four digits. Free text
(remarks, history, SSR text, addresses) is searched for card-like numbers: 13 to 19 digits,
possibly grouped by spaces or dashes, starting with 2 to 6 (the card networks' ranges) and
passing the Luhn check. Airline ticket numbers are 13 digits too; the Luhn check keeps most
of them readable (a ticket number that happens to pass it is masked: safety first).
"""

import re

CARD_LIKE = re.compile(r"(?<![0-9])[2-6](?:[ -]?[0-9]){12,18}(?![0-9])")


def luhn_valid(digits: str) -> bool:
    """True when a string of digits passes the Luhn check used by card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def mask_card_number(value: str) -> str:
    """Every character but the last four digits replaced by ``X``: ``XXXXXXXXXXXX1111``."""
    kept = 0
    out: list[str] = []
    for ch in reversed(value.strip()):
        if "0" <= ch <= "9" and kept < 4:
            out.append(ch)
            kept += 1
        else:
            out.append("X")
    return "".join(reversed(out))


def mask_cards_in_text(text: str) -> str:
    """Free text with every card-like number masked to its last four digits."""

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"[ -]", "", match.group())
        return mask_card_number(digits) if luhn_valid(digits) else match.group()

    return CARD_LIKE.sub(replace, text)
