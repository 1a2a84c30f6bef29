"""Progress pictures of technical-assistance coordination, inline SVG like the others of
``rasid.assist.charts`` (whose words, colours and number forms they share): titled and
described in the reader's language, lettered as well as coloured, right to left in Arabic.

- ``roadmap_svg``: a roadmap's steps with the achieved progress of the indicators linked to
  each, the position expected from elapsed time, the rating, due date and status.
- ``indicator_svg``: one indicator over time: baseline, the plan to the target, the actuals.

Every user text is escaped; only presentation attributes are used (no ``style``).
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from rasid.assist.charts import (
    FILL,
    RATING_COLOURS,
    cut,
    date_share,
    iso,
    num,
    percent,
    span,
    value,
    word,
)
from rasid.assist.model import Actual, Indicator, Rating, Roadmap, Rollup, Step, StepStatus
from rasid.model.svg import GRID, INK, MUTED, esc, from_start, svg_open

_X = Callable[[date], float]  # a date's x position
_Y = Callable[[float], float]  # a value's y position


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
        f'<rect x="{span(bar_start, bar_w, width, lang):.1f}" y="{y + 6:.1f}" '
        f'width="{bar_w:.1f}" height="16" fill="none" stroke="{GRID}"/>'
    )
    if rollup.achieved is not None and math.isfinite(rollup.achieved):
        length = bar_w * _clip(rollup.achieved)
        out.append(
            f'<rect class="achieved" x="{span(bar_start, length, width, lang):.1f}" '
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
    bar_x = span(16, 28, width, lang)
    marker = _expected_marker(236, y - 20, width, lang)
    return (
        f'<g class="legend"><rect x="{bar_x:.1f}" y="{y - 12:.1f}" width="28" height="12" '
        f'fill="{FILL}" fill-opacity="0.8"/><text x="{from_start(50, width, lang):.1f}" '
        f'y="{y - 2:.1f}" text-anchor="start">{esc(word("achieved", lang))}</text>{marker}'
        f'<text x="{from_start(248, width, lang):.1f}" y="{y - 2:.1f}" text-anchor="start">'
        f"{esc(word('expected', lang))}</text></g>"
    )


# --- indicator --------------------------------------------------------------------------------


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
        return from_start(left + plot_w * date_share(day, first, last), width, lang)

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
    days = (last - first).days
    for i in range(5):
        day = first + timedelta(days=round(days * i / 4))
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
