"""Pictures of nexus monitoring, drawn on the server as SVG (or an HTML table): they need no
JavaScript to be seen, carry a title and a description for screen readers, say everything
in text as well as in colour, and read right to left in Arabic.

- ``radar``: the factor scores of one assessment around a circle, coverage beside each axis
  label, factors not assessed drawn as gaps (a missing wedge, never a zero).
- ``bars``: the same factor scores, then the pillar scores and the overall one, as bars on
  the 1..5 scale with coverage.
- ``timeline``: the approved assessments of a subject in period order, with the changes
  between consecutive ones: critical and significant changes on the ground marked apart,
  changes caused by an instrument version alone marked as such (never as change on the
  ground).
- ``regions_table``: the region subjects of a country ranked by pillar score (map-free).

Every text is escaped; only presentation attributes are used (no ``style``), so the pictures
render under the web UI's content security policy.
"""

import math
from collections.abc import Callable, Mapping, Sequence

from rasid.model.svg import GRID, INK, MUTED, svg_open
from rasid.model.svg import esc as _e
from rasid.model.svg import from_start as _x
from rasid.monitor import timeline as drawn
from rasid.monitor.model import (
    LEVELS,
    Assessment,
    ChangeSet,
    Instrument,
    Pillar,
    Score,
    Scores,
    Subject,
    Text,
)

FILL = "#2f6f9f"

WORDS: dict[str, Text] = {
    "radar_title": Text("مؤشرات العوامل", "Factor scores"),
    "radar_desc": Text(
        "درجة كل عامل من 1 إلى 5 مع نسبة التغطية؛ العوامل غير المقيّمة فجوات.",
        "Each factor's score on the 1 to 5 scale with its coverage; factors not assessed are gaps.",
    ),
    "bars_title": Text("درجات العوامل والركائز", "Factor and pillar scores"),
    "bars_desc": Text(
        "أعمدة الدرجات من 1 إلى 5 لكل عامل ثم لكل ركيزة وللمجموع، مع التغطية.",
        "Bars of the 1 to 5 scores of each factor, then each pillar and overall, with coverage.",
    ),
    "not_assessed": Text("غير مقيّم", "not assessed"),
    "coverage": Text("التغطية", "coverage"),
    "overall": Text("المجموع", "overall"),
    "rank": Text("الترتيب", "rank"),
    "region": Text("المنطقة", "region"),
    "regions_caption": Text(
        "مناطق البلد مرتّبة حسب درجة الركيزة", "The country's regions ranked by pillar score"
    ),
}


def word(key: str, lang: str) -> str:
    """One of the pictures' own words in ``lang``."""
    return WORDS[key].get(lang)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _percent(score: Score) -> str:
    return f"{round(score.coverage * 100)}%"


def _coverage(score: Score, lang: str) -> str:
    return f"{word('coverage', lang)} {_percent(score)} ({score.assessed}/{score.applicable})"


def _svg_open(ident: str, width: int, height: int, lang: str, title: str, desc: str) -> str:
    return svg_open(ident, width, height, lang, title, desc, "monitor-chart")


def _anchor(side: float, lang: str) -> str:
    """The text-anchor that puts a label outward of a point on ``side`` (-1 left of the
    centre, 1 right, 0 centred): in right-to-left text, start and end are swapped."""
    if abs(side) < 0.2:
        return "middle"
    outward_start = side > 0
    if lang == "ar":
        outward_start = not outward_start
    return "start" if outward_start else "end"


def _applicable(scores: Scores, instrument: Instrument) -> list[tuple[str, Text, Score]]:
    """The factors (in the instrument's order) with indicators that apply to the subject."""
    return [
        (f.id, f.label, scores.factors[f.id])
        for f in instrument.factors
        if f.id in scores.factors and scores.factors[f.id].applicable > 0
    ]


def _point(cx: float, cy: float, radius: float, angle: float, lang: str) -> tuple[float, float]:
    # Clockwise from the top in English, counter-clockwise in Arabic (the reading order).
    sign = -1.0 if lang == "ar" else 1.0
    return cx + sign * radius * math.sin(angle), cy - radius * math.cos(angle)


