"""Pictures of technical-assistance coordination, drawn on the server as inline SVG for the
web pages: they need no JavaScript, carry a title and a description in the reader's
language, say in letters and words what colour also shows, and read right to left in
Arabic (x positions are measured from the reading start, so the drawing mirrors).

- ``coverage_svg``: the needs-coverage matrix, thematic area x state, each cell coloured,
  patterned and lettered by its coverage with the count of needs covered.
- ``duplicates_svg``: flagged pairs of projects on one time axis with their overlap shaded.
- the progress charts (a roadmap's steps, one indicator over time) are in
  ``rasid.assist.progress_charts``; the words, colours and number forms of every picture
  are here.

Every user text is escaped; only presentation attributes are used (no ``style``).
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from rasid.assist.model import (
    Coverage,
    CoverageMatrix,
    Duplicate,
    Project,
    Rating,
    StepStatus,
    Taxonomy,
    Text,
)
from rasid.model.svg import GRID, MUTED, esc, from_start, svg_open

FILL = "#2f6f9f"
LRM = "\u200e"  # the left-to-right mark
CELL_H = 24.0  # a coverage cell's ground inside its row
_X = Callable[[date], float]  # a date's x position
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


def date_share(day: date, first: date, last: date) -> float:
    """Where ``day`` falls between ``first`` and ``last`` (0 to 1; the middle of no span)."""
    days = (last - first).days
    return (day - first).days / days if days > 0 else 0.5


def span(start: float, length: float, width: float, lang: str) -> float:
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
            x = span(margin + label_w + col_w * i + 2, col_w - 4, width, lang)
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
        x = span(16 + 170 * i, 22, width, lang)
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
            return axis_start + axis_w * date_share(day, first, last)

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
        f'<rect class="overlap" x="{span(o_start, o_end - o_start, width, lang):.1f}" '
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
            f'<rect x="{span(x0, x1 - x0, width, lang):.1f}" y="{top + 2:.1f}" '
            f'width="{max(x1 - x0, 1.0):.1f}" height="16" fill="{FILL}" fill-opacity="0.7"/></g>'
        )
    out.append("</g>")
    return "".join(out)
