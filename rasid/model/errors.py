"""Errors raised by the model: invalid values for Rasid's own statement columns; and the
base of every error a user can cause, worded in both languages of the interface."""


class Worded(Exception):
    """An error a user can cause, worded in both languages of the interface. The message is
    English (the CLI, the API and the logs read it); ``arabic`` is the same message in Arabic,
    which the web pages show when they speak Arabic. Values inside a message (names, numbers,
    codes, file and line) are the same in both."""

    def __init__(self, message: str = "", *, arabic: str = "") -> None:
        super().__init__(message)
        self.arabic = arabic

    def worded(self, lang: str) -> str:
        """The message in ``lang`` ("ar" or "en"); English when there is no Arabic wording."""
        if lang == "ar" and self.arabic:
            return self.arabic
        return str(self)


class ModelError(Worded, ValueError):
    """A value does not fit Rasid's model (unknown marking, grade, retention class...); the
    base of the packages' own errors (``AssistError``, ``MonitorError``, ...)."""


def worded(exc: BaseException, lang: str) -> str:
    """Any error's message in ``lang``: a ``Worded`` error's own wording, else its text."""
    if isinstance(exc, Worded):
        return exc.worded(lang)
    return str(exc)
