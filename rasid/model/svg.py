"""What the server-drawn SVG pictures share: escaping, the opening of an accessible picture
(``role="img"``, a title and a description in the UI language, right to left in Arabic) and
x positions measured from the reading start, so that one drawing reads in either direction.

Only presentation attributes are written (no ``style``), so the pictures render under the
web UI's content security policy.
"""

from html import escape

FONT = "DejaVu Sans, Noto Sans Arabic, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#c9d1d9"


def esc(text: object) -> str:
    """``text`` escaped for SVG or HTML text and attribute values."""
    return escape(str(text), quote=True)


def direction(lang: str) -> str:
    """The writing direction of ``lang``: "rtl" for Arabic, "ltr" otherwise."""
    return "rtl" if lang == "ar" else "ltr"


def from_start(position: float, width: float, lang: str) -> float:
    """An x coordinate measured from the reading start (the right edge in Arabic)."""
    return width - position if lang == "ar" else position


def svg_open(
    ident: str,
    width: float,
    height: float,
    lang: str,
    title: str,
    desc: str,
    klass: str = "chart",
) -> str:
    """The opening of a picture: the ``svg`` element with its role, language and direction,
    its ``title`` and ``desc`` (referenced by ``aria-labelledby``) and a white ground."""
    rtl = ' direction="rtl"' if lang == "ar" else ""
    ident = esc(ident)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" lang="{esc(lang)}"{rtl} '
        f'aria-labelledby="{ident}-title {ident}-desc" class="{esc(klass)}" '
        f'font-family="{FONT}" font-size="12" fill="{INK}">'
        f'<title id="{ident}-title">{esc(title)}</title>'
        f'<desc id="{ident}-desc">{esc(desc)}</desc>'
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>'
    )
