"""Errors raised while importing."""


class IngestError(Exception):
    """An import could not be done as asked (unknown format, missing mapping...)."""


class UnreadableInput(IngestError):
    """The file cannot be read at all (not the format, wrong encoding, truncated, unsafe).

    The message is one line naming the file and the reason; nothing is written.
    """
