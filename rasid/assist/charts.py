"""Pictures of technical-assistance coordination, drawn on the server as inline SVG for the
web pages: they need no JavaScript, carry a title and a description in the reader's
language, say in letters and words what colour also shows, and read right to left in
Arabic (x positions are measured from the reading start, so the drawing mirrors).

- ``coverage_svg``: the needs-coverage matrix, thematic area x state, each cell coloured,
  patterned and lettered by its coverage with the count of needs covered.
- ``roadmap_svg``: a roadmap's steps with the achieved progress of the indicators linked to
  each, the position expected from elapsed time, the rating, due date and status.
- ``indicator_svg``: one indicator over time: baseline, the plan to the target, the actuals.
- ``duplicates_svg``: flagged pairs of projects on one time axis with their overlap shaded.

Every user text is escaped; only presentation attributes are used (no ``style``).
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from rasid.assist.model import (
    Actual,
    Coverage,
    CoverageMatrix,
    Duplicate,
    Indicator,
    Project,
    Rating,
    Roadmap,
    Rollup,
    Step,
    StepStatus,
    Taxonomy,
    Text,
)
from rasid.model.svg import GRID, INK, MUTED, esc, from_start, svg_open

FILL = "#2f6f9f"
LRM = "\u200e"  # the left-to-right mark
CELL_H = 24.0  # a coverage cell's ground inside its row
_X = Callable[[date], float]  # a date's x position
_Y = Callable[[float], float]  # a value's y position
RATING_COLOURS = {
    Rating.GREEN: "#2e7d32",
    Rating.AMBER: "#b54708",
    Rating.RED: "#b42318",
    Rating.NONE: MUTED,
}
COVERAGE_FILLS = {  # light fills, so the letters in ink stay readable
    Coverage.COVERED: "#cfe8d5",
    Coverage.PARTLY: "#fde7c2",
    Coverage.UNCOVERED: "#f6cfcb",
    Coverage.NONE: "#ffffff",
}

WORDS: dict[str, Text] = {
    "coverage_title": Text(
        "تغطية الاحتياجات: المجال المواضيعي × الدولة", "Needs coverage: thematic area × state"
    ),
    "coverage_desc": Text(
        "لكل مجال مواضيعي ودولة: حالة التغطية بالحرف واللون والنقش، وعدد الاحتياجات المغطاة "
        "بمشاريع جارية أو مخططة من مجموع الاحتياجات المفتوحة.",
        "For each thematic area and state: the coverage by letter, colour and pattern, and "
        "the number of open needs covered by live projects out of all open needs.",
    ),
    "theme": Text("المجال المواضيعي", "Thematic area"),
    "no_cells": Text("لا احتياجات مسجلة", "No need recorded"),
    "roadmap_title": Text("خارطة الطريق", "Roadmap"),
    "roadmap_desc": Text(
        "لكل خطوة: التقدم المحقق في المؤشرات المرتبطة بها (عمود، والنسبة الفعلية بجانبه) "
        "والموضع المتوقع بحسب الوقت المنقضي (علامة)، مع التقييم وتاريخ الاستحقاق والحالة، "
        "حتى {date}.",
        "For each step: the progress achieved on its linked indicators (bar, with the true "
        "percentage beside it) and the position expected from elapsed time (marker), with "
        "the rating, due date and status, as of {date}.",
    ),
    "no_steps": Text("لا خطوات بعد", "No step yet"),
    "no_indicators": Text("لا مؤشرات مرتبطة", "No linked indicator"),
    "no_actual": Text("لم يُبلّغ عن قيمة فعلية بعد", "No actual reported yet"),
    "achieved": Text("المحقق", "achieved"),
    "expected": Text("المتوقع", "expected"),
    "due": Text("الاستحقاق", "due"),
    "overdue": Text("متأخرة", "overdue"),
    "indicator_title": Text("المؤشر", "Indicator"),
    "indicator_desc": Text(
        "خط الأساس، والخطة المستقيمة إلى الهدف في تاريخه، والقيم الفعلية المبلغ عنها، "
        "وخط رأسي عند {date}. {direction}",
        "The baseline, the straight plan to the target at its date, the actuals reported, "
        "and a vertical line at {date}. {direction}",
    ),
    "ascending": Text("الارتفاع تحسّن.", "Higher is better."),
    "descending": Text("الانخفاض تحسّن.", "Lower is better."),
    "baseline": Text("خط الأساس", "baseline"),
    "target": Text("الهدف", "target"),
    "plan": Text("الخطة", "plan"),
    "actual": Text("الفعلي", "actual"),
    "as_of": Text("حتى", "as of"),
    "date": Text("التاريخ", "date"),
    "duplicates_title": Text("ازدواج محتمل بين المشاريع", "Possible duplication of projects"),
    "duplicates_desc": Text(
        "أزواج المشاريع الجارية أو المخططة في الدولة نفسها التي تتداخل مجالاتها ومؤسساتها "
        "المستفيدة: فترة كل مشروع عمود على محور زمني واحد، والتداخل مظلل.",
        "Pairs of live projects in the same state whose themes and beneficiary institutions "
        "overlap: each project's period is a bar on one time axis, the overlap shaded.",
    ),
    "no_duplicates": Text("لا ازدواج مرصود", "No duplication flagged"),
    "flag": Text("تنبيه", "Flag"),
    "overlap": Text("التداخل", "overlap"),
    "days": Text("يومًا", "days"),
    "shared": Text("مشترك", "shared"),
    "funders": Text("الممولون", "funders"),
    "project": Text("مشروع", "project"),
    "not_decision": Text(
        "تنبيه لاجتماع تنسيق، لا قرار.", "A flag for a coordination meeting, not a decision."
    ),
}

VALUES: dict[str, dict[str, Text]] = {  # by group: the same code means different things
    "coverage": {
        Coverage.COVERED.value: Text("مغطى", "covered"),
        Coverage.PARTLY.value: Text("مغطى جزئيًا", "partly covered"),
        Coverage.UNCOVERED.value: Text("غير مغطى", "uncovered"),
        Coverage.NONE.value: Text("لا احتياج", "no need"),
    },
    "rating": {
        Rating.GREEN.value: Text("أخضر", "green"),
        Rating.AMBER.value: Text("كهرماني", "amber"),
        Rating.RED.value: Text("أحمر", "red"),
        Rating.NONE.value: Text("غير مقيّم", "not rated"),
    },
    "status": {
        StepStatus.PLANNED.value: Text("مخططة", "planned"),
        StepStatus.IN_PROGRESS.value: Text("قيد التنفيذ", "in progress"),
        StepStatus.DONE.value: Text("منجزة", "done"),
        StepStatus.BLOCKED.value: Text("متعثرة", "blocked"),
    },
    "measure": {  # IATI IndicatorMeasure
        "unit": Text("القيمة", "value"),
        "percentage": Text("النسبة المئوية", "percentage"),
        "nominal": Text("القيمة", "value"),
        "ordinal": Text("الرتبة", "rank"),
        "qualitative": Text("التقدير", "score"),
    },
}

LETTERS: dict[Coverage, Text] = {  # a letter per state, so a cell never speaks by colour alone
    Coverage.COVERED: Text("م", "C"),
    Coverage.PARTLY: Text("ج", "P"),
    Coverage.UNCOVERED: Text("غ", "U"),
    Coverage.NONE: Text("–", "–"),
}


def word(key: str, lang: str) -> str:
    """One of the pictures' own words in ``lang``."""
    return WORDS[key].get(lang)


