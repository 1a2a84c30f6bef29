"""What the PDF reports share: an A4 page with the record's marking printed at its top and its
bottom (and the page number), Arabic shaped by HarfBuzz and set right to left, headings and
paragraphs indented from the reading start.

The fonts must cover Arabic; the caller passes the folder holding ``DejaVuSans.ttf`` and
``DejaVuSans-Bold.ttf`` (``rasid.monitor.report.font_dir`` finds it and names the package to
install when there is none).
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MARKING_RGB = (150, 90, 0)
PT_MM = 25.4 / 72  # millimetres in a point


class MarkedPdf(FPDF):
    """An A4 document whose every page carries ``marking`` at the top and at the bottom, the
    bottom one with ``page_word`` and the page number; set right to left when ``lang`` is
    Arabic."""

    def __init__(self, marking: str, lang: str, fonts: Path, page_word: str) -> None:
        super().__init__(format="A4")
        self.marking = marking
        self.lang = lang
        self.page_word = page_word
        self.align = "R" if lang == "ar" else "L"
        for style, name in FONT_FILES.items():
            self.add_font("DejaVu", style, str(fonts / name))
        self.set_text_shaping(True, direction="rtl" if lang == "ar" else "ltr")
        self.set_auto_page_break(True, margin=20)
        self.set_margins(15, 18, 15)

    def header(self) -> None:
        """The marking, centred at the top of the page."""
        self.set_font("DejaVu", "B", 10)
        self.set_text_color(*MARKING_RGB)
        self.set_y(6)
        self.cell(0, 6, self.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_y(18)

    def footer(self) -> None:
        """The marking and the page number, centred at the bottom of the page."""
        self.set_y(-14)
        self.set_font("DejaVu", "B", 10)
        self.set_text_color(*MARKING_RGB)
        self.cell(0, 6, f"{self.marking} · {self.page_word} {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: int = 13) -> None:
        """A section's heading."""
        self.ln(2)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, 8, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 10)

    def line_of(self, text: str, bold: bool = False, indent: float = 0) -> None:
        """A paragraph, indented from the reading start."""
        self.set_font("DejaVu", "B" if bold else "", 10)
        width = self.epw - indent
        self.set_x(self.l_margin + (0 if self.lang == "ar" else indent))
        self.multi_cell(width, 5.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def text_at(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        anchor: str = "start",
        *,
        ltr: bool = False,
        rgb: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """Shaped text on a drawing, its baseline at (``x``, ``y``) mm and placed by its
        ``anchor``: "start" is the reading start (the right end in Arabic, unless ``ltr``:
        dates and versions read left to right), "middle" its centre, "end" the other end.
        ``size`` is in points. The cursor is left where it was, the text colour black."""
        x_was, y_was = self.get_x(), self.get_y()
        rtl = self.lang == "ar" and not ltr
        if ltr and self.lang == "ar":
            self.set_text_shaping(True, direction="ltr")
        self.set_font("DejaVu", "", size)
        self.set_text_color(*rgb)
        width = self.get_string_width(text) + 2 * self.c_margin
        left = {
            "middle": x - width / 2,
            "start": x - width if rtl else x,
            "end": x if rtl else x - width,
        }.get(anchor, x)
        height = size * PT_MM
        self.set_xy(left, y - height * 0.75)  # the cell centres its text: baseline at y
        self.cell(width, height, text, align="C")
        self.set_text_color(0, 0, 0)
        if ltr and self.lang == "ar":
            self.set_text_shaping(True, direction="rtl")
        self.set_xy(x_was, y_was)