def radar(scores: Scores, instrument: Instrument, lang: str, ident: str = "radar") -> str:
    """A radar of the factor scores of one assessment (the factors that apply to its subject
    kind), the coverage beside each axis label, not-assessed factors as gaps."""
    axes = _applicable(scores, instrument)
    size, cx, cy, radius = 780, 390.0, 300.0, 170.0
    title = f"{word('radar_title', lang)} · {instrument.title.get(lang)} {instrument.version}"
    out = [_svg_open(ident, size, 600, lang, title, word("radar_desc", lang))]
    count = max(len(axes), 1)
    angles = [2 * math.pi * i / count for i in range(count)]
    out.append(f'<g class="grid" fill="none" stroke="{GRID}">')
    for level in LEVELS:
        ring = [_point(cx, cy, radius * level / 5, a, lang) for a in angles]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        out.append(f'<polygon points="{points}"/>' if count > 2 else "")
        lx, ly = _point(cx, cy, radius * level / 5, 0, lang)
        out.append(
            f'<text x="{lx + 4:.1f}" y="{ly - 2:.1f}" fill="{MUTED}" stroke="none" '
            f'font-size="10">{level}</text>'
        )
    out.append("</g>")
    out.append(_radar_area(axes, angles, cx, cy, radius, lang))
    for (factor_id, label, score), angle in zip(axes, angles, strict=True):
        out.append(_radar_axis(factor_id, label, score, angle, cx, cy, radius, lang))
    out.append("</svg>")
    return "".join(out)


def _radar_area(
    axes: list[tuple[str, Text, Score]],
    angles: list[float],
    cx: float,
    cy: float,
    radius: float,
    lang: str,
) -> str:
    """The shaded area, one wedge between each two neighbouring assessed axes: an axis not
    assessed leaves its two wedges out."""
    out = [f'<g class="area" fill="{FILL}" fill-opacity="0.25" stroke="{FILL}" stroke-width="2">']
    count = len(axes)
    for i in range(count if count > 2 else count - 1):
        j = (i + 1) % count
        first, second = axes[i][2].score, axes[j][2].score
        if first is None or second is None:
            continue
        a = _point(cx, cy, radius * first / 5, angles[i], lang)
        b = _point(cx, cy, radius * second / 5, angles[j], lang)
        out.append(
            f'<path d="M{cx:.1f},{cy:.1f} L{a[0]:.1f},{a[1]:.1f} '
            f'L{b[0]:.1f},{b[1]:.1f} Z" stroke="none"/>'
            f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}"/>'
        )
    out.append("</g>")
    return "".join(out)


def _radar_axis(
    factor_id: str,
    label: Text,
    score: Score,
    angle: float,
    cx: float,
    cy: float,
    radius: float,
    lang: str,
) -> str:
    """One axis: its line, its point (or the gap mark), its label and coverage."""
    ex, ey = _point(cx, cy, radius, angle, lang)
    lx, ly = _point(cx, cy, radius + 18, angle, lang)
    anchor = _anchor((lx - cx) / radius, lang)
    gap = score.score is None
    klass = "axis gap" if gap else "axis"
    out = [
        f'<g class="{klass}" data-factor="{_e(factor_id)}">',
        f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="{GRID}"/>',
    ]
    if score.score is None:
        out.append(
            f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="5" fill="#ffffff" stroke="{MUTED}" '
            f'stroke-dasharray="2 2"/>'
        )
        value = word("not_assessed", lang)
    else:
        px, py = _point(cx, cy, radius * score.score / 5, angle, lang)
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{FILL}"/>')
        value = _n(score.score)
    dy = 12 if ly > cy + 5 else (-14 if ly < cy - 5 else 0)
    out.append(
        f'<text x="{lx:.1f}" y="{ly + dy:.1f}" text-anchor="{anchor}">'
        f'<tspan font-weight="bold">{_e(label.get(lang))}</tspan>'
        f'<tspan x="{lx:.1f}" dy="14">{_e(value)} · {_e(_coverage(score, lang))}</tspan></text>'
    )
    out.append("</g>")
    return "".join(out)


def bars(scores: Scores, instrument: Instrument, lang: str, ident: str = "bars") -> str:
    """Bars of the factor scores (those that apply), then the pillar scores and the overall
    score, each with its coverage; a bar not assessed is an empty outline saying so."""
    rows: list[tuple[str, str, Score, bool]] = [
        (fid, label.get(lang), score, False)
        for fid, label, score in _applicable(scores, instrument)
    ]
    for pillar in Pillar:
        score = scores.pillars.get(pillar.value)
        if score is not None and score.applicable > 0:
            rows.append((pillar.value, instrument.pillars[pillar].get(lang), score, True))
    rows.append(("overall", word("overall", lang), scores.overall, True))
    width, row_h, top, label_w, bar_w = 760, 30, 56, 230, 300
    height = top + row_h * len(rows) + 20
    out = [_svg_open(ident, width, height, lang, word("bars_title", lang), word("bars_desc", lang))]
    out.append(_bars_scale(top, height, label_w, bar_w, width, lang))
    for i, (key, label, score, total) in enumerate(rows):
        y = top + i * row_h
        out.append(_bar(key, label, score, total, y, label_w, bar_w, width, lang))
    out.append("</svg>")
    return "".join(out)