def value(group: str, key: str, lang: str) -> str:
    """A value's words in ``lang``: a "coverage" state, a "rating", a step "status" or an
    indicator "measure"; an unknown value reads as itself."""
    found = VALUES.get(group, {}).get(key)
    return found.get(lang) if found else key


def num(number: float) -> str:
    """A number as people read it: no needless decimals, thousands grouped."""
    if not math.isfinite(number):
        return "—"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    return f"{number:.2f}".rstrip("0").rstrip(".")


def iso(day: date, lang: str) -> str:
    """A date in ISO form; in Arabic between left-to-right marks, which keep its digits in
    order beside Arabic words (else the bidirectional algorithm reads them as Arabic
    numbers and reverses the parts)."""
    text = day.isoformat()
    return f"{LRM}{text}{LRM}" if lang == "ar" else text


def percent(share: float | None) -> str:
    """A share (1.0 = 100 %) as a whole percentage, "—" when unknown."""
    if share is None or not math.isfinite(share):
        return "—"
    return f"{share * 100:.0f}%"


def country_label(code: str, names: Mapping[str, Text] | None, lang: str) -> str:
    """A state's name in ``lang`` when known, else its code."""
    found = names.get(code) if names else None
    return found.get(lang) if found else code


def theme_label(code: str, taxonomy: Taxonomy, lang: str, words: int = 0) -> str:
    """A theme's number (or code) and label; the first ``words`` words only when given."""
    theme = taxonomy.get(code)
    if theme is None:
        return code
    label = theme.label.get(lang)
    parts = label.split()
    if words and len(parts) > words:
        label = " ".join(parts[:words]) + " …"
    return f"{theme.number if theme.number is not None else theme.code} · {label}"


