"""The timeline of a subject's approved assessments, laid out once and drawn twice: as SVG
for the pages (``rasid.monitor.charts.timeline``) and on a PDF page for the report
(``rasid.monitor.report``).

``plan`` places everything on a canvas measured in picture units: the assessments in period
order along a line, each with its period and overall score, and between each two the changes
counted by kind (critical and significant changes on the ground, those caused by the
instrument version alone marked apart, never as change on the ground), then a legend. x is
measured from the reading start, so the plan reads right to left in Arabic. ``svg`` writes
the plan as an accessible picture; the report draws the same plan with its own pen.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rasid.model.pdf import PT_MM, MarkedPdf
from rasid.model.svg import GRID, INK, MUTED, svg_open
from rasid.model.svg import direction as _dir
from rasid.model.svg import esc as _e
from rasid.model.svg import from_start as _x
from rasid.monitor.model import Assessment, ChangeKind, ChangeSet, Scores, Text

COLOURS = {  # a colour per kind of change; each also has its own shape and words
    ChangeKind.CRITICAL: "#b42318",
    ChangeKind.SIGNIFICANT: "#b54708",
    ChangeKind.INSTRUMENT: "#475467",
}
HEIGHT = 250

WORDS: dict[str, Text] = {
    "title": Text("التقييمات المعتمدة والتغيّرات", "Approved assessments and changes"),
    "desc": Text(
        "التقييمات المعتمدة بترتيب الفترات، والتغيّرات بين كل تقييم والذي يليه.",
        "The approved assessments in period order, and the changes between each and the next.",
    ),
    "overall": Text("المجموع", "overall"),
    "not_assessed": Text("غير مقيّم", "not assessed"),
    "critical": Text("حرجة", "critical"),
    "significant": Text("ملموسة", "significant"),
    "instrument": Text("بسبب إصدار الأداة فقط", "instrument version only"),
    "no_change": Text("لا تغيّرات ملموسة", "no significant change"),
    "none": Text("لا تقييمات معتمدة بعد", "no approved assessment yet"),
}


@dataclass(frozen=True)
class Words:
    """A text on the canvas: ``y`` is its baseline; ``anchor`` "start" is the reading start
    (the right end in Arabic) unless ``ltr`` (a period, versions: always left to right)."""

    x: float
    y: float
    text: str
    anchor: str = "start"  # start, middle or end
    ltr: bool = False
    muted: bool = False
    size: int = 12


@dataclass(frozen=True)
class Mark:
    """A change's mark, centred on (x, y): a triangle for critical, a circle for
    significant, a dashed square for the instrument's own changes."""

    kind: ChangeKind
    x: float
    y: float


@dataclass(frozen=True)
class Stop:
    """One approved assessment on the line."""

    assessment: int
    x: float
    period: Words
    overall: Words


@dataclass(frozen=True)
class Count:
    """How many changes of one kind lie between two stops."""

    kind: ChangeKind
    number: int
    mark: Mark
    words: Words


@dataclass(frozen=True)
class Between:
    """The changes from one stop to the next."""

    before: int
    after: int
    counts: tuple[Count, ...]
    notes: tuple[Words, ...]  # "no significant change", the instrument versions


@dataclass(frozen=True)
class Plan:
    """The whole timeline on a canvas ``width`` by ``HEIGHT`` units."""

    lang: str
    width: float
    top: float  # the line's height
    stops: tuple[Stop, ...]
    between: tuple[Between, ...]
    legend: tuple[tuple[Mark, Words], ...]
    empty: Words | None = None  # said when nothing is approved yet


def word(key: str, lang: str) -> str:
    """One of the timeline's own words in ``lang``."""
    return WORDS[key].get(lang)


def _n(value: float) -> str:
    return f"{value:.1f}"