def _bars_scale(top: int, height: int, label_w: int, bar_w: int, width: int, lang: str) -> str:
    out = ['<g class="scale">']
    for level in LEVELS:
        x = _x(label_w + bar_w * level / 5, width, lang)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 16}" '
            f'stroke="{GRID}"/><text x="{x:.1f}" y="{top - 14}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="10">{level}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _bar(
    key: str,
    label: str,
    score: Score,
    total: bool,
    y: int,
    label_w: int,
    bar_w: int,
    width: int,
    lang: str,
) -> str:
    weight = ' font-weight="bold"' if total else ""
    start = _x(label_w, width, lang)
    gap = score.score is None
    out = [
        f'<g class="bar{" gap" if gap else ""}" data-key="{_e(key)}">',
        f'<text x="{_x(8, width, lang):.1f}" y="{y + 18}" text-anchor="start"{weight}>'
        f"{_e(label)}</text>",
    ]
    if score.score is None:
        length = bar_w / 5
        value = word("not_assessed", lang)
        shape = 'fill="none" stroke="' + MUTED + '" stroke-dasharray="4 3"'
    else:
        length = bar_w * score.score / 5
        value = _n(score.score)
        shape = f'fill="{INK if total else FILL}"'
    x = start - length if lang == "ar" else start
    out.append(f'<rect x="{x:.1f}" y="{y + 6}" width="{length:.1f}" height="16" {shape}/>')
    text_x = _x(label_w + bar_w + 12, width, lang)
    out.append(
        f'<text x="{text_x:.1f}" y="{y + 18}" text-anchor="start">'
        f"{_e(value)} · {_e(_coverage(score, lang))}</text></g>"
    )
    return "".join(out)


def timeline(
    assessments: Sequence[Assessment],
    changes: Sequence[ChangeSet],
    lang: str,
    scores: Mapping[int, Scores] | None = None,
    ident: str = "timeline",
) -> str:
    """The approved (and superseded) assessments of a subject in period order, each with its
    overall score when ``scores`` has it, and between each two the changes: critical,
    significant, and those due to the instrument version alone, each counted in words
    (laid out by ``rasid.monitor.timeline``, which the PDF report draws too)."""
    return drawn.svg(drawn.plan(assessments, changes, lang, scores), ident)


def _rank_key(pillar: Pillar) -> Callable[[tuple[Subject, Scores]], tuple[bool, float, str]]:
    """Highest score of ``pillar`` first, not assessed last, then by name."""

    def key(row: tuple[Subject, Scores]) -> tuple[bool, float, str]:
        score = row[1].pillars.get(pillar.value)
        value = score.score if score is not None else None
        return (value is None, -(value or 0.0), row[0].name)

    return key


def regions_table(
    regions: Sequence[tuple[Subject, Scores]],
    instrument: Instrument,
    lang: str,
    pillar: Pillar = Pillar.ENVIRONMENTAL,
) -> str:
    """An HTML table of region subjects with the scores of their latest approved assessment,
    ranked by ``pillar``'s score (highest first, not assessed last), coverage beside each."""
    ranked = sorted(regions, key=_rank_key(pillar))
    heads = [word("rank", lang), word("region", lang)]
    heads += [instrument.pillars[p].get(lang) for p in Pillar] + [word("overall", lang)]
    caption = f"{word('regions_caption', lang)}: {instrument.pillars[pillar].get(lang)}"
    out = [
        f'<table class="regions-table" data-pillar="{_e(pillar.value)}">'
        f"<caption>{_e(caption)}</caption><thead><tr>"
    ]
    out.extend(f'<th scope="col">{_e(h)}</th>' for h in heads)
    out.append("</tr></thead><tbody>")
    for rank, (subject, scores) in enumerate(ranked, start=1):
        name = subject.name_ar if lang == "ar" and subject.name_ar else subject.name
        cells = [scores.pillars.get(p.value) for p in Pillar] + [scores.overall]
        out.append(
            f'<tr data-subject="{subject.id}"><td>{rank}</td>'
            f'<th scope="row"><a href="/monitor/subjects/{subject.id}">{_e(name)}</a></th>'
        )
        out.extend(f"<td>{_cell(s, lang)}</td>" for s in cells)
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cell(score: Score | None, lang: str) -> str:
    missing = score is None or score.score is None
    value = word("not_assessed", lang) if missing or score is None else _n(score.score or 0)
    coverage = f" <small>{_e(_coverage(score, lang))}</small>" if score is not None else ""
    return f"{_e(value)}{coverage}"