def comma(lang: str) -> str:
    """The list separator of ``lang`` (the Arabic comma in Arabic)."""
    return "، " if lang == "ar" else ", "


def cut(text: str, length: int) -> str:
    """``text`` shortened to ``length`` characters with an ellipsis."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _span(start: float, length: float, width: float, lang: str) -> float:
    """The left x of a span that begins ``start`` from the reading start."""
    return width - start - length if lang == "ar" else start


def _patterns(ident: str) -> str:
    """Hatching for partly covered cells and the overlaps, dots for uncovered cells."""
    i = esc(ident)
    return (
        f'<defs><pattern id="{i}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#b54708" '
        f'stroke-width="1.5" stroke-opacity="0.45"/></pattern>'
        f'<pattern id="{i}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<circle cx="3" cy="3" r="1.2" fill="#b42318" fill-opacity="0.5"/></pattern></defs>'
    )


# --- coverage -------------------------------------------------------------------------------


def _swatch(state: Coverage, x: float, y: float, w: float, h: float, ident: str) -> str:
    """A cell's ground: its fill, its pattern and (for no need) a dashed outline."""
    fill = COVERAGE_FILLS[state]
    out = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"'
    if state is Coverage.NONE:
        out += f' stroke="{GRID}" stroke-dasharray="3 2"/>'
    else:
        out += f' stroke="{GRID}"/>'
    pattern = {Coverage.PARTLY: "hatch", Coverage.UNCOVERED: "dots"}.get(state)
    if pattern:
        out += (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="url(#{esc(ident)}-{pattern})"/>'
        )
    return out


def coverage_svg(
    matrix: CoverageMatrix,
    taxonomy: Taxonomy,
    lang: str,
    *,
    country_names: Mapping[str, Text] | None = None,
    ident: str = "coverage",
) -> str:
    """The needs-coverage matrix: themes as rows (number and first words), states as columns
    (from the right in Arabic), each cell lettered, coloured and patterned by its coverage
    with "covered/needs", and a legend."""
    heads = [country_label(c, country_names, lang) for c in matrix.countries]
    margin, label_w, top, row_h = 16.0, 330.0, 44.0, 30.0
    col_w = max(72.0, min(170.0, max((len(h) for h in heads), default=0) * 7.0 + 16))
    width = max(2 * margin + label_w + col_w * len(heads), 700.0)
    height = top + row_h * max(len(matrix.themes), 1) + 64
    title, desc = word("coverage_title", lang), word("coverage_desc", lang)
    out = [svg_open(ident, width, height, lang, title, desc, "assist-chart"), _patterns(ident)]
    out.append(
        f'<text x="{from_start(margin, width, lang):.1f}" y="{top - 14:.1f}" '
        f'text-anchor="start" font-weight="bold">{esc(word("theme", lang))}</text>'
    )
    for i, head in enumerate(heads):
        cx = from_start(margin + label_w + col_w * (i + 0.5), width, lang)
        out.append(
            f'<text x="{cx:.1f}" y="{top - 14:.1f}" text-anchor="middle" font-weight="bold">'
            f"{esc(cut(head, 24))}<title>{esc(head)}</title></text>"
        )
    if not matrix.themes or not matrix.countries:
        out.append(
            f'<text x="{width / 2:.1f}" y="{top + 20:.1f}" text-anchor="middle" '
            f'fill="{MUTED}">{esc(word("no_cells", lang))}</text>'
        )
    for r, code in enumerate(matrix.themes):
        y = top + r * row_h
        out.append(
            f'<g class="row" data-theme="{esc(code)}"><title>'
            f"{esc(theme_label(code, taxonomy, lang))}</title>"
            f'<text x="{from_start(margin, width, lang):.1f}" y="{y + 19:.1f}" '
            f'text-anchor="start">{esc(cut(theme_label(code, taxonomy, lang, 6), 48))}</text>'
        )
        for i, country in enumerate(matrix.countries):
            x = _span(margin + label_w + col_w * i + 2, col_w - 4, width, lang)
            out.append(_cell(matrix, taxonomy, country, code, heads[i], x, y, col_w, lang, ident))
        out.append("</g>")
    out.append(_coverage_legend(width, height - 30, lang, ident))
    out.append("</svg>")
    return "".join(out)