def plan(
    assessments: Sequence[Assessment],
    changes: Sequence[ChangeSet],
    lang: str,
    scores: Mapping[int, Scores] | None = None,
) -> Plan:
    """Lay out the approved (and superseded) assessments of a subject in period order, each
    with its overall score when ``scores`` has it, and between each two the changes."""
    shown = sorted(assessments, key=lambda a: (a.period_start, a.id))
    by_pair = {(c.before, c.after): c for c in changes}
    step, top = 220, 70
    width = float(max(760, 120 + step * (max(len(shown), 1) - 1) + 120))
    if not shown:
        empty = Words(width / 2, 120, word("none", lang), "middle")
        return Plan(lang, width, top, (), (), (), empty)
    xs = [_x(100 + step * i, width, lang) for i in range(len(shown))]
    stops = tuple(_stop(a, x, top, scores, lang) for a, x in zip(shown, xs, strict=True))
    between = []
    for i, (first, second) in enumerate(pairwise(shown)):
        found = by_pair.get((first.id, second.id))
        if found is not None:
            between.append(_between(found, (xs[i] + xs[i + 1]) / 2, top, lang))
    return Plan(lang, width, top, stops, tuple(between), _legend(width, lang))


def _stop(
    assessment: Assessment, x: float, top: int, scores: Mapping[int, Scores] | None, lang: str
) -> Stop:
    found = scores.get(assessment.id) if scores else None
    overall = found.overall.score if found else None
    value = _n(overall) if overall is not None else word("not_assessed", lang)
    period = f"{assessment.period_start.isoformat()} – {assessment.period_end.isoformat()}"
    return Stop(
        assessment.id,
        x,
        Words(x, top - 16, period, "middle", ltr=True),
        Words(x, top + 26, f"{word('overall', lang)}: {value}", "middle"),
    )


def _between(found: ChangeSet, x: float, top: int, lang: str) -> Between:
    counted = dict.fromkeys(COLOURS, 0)
    for change in found.changes:
        if change.kind in counted:
            counted[change.kind] += 1
    outward = 1 if lang == "ar" else -1  # the marks stand before the words, as one reads
    y = top + 52
    counts = []
    for kind, number in counted.items():
        if number:
            mark = Mark(kind, x + 60 * outward, y)
            text = f"{number} {word(kind.value, lang)}"
            counts.append(Count(kind, number, mark, Words(x + 48 * outward, y + 4, text)))
            y += 22
    notes = []
    if not counts:
        notes.append(Words(x, y + 4, word("no_change", lang), "middle", muted=True))
    if found.instrument_before != found.instrument_after:
        versions = f"{found.instrument_before} → {found.instrument_after}"
        notes.append(Words(x, y + 22, versions, "middle", ltr=True, muted=True, size=10))
    return Between(found.before, found.after, tuple(counts), tuple(notes))


def _legend(width: float, lang: str) -> tuple[tuple[Mark, Words], ...]:
    x = _x(40, width, lang)
    step = -200 if lang == "ar" else 200
    found = []
    for i, kind in enumerate(COLOURS):
        px = x + step * i
        tx = px - 12 if lang == "ar" else px + 12
        found.append((Mark(kind, px, HEIGHT - 24), Words(tx, HEIGHT - 20, word(kind.value, lang))))
    return tuple(found)


def svg(laid: Plan, ident: str = "timeline") -> str:
    """The plan as an SVG picture with its title and description."""
    lang = laid.lang
    title, desc = word("title", lang), word("desc", lang)
    out = [svg_open(ident, laid.width, HEIGHT, lang, title, desc, "monitor-chart")]
    if laid.empty is not None:
        out.append(_text(laid.empty, lang))
    if laid.stops:
        first, last = laid.stops[0].x, laid.stops[-1].x
        out.append(
            f'<line x1="{first:.1f}" y1="{laid.top}" x2="{last:.1f}" y2="{laid.top}" '
            f'stroke="{GRID}" stroke-width="3"/>'
        )
    for stop in laid.stops:
        out.append(
            f'<g class="assessment" data-assessment="{stop.assessment}">'
            f'<circle cx="{stop.x:.1f}" cy="{laid.top}" r="8" fill="{INK}"/>'
            f"{_text(stop.period, lang)}{_text(stop.overall, lang)}</g>"
        )
    out.extend(_between_svg(b, lang) for b in laid.between)
    if laid.legend:
        out.append('<g class="legend">')
        out.extend(f"{_mark(m)}{_text(w, lang)}" for m, w in laid.legend)
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _between_svg(found: Between, lang: str) -> str:
    out = [f'<g class="changes" data-before="{found.before}" data-after="{found.after}">']
    for count in found.counts:
        klass = "instrument-only" if count.kind == ChangeKind.INSTRUMENT else count.kind.value
        out.append(
            f'<g class="change {klass}" data-count="{count.number}">'
            f"{_mark(count.mark)}{_text(count.words, lang)}</g>"
        )
    out.extend(_text(note, lang) for note in found.notes)
    out.append("</g>")
    return "".join(out)


