"""Traffic Light Protocol 2.0 markings, ordered from least to most restrictive."""

from enum import StrEnum

from rasid.model.errors import ModelError


class Marking(StrEnum):
    """A TLP 2.0 label. The order of declaration is the order of restriction."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"

    @property
    def rank(self) -> int:
        """0 for CLEAR up to 4 for RED: higher means more restricted."""
        return list(Marking).index(self)

    @classmethod
    def parse(cls, text: str) -> "Marking":
        """Read a marking written as ``TLP:AMBER``, ``amber``, ``AMBER+STRICT`` or ``tlp:red``.

        TLP 1.0's WHITE is read as CLEAR, as TLP 2.0 specifies.
        """
        key = text.strip().upper().replace(" ", "")
        key = key.removeprefix("TLP:")
        if key == "WHITE":
            key = "CLEAR"
        for marking in cls:
            if marking.value == f"TLP:{key}":
                return marking
        raise ModelError(f"unknown TLP marking: {text!r}", arabic=f"وسم TLP غير معروف: {text!r}")


def most_restrictive(markings: list[Marking]) -> Marking:
    """The most restrictive of several markings (CLEAR for none): what a combination carries."""
    return max(markings, key=lambda m: m.rank, default=Marking.CLEAR)