def _cell(
    matrix: CoverageMatrix,
    taxonomy: Taxonomy,
    country: str,
    theme: str,
    head: str,
    x: float,
    y: float,
    col_w: float,
    lang: str,
    ident: str,
) -> str:
    cell = matrix.cell(country, theme)
    state = cell.coverage
    count = f"{len(cell.covered)}/{len(cell.needs)}" if state is not Coverage.NONE else ""
    state_word = value("coverage", state.value, lang)
    tip = f"{head} · {theme_label(theme, taxonomy, lang)}: {state_word} {count}"
    return (
        f'<g class="cell {state.value}" data-country="{esc(country)}" '
        f'data-coverage="{state.value}"><title>{esc(tip.strip())}</title>'
        f"{_swatch(state, x, y + 3, col_w - 4, CELL_H, ident)}"
        f'<text x="{x + (col_w - 4) / 2:.1f}" y="{y + 19:.1f}" text-anchor="middle">'
        f'<tspan font-weight="bold">{esc(LETTERS[state].get(lang))}</tspan>'
        f'{" " if count else ""}<tspan direction="ltr">{esc(count)}</tspan></text></g>'
    )


def _coverage_legend(width: float, y: float, lang: str, ident: str) -> str:
    out = ['<g class="legend">']
    for i, state in enumerate(Coverage):
        x = _span(16 + 170 * i, 22, width, lang)
        text_x = from_start(16 + 170 * i + 28, width, lang)
        out.append(
            f'<g class="key {state.value}">{_swatch(state, x, y, 22, 22, ident)}'
            f'<text x="{x + 11:.1f}" y="{y + 16:.1f}" text-anchor="middle" '
            f'font-weight="bold">{esc(LETTERS[state].get(lang))}</text>'
            f'<text x="{text_x:.1f}" y="{y + 16:.1f}" text-anchor="start">'
            f"{esc(value('coverage', state.value, lang))}</text></g>"
        )
    out.append("</g>")
    return "".join(out)


# --- roadmap --------------------------------------------------------------------------------


def _clip(share: float) -> float:
    return min(max(share, 0.0), 1.0)


def roadmap_svg(
    roadmap: Roadmap,
    rollups: Mapping[int, Rollup],
    lang: str,
    *,
    as_of: date,
    ident: str = "roadmap",
) -> str:
    """One row per step in position order: the achieved progress of its linked indicators as
    a bar (clipped to 0..100 % for drawing, the true percentage beside it), a marker at the
    position expected from elapsed time, the rating in words and colour, due date, status."""
    steps = sorted(roadmap.steps, key=lambda s: (s.position, s.id or 0))
    margin, label_w, bar_w, top, row_h = 16.0, 270.0, 280.0, 40.0, 50.0
    width = 900.0
    height = top + row_h * max(len(steps), 1) + 40
    title = f"{word('roadmap_title', lang)}: {roadmap.title}"
    desc = word("roadmap_desc", lang).format(date=iso(as_of, lang))
    out = [svg_open(ident, width, height, lang, title, desc, "assist-chart")]
    bar_start = margin + label_w
    for share in (0.0, 0.5, 1.0):
        x = from_start(bar_start + bar_w * share, width, lang)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 8:.1f}" x2="{x:.1f}" y2="{top - 2:.1f}" '
            f'stroke="{GRID}"/><text x="{x:.1f}" y="{top - 14:.1f}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="10" direction="ltr">{percent(share)}</text>'
        )
    if not steps:
        out.append(
            f'<text x="{width / 2:.1f}" y="{top + 24:.1f}" text-anchor="middle" '
            f'fill="{MUTED}">{esc(word("no_steps", lang))}</text>'
        )
    for i, step in enumerate(steps):
        rollup = rollups.get(step.id) if step.id is not None else None
        out.append(_step_row(step, rollup, top + i * row_h, bar_start, bar_w, width, as_of, lang))
    out.append(_roadmap_legend(width, height - 14, lang))
    out.append("</svg>")
    return "".join(out)