def _text(words: Words, lang: str) -> str:
    extra = ' direction="ltr"' if words.ltr else f' direction="{_dir(lang)}"'
    if words.muted:
        extra += f' fill="{MUTED}"'
    if words.size != 12:
        extra += f' font-size="{words.size}"'
    return (
        f'<text x="{words.x:.1f}" y="{words.y:.1f}" text-anchor="{words.anchor}"{extra}>'
        f"{_e(words.text)}</text>"
    )


def _mark(mark: Mark) -> str:
    colour, x, y = COLOURS[mark.kind], mark.x, mark.y
    if mark.kind == ChangeKind.CRITICAL:
        return (
            f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} '
            f'{x - 7:.1f},{y + 6:.1f}" fill="{colour}"/>'
        )
    if mark.kind == ChangeKind.SIGNIFICANT:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
    return (
        f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="none" '
        f'stroke="{colour}" stroke-dasharray="3 2"/>'
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@dataclass(frozen=True)
class _Pen:
    """Canvas units to millimetres on the page: the canvas's top left at (left, top)."""

    doc: MarkedPdf
    left: float
    top: float
    scale: float

    def x(self, value: float) -> float:
        return self.left + value * self.scale

    def y(self, value: float) -> float:
        return self.top + value * self.scale

    def words(self, words: Words) -> None:
        colour = _rgb(MUTED if words.muted else INK)
        size = words.size * self.scale / PT_MM  # the canvas's font size, in points
        self.doc.text_at(
            self.x(words.x), self.y(words.y), words.text, size, words.anchor,
            ltr=words.ltr, rgb=colour,
        )  # fmt: skip

    def mark(self, mark: Mark) -> None:
        doc, x, y, unit = self.doc, self.x(mark.x), self.y(mark.y), self.scale
        doc.set_fill_color(*_rgb(COLOURS[mark.kind]))
        doc.set_draw_color(*_rgb(COLOURS[mark.kind]))
        if mark.kind == ChangeKind.CRITICAL:
            points = [(x, y - 7 * unit), (x + 7 * unit, y + 6 * unit), (x - 7 * unit, y + 6 * unit)]
            doc.polygon(points, style="F")
        elif mark.kind == ChangeKind.SIGNIFICANT:
            doc.ellipse(x - 6 * unit, y - 6 * unit, 12 * unit, 12 * unit, style="F")
        else:
            doc.set_line_width(0.3)
            doc.set_dash_pattern(dash=3 * unit, gap=2 * unit)
            doc.rect(x - 6 * unit, y - 6 * unit, 12 * unit, 12 * unit, style="D")
            doc.set_dash_pattern()


def draw(doc: MarkedPdf, laid: Plan) -> None:
    """The plan drawn on the PDF at the cursor, across the page's width (on a new page when
    it does not fit below); the cursor ends below it."""
    scale = doc.epw / laid.width
    if doc.get_y() + HEIGHT * scale > doc.page_break_trigger:
        doc.add_page()
    pen = _Pen(doc, doc.l_margin, doc.get_y(), scale)
    if laid.empty is not None:
        pen.words(laid.empty)
    if laid.stops:
        doc.set_draw_color(*_rgb(GRID))
        doc.set_line_width(3 * scale)
        top = pen.y(laid.top)
        doc.line(pen.x(laid.stops[0].x), top, pen.x(laid.stops[-1].x), top)
    for stop in laid.stops:
        radius = 8 * scale
        doc.set_fill_color(*_rgb(INK))
        doc.ellipse(pen.x(stop.x) - radius, pen.y(laid.top) - radius, 2 * radius, 2 * radius, "F")
        pen.words(stop.period)
        pen.words(stop.overall)
    for between in laid.between:
        for count in between.counts:
            pen.mark(count.mark)
            pen.words(count.words)
        for note in between.notes:
            pen.words(note)
    for mark, words in laid.legend:
        pen.mark(mark)
        pen.words(words)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.2)
    doc.set_y(pen.top + HEIGHT * scale + 2)
