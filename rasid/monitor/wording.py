"""Monitoring's explanations in both languages: a ``Reason`` (a code, its arguments and the
clauses under it) worded in Arabic or English.

Each module that explains something declares its codes in a ``REASONS`` table of ``Text``
templates with ``{name}`` placeholders (``changes``: what changed and why; ``manifest``: the
signals met and missing; ``facts``: the bridges found; ``series``: "review suggested").
``{parts}`` in a template is replaced by the reason's clauses, each worded in turn. An
argument that names a value (a confidence, a direction, a manifestation) is worded from
``VALUES``; an ``indicator`` argument reads as the indicator's label when the caller gives
the labels (the pages do; the English ``explanation`` kept for the API and the command line
names the id).
"""

from collections.abc import Iterable, Mapping
from functools import cache

from rasid.monitor.model import Instrument, Reason, Text

SEPARATOR = Text("؛ ", "; ")

_CONFIDENCE = {
    "low": Text("منخفضة", "low"),
    "moderate": Text("متوسطة", "moderate"),
    "high": Text("عالية", "high"),
    "none": Text("غير محددة", "none"),
    "no": Text("غير محددة", "no"),
}
_MANIFESTATION = {
    "alliance": Text("تحالف", "alliance"),
    "adoption": Text("تبنّي الأساليب", "adoption"),
    "integration": Text("اندماج", "integration"),
    "hybrid": Text("كيان هجين", "hybrid"),
    "transformation": Text("تحوّل", "transformation"),
    "black_hole": Text("الثقب الأسود", "black_hole"),
}
VALUES: dict[str, dict[str, Text]] = {
    "confidence": _CONFIDENCE,
    "before_confidence": _CONFIDENCE,
    "after_confidence": _CONFIDENCE,
    "direction": {"rose": Text("ارتفع", "rose"), "fell": Text("انخفض", "fell")},
    "reach": {
        "two_levels": Text("بمستويين أو أكثر", "two levels or more"),
        "level_5": Text("بلوغًا للمستوى 5", "reaching level 5"),
    },
    "first": _MANIFESTATION,
    "second": _MANIFESTATION,
    "side": {"above": Text("فوق", "above"), "below": Text("دون", "below")},
    "bridge": {"broker": Text("وسيط", "broker"), "alliance": Text("تحالف", "alliance")},
    "datasets": {"": Text("لا مجموعة بيانات مسمّاة", "no dataset named")},
    "status": {
        "draft": Text("مسودة", "draft"),
        "in_review": Text("قيد المراجعة", "in_review"),
        "approved": Text("معتمد", "approved"),
        "superseded": Text("مستبدل", "superseded"),
    },
    "kind": {
        "country": Text("بلد", "country"),
        "region": Text("منطقة", "region"),
        "group": Text("جماعة", "group"),
    },
}
"""How an argument's value reads, by argument name (a value not listed reads as itself)."""


def value(key: str, code: str) -> Text:
    """A value's words in both languages (a status, a subject kind, a confidence...), from
    ``VALUES`` under ``key``; a value not listed reads as itself."""
    return VALUES.get(key, {}).get(code) or Text(code, code)


def labels(instrument: Instrument) -> dict[str, Text]:
    """The instrument's indicator labels by id, to name the indicators in explanations
    (without the full stop the instrument's sentences end with: they open a sentence)."""
    found = instrument.indicators.items()
    return {k: Text(i.label.ar.rstrip("."), i.label.en.rstrip(".")) for k, i in found}


@cache
def reasons() -> dict[str, Text]:
    """Every reason code of monitoring with its wording."""
    # Imported here: those modules word their own explanations with ``say``.
    from rasid.monitor import changes, facts, manifest, series

    table: dict[str, Text] = {}
    for module in (changes, manifest, facts, series):
        for code, text in module.REASONS.items():
            if code in table:
                raise ValueError(f"reason code {code!r} declared twice")
            table[code] = text
    return table


def _arg(key: str, code: str, lang: str, labels: Mapping[str, Text] | None) -> str:
    if key == "indicator" and labels is not None and code in labels:
        return labels[code].get(lang)
    return value(key, code).get(lang)


def say(reason: Reason, lang: str, labels: Mapping[str, Text] | None = None) -> str:
    """The reason in ``lang`` ("ar" or "en"), indicators named by ``labels`` (by id) when
    given; an unknown code reads as itself."""
    template = reasons().get(reason.code)
    if template is None:
        return reason.code
    args = {k: _arg(k, v, lang, labels) for k, v in reason.args.items()}
    args["parts"] = SEPARATOR.get(lang).join(say(p, lang, labels) for p in reason.parts)
    try:
        return template.get(lang).format(**args)
    except (KeyError, IndexError, ValueError):
        return template.get(lang)


def sentences(found: Iterable[Reason], lang: str, labels: Mapping[str, Text] | None = None) -> str:
    """Several reasons worded one after the other, as sentences."""
    return " ".join(say(r, lang, labels) for r in found)