def _step_row(
    step: Step,
    rollup: Rollup | None,
    y: float,
    bar_start: float,
    bar_w: float,
    width: float,
    as_of: date,
    lang: str,
) -> str:
    rating = rollup.rating if rollup is not None else Rating.NONE
    colour = RATING_COLOURS[rating]
    label = f"{step.position}. {step.title}"
    out = [
        f'<g class="step {rating.value}" data-step="{step.position}" '
        f'data-rating="{rating.value}"><title>{esc(label)}</title>'
        f'<text x="{from_start(16, width, lang):.1f}" y="{y + 18:.1f}" text-anchor="start" '
        f'font-weight="bold">{esc(cut(label, 40))}</text>'
        f'<text x="{from_start(16, width, lang):.1f}" y="{y + 36:.1f}" text-anchor="start" '
        f'fill="{MUTED}" font-size="11">{esc(_step_facts(step, as_of, lang))}</text>'
    ]
    text_x = from_start(bar_start + bar_w + 12, width, lang)
    if rollup is None or not rollup.parts:
        out.append(
            f'<text class="no-indicators" x="{from_start(bar_start, width, lang):.1f}" '
            f'y="{y + 18:.1f}" text-anchor="start" fill="{MUTED}">'
            f"{esc(word('no_indicators', lang))}</text></g>"
        )
        return "".join(out)
    out.append(
        f'<rect x="{_span(bar_start, bar_w, width, lang):.1f}" y="{y + 6:.1f}" '
        f'width="{bar_w:.1f}" height="16" fill="none" stroke="{GRID}"/>'
    )
    if rollup.achieved is not None and math.isfinite(rollup.achieved):
        length = bar_w * _clip(rollup.achieved)
        out.append(
            f'<rect class="achieved" x="{_span(bar_start, length, width, lang):.1f}" '
            f'y="{y + 6:.1f}" width="{length:.1f}" height="16" fill="{colour}" '
            f'fill-opacity="0.8"/>'
        )
        shown = f"{word('achieved', lang)} {percent(rollup.achieved)}"
    else:
        shown = word("no_actual", lang)
    if rollup.elapsed is not None and math.isfinite(rollup.elapsed):
        out.append(_expected_marker(bar_start + bar_w * _clip(rollup.elapsed), y, width, lang))
        shown += f" · {word('expected', lang)} {percent(rollup.elapsed)}"
    rated = value("rating", rating.value, lang)
    out.append(
        f'<text class="value" x="{text_x:.1f}" y="{y + 18:.1f}" text-anchor="start">'
        f'{esc(shown)} · <tspan class="rating" fill="{colour}" font-weight="bold">'
        f"{esc(rated)}</tspan></text></g>"
    )
    return "".join(out)


def _step_facts(step: Step, as_of: date, lang: str) -> str:
    """The institution, due date (overdue when past and not done) and status of a step."""
    parts = [cut(step.institution, 48)] if step.institution else []
    if step.due is not None:
        due = f"{word('due', lang)} {iso(step.due, lang)}"
        if step.due < as_of and step.status is not StepStatus.DONE:
            due += f" ({word('overdue', lang)})"
        parts.append(due)
    parts.append(value("status", step.status.value, lang))
    return " · ".join(parts)


def _expected_marker(position: float, y: float, width: float, lang: str) -> str:
    x = from_start(position, width, lang)
    return (
        f'<g class="expected"><line x1="{x:.1f}" y1="{y + 2:.1f}" x2="{x:.1f}" '
        f'y2="{y + 26:.1f}" stroke="{INK}" stroke-width="2"/>'
        f'<polygon points="{x - 5:.1f},{y - 4:.1f} {x + 5:.1f},{y - 4:.1f} {x:.1f},{y + 2:.1f}" '
        f'fill="{INK}"/></g>'
    )


def _roadmap_legend(width: float, y: float, lang: str) -> str:
    bar_x = _span(16, 28, width, lang)
    marker = _expected_marker(236, y - 20, width, lang)
    return (
        f'<g class="legend"><rect x="{bar_x:.1f}" y="{y - 12:.1f}" width="28" height="12" '
        f'fill="{FILL}" fill-opacity="0.8"/><text x="{from_start(50, width, lang):.1f}" '
        f'y="{y - 2:.1f}" text-anchor="start">{esc(word("achieved", lang))}</text>{marker}'
        f'<text x="{from_start(248, width, lang):.1f}" y="{y - 2:.1f}" text-anchor="start">'
        f"{esc(word('expected', lang))}</text></g>"
    )


# --- indicator --------------------------------------------------------------------------------


def _share(day: date, first: date, last: date) -> float:
    span = (last - first).days
    return (day - first).days / span if span > 0 else 0.5


def _ticks(low: float, high: float) -> list[float]:
    """Round values between ``low`` and ``high``, about five of them (steps of 1, 2 or 5
    times a power of ten)."""
    rough = (high - low) / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def indicator_svg(indicator: Indicator, lang: str, *, as_of: date, ident: str = "indicator") -> str:
    """The indicator over time: its baseline point, the straight plan line to the target at
    the target date, the actuals as points joined by a line and a vertical line at
    ``as_of``; descending indicators drawn the same (the axis runs from the least value to
    the greatest)."""
    actuals = [a for a in indicator.actuals if math.isfinite(a.value)]
    values = [v for v in (indicator.baseline, indicator.target) if math.isfinite(v)]
    values += [a.value for a in actuals]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.08 if high > low else max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    if not math.isfinite(high - low):  # values near the float limits: draw no scale
        low, high = -1.0, 1.0
    days = [indicator.baseline_date, indicator.target_date, as_of, *(a.date for a in actuals)]
    first, last = min(days), max(days)
    width, height = 760.0, 400.0
    left, right, top, bottom = 80.0, 40.0, 40.0, 100.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(day: date) -> float:
        return from_start(left + plot_w * _share(day, first, last), width, lang)

    def py(number: float) -> float:
        return top + plot_h * (1 - (number - low) / (high - low))

    trend = word("ascending" if indicator.ascending else "descending", lang)
    desc = word("indicator_desc", lang).format(date=iso(as_of, lang), direction=trend)
    title = f"{word('indicator_title', lang)}: {indicator.title}"
    out = [svg_open(ident, width, height, lang, title, desc, "assist-chart")]
    out.append(_axes(indicator, first, last, low, high, px, py, left, top, plot_h, width, lang))
    out.append(_plan(indicator, px, py, lang))
    out.append(_actuals(actuals, px, py))
    x = px(as_of)
    out.append(
        f'<g class="as-of"><line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" '
        f'y2="{top + plot_h:.1f}" stroke="{INK}" stroke-dasharray="2 3"/>'
        f'<text x="{x:.1f}" y="{top - 10:.1f}" text-anchor="middle">'
        f"{esc(word('as_of', lang))} {iso(as_of, lang)}</text></g>"
    )
    out.append(_indicator_legend(width, height - 20, lang))
    out.append("</svg>")
    return "".join(out)


def _axes(
    indicator: Indicator,
    first: date,
    last: date,
    low: float,
    high: float,
    px: _X,
    py: _Y,
    left: float,
    top: float,
    plot_h: float,
    width: float,
    lang: str,
) -> str:
    out = ['<g class="axes">']
    edge = from_start(left, width, lang)
    far = from_start(width - 40, width, lang)
    for tick in _ticks(low, high):
        y = py(tick)
        out.append(
            f'<line x1="{edge:.1f}" y1="{y:.1f}" x2="{far:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{from_start(left - 8, width, lang):.1f}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="10">{esc(num(tick))}</text>'
        )
    span = (last - first).days
    for i in range(5):
        day = first + timedelta(days=round(span * i / 4))
        x = px(day)
        out.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h:.1f}" x2="{x:.1f}" y2="{top + plot_h + 5:.1f}"'
            f' stroke="{INK}"/><text x="{x:.1f}" y="{top + plot_h + 18:.1f}" '
            f'text-anchor="middle" font-size="10" direction="ltr">{day.isoformat()}</text>'
        )
    out.append(
        f'<line x1="{edge:.1f}" y1="{top:.1f}" x2="{edge:.1f}" y2="{top + plot_h:.1f}" '
        f'stroke="{INK}"/><line x1="{edge:.1f}" y1="{top + plot_h:.1f}" x2="{far:.1f}" '
        f'y2="{top + plot_h:.1f}" stroke="{INK}"/>'
        f'<text x="{from_start(8, width, lang):.1f}" y="{top - 10:.1f}" text-anchor="start" '
        f'font-size="11">{esc(value("measure", indicator.measure, lang))}</text>'
        f'<text x="{(edge + far) / 2:.1f}" y="{top + plot_h + 36:.1f}" text-anchor="middle" '
        f'font-size="11">{esc(word("date", lang))}</text></g>'
    )
    return "".join(out)


def _plan(indicator: Indicator, px: _X, py: _Y, lang: str) -> str:
    """The baseline (a square), the dashed plan line and the target (a diamond)."""
    if not (math.isfinite(indicator.baseline) and math.isfinite(indicator.target)):
        return ""
    bx, by = px(indicator.baseline_date), py(indicator.baseline)
    tx, ty = px(indicator.target_date), py(indicator.target)
    base = f"{word('baseline', lang)} {num(indicator.baseline)}"

    def inward(x: float, by: float) -> float:  # along the reading direction
        return x - by if lang == "ar" else x + by

    goal = f"{word('target', lang)} {num(indicator.target)}"
    return (
        f'<g class="plan"><line x1="{bx:.1f}" y1="{by:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" '
        f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<rect class="baseline" x="{bx - 5:.1f}" y="{by - 5:.1f}" width="10" height="10" '
        f'fill="{INK}"><title>{esc(base)}</title></rect>'
        f'<text x="{inward(bx, 8):.1f}" y="{by - 10:.1f}" text-anchor="start">{esc(base)}</text>'
        f'<polygon class="target" points="{tx:.1f},{ty - 7:.1f} {tx + 7:.1f},{ty:.1f} '
        f'{tx:.1f},{ty + 7:.1f} {tx - 7:.1f},{ty:.1f}" fill="{MUTED}">'
        f"<title>{esc(goal)}</title></polygon>"
        f'<text x="{inward(tx, -8):.1f}" y="{ty - 12:.1f}" text-anchor="end">{esc(goal)}</text></g>'
    )


def _actuals(actuals: Sequence[Actual], px: _X, py: _Y) -> str:
    points = sorted(actuals, key=lambda a: a.date)
    out = ['<g class="actuals">']
    if len(points) > 1:
        line = " ".join(f"{px(a.date):.1f},{py(a.value):.1f}" for a in points)
        out.append(f'<polyline points="{line}" fill="none" stroke="{FILL}" stroke-width="2"/>')
    for a in points:
        out.append(
            f'<circle class="actual" cx="{px(a.date):.1f}" cy="{py(a.value):.1f}" r="4" '
            f'fill="{FILL}"><title>{a.date.isoformat()}: {esc(num(a.value))}</title></circle>'
        )
    out.append("</g>")
    return "".join(out)


def _indicator_legend(width: float, y: float, lang: str) -> str:
    keys = [
        (f'<rect x="-5" y="-5" width="10" height="10" fill="{INK}"/>', "baseline"),
        (
            f'<line x1="-12" y1="0" x2="12" y2="0" stroke="{MUTED}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>',
            "plan",
        ),
        (f'<circle r="4" fill="{FILL}"/>', "actual"),
        (f'<line x1="0" y1="-7" x2="0" y2="7" stroke="{INK}" stroke-dasharray="2 3"/>', "as_of"),
    ]
    out = ['<g class="legend">']
    for i, (mark, key) in enumerate(keys):
        x = from_start(40 + 150 * i, width, lang)
        tx = from_start(40 + 150 * i + 18, width, lang)
        out.append(
            f'<g transform="translate({x:.1f},{y - 4:.1f})">{mark}</g>'
            f'<text x="{tx:.1f}" y="{y:.1f}" text-anchor="start">{esc(word(key, lang))}</text>'
        )
    out.append("</g>")
    return "".join(out)


# --- duplicates --------------------------------------------------------------------------------


def project_title(project: Project | None, pid: int, lang: str) -> str:
    """A project's title in ``lang`` (its Arabic title in Arabic when it has one)."""
    if project is None:
        return f"{WORDS['project'].get(lang)} #{pid}"
    return project.title_ar if lang == "ar" and project.title_ar else project.title


def _period(project: Project | None, flag: Duplicate) -> tuple[date, date]:
    """A project's period, the overlap's ends standing in for the dates it lacks."""
    start = project.start if project is not None and project.start else flag.start
    end = project.end if project is not None and project.end else flag.end
    return (start, end) if start <= end else (end, start)


def duplicates_svg(
    duplicates: Sequence[Duplicate],
    projects: Mapping[int, Project],
    lang: str,
    *,
    ident: str = "duplicates",
) -> str:
    """Per flagged pair, the two projects' periods as bars on one time axis with their
    overlap shaded, labelled by title and funders; the note that a flag is not a
    decision."""
    margin, label_w, axis_w, top, block_h = 16.0, 320.0, 470.0, 44.0, 100.0
    width = 2 * margin + label_w + axis_w
    height = top + block_h * max(len(duplicates), 1) + 36
    title, desc = word("duplicates_title", lang), word("duplicates_desc", lang)
    out = [svg_open(ident, width, height, lang, title, desc, "assist-chart"), _patterns(ident)]
    days = [d for f in duplicates for d in (f.start, f.end)]
    for flag in duplicates:
        for pid in (flag.left, flag.right):
            days.extend(_period(projects.get(pid), flag))
    if not duplicates:
        out.append(
            f'<text x="{width / 2:.1f}" y="{top + 24:.1f}" text-anchor="middle" '
            f'fill="{MUTED}">{esc(word("no_duplicates", lang))}</text>'
        )
    else:
        first, last = min(days), max(days)
        axis_start = margin + label_w

        def px(day: date) -> float:
            return axis_start + axis_w * _share(day, first, last)

        out.append(_time_axis(first, last, px, top, height - 40, width, lang))
        for i, flag in enumerate(duplicates):
            out.append(_pair(i + 1, flag, projects, px, top + i * block_h, width, lang, ident))
    out.append(
        f'<text x="{from_start(margin, width, lang):.1f}" y="{height - 12:.1f}" '
        f'text-anchor="start" font-style="italic">{esc(word("not_decision", lang))}</text>'
        "</svg>"
    )
    return "".join(out)


def _time_axis(
    first: date, last: date, px: _X, top: float, bottom: float, width: float, lang: str
) -> str:
    ticks = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
    step = max(1, math.ceil(len(ticks) / 8))
    ticks = ticks[::step] if len(ticks) >= 2 else [first, last]
    out = ['<g class="time-axis">']
    for day in ticks:
        x = from_start(px(day), width, lang)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{GRID}"/><text x="{x:.1f}" y="{top - 12:.1f}" text-anchor="middle" '
            f'font-size="10" direction="ltr">{day.isoformat()}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _pair(
    number: int,
    flag: Duplicate,
    projects: Mapping[int, Project],
    px: _X,
    y: float,
    width: float,
    lang: str,
    ident: str,
) -> str:
    head = (
        f"{word('flag', lang)} {number} · {flag.country} · {word('overlap', lang)} "
        f"{iso(flag.start, lang)} – {iso(flag.end, lang)} ({flag.days} {word('days', lang)})"
    )
    if flag.themes:
        head += f" · {word('shared', lang)}: {comma(lang).join(flag.themes)}"
    out = [
        f'<g class="pair" data-left="{flag.left}" data-right="{flag.right}" '
        f'data-days="{flag.days}"><text x="{from_start(16, width, lang):.1f}" '
        f'y="{y + 12:.1f}" text-anchor="start" font-weight="bold">{esc(cut(head, 110))}</text>'
    ]
    o_start, o_end = px(flag.start), px(flag.end)
    out.append(
        f'<rect class="overlap" x="{_span(o_start, o_end - o_start, width, lang):.1f}" '
        f'y="{y + 20:.1f}" width="{max(o_end - o_start, 1.0):.1f}" height="66" '
        f'fill="url(#{esc(ident)}-hatch)" stroke="#b54708" stroke-dasharray="4 3">'
        f"<title>{esc(word('overlap', lang))} {flag.days} {esc(word('days', lang))}</title>"
        "</rect>"
    )
    for row, (pid, funders) in enumerate(zip((flag.left, flag.right), flag.funders, strict=False)):
        project = projects.get(pid)
        start, end = _period(project, flag)
        top = y + 24 + row * 34
        name = project_title(project, pid, lang)
        funded = f"{word('funders', lang)}: {comma(lang).join(funders) or '—'}"
        x0, x1 = px(start), px(end)
        out.append(
            f'<g class="project" data-project="{pid}"><title>{esc(name)}</title>'
            f'<text x="{from_start(16, width, lang):.1f}" y="{top + 10:.1f}" '
            f'text-anchor="start">{esc(cut(name, 46))}</text>'
            f'<text x="{from_start(16, width, lang):.1f}" y="{top + 24:.1f}" '
            f'text-anchor="start" fill="{MUTED}" font-size="10">{esc(cut(funded, 56))}</text>'
            f'<rect x="{_span(x0, x1 - x0, width, lang):.1f}" y="{top + 2:.1f}" '
            f'width="{max(x1 - x0, 1.0):.1f}" height="16" fill="{FILL}" fill-opacity="0.7"/></g>'
        )
    out.append("</g>")
    return "".join(out)
