"""The PDF report of one assessment, in Arabic (right to left, letters shaped by HarfBuzz) or
English: the subject, period, status, assessor and reviewer, the marking at the top and the
bottom of every page, the scores with their coverage, the timeline of the subject's approved
assessments with the changes between them (the picture the pages show, drawn on the page),
each indicator's reading (level, confidence, trend, rationale, evidence), the changes since
the previous approved assessment and why, the suggested manifestations with the signals met
and missing, and the judgements recorded. Every explanation is worded in the report's
language (``rasid.monitor.wording``).

The font must cover Arabic: DejaVu Sans from Debian's ``fonts-dejavu-core`` (or
``RASID_PDF_FONT_DIR``, a folder holding ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``).
"""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from rasid.model.pdf import FONT_FILES, MarkedPdf
from rasid.monitor import timeline as drawn
from rasid.monitor import wording
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    Assessment,
    ChangeKind,
    ChangeSet,
    Instrument,
    Judgement,
    Pillar,
    Rating,
    Reason,
    Score,
    Scores,
    Suggestions,
    Text,
)
from rasid.monitor.wording import say, sentences

FONT_PACKAGE = "fonts-dejavu-core"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")

W: dict[str, Text] = {
    "title": Text("تقرير تقييم الرصد", "Monitoring assessment report"),
    "subject": Text("الموضوع", "Subject"),
    "period": Text("الفترة", "Period"),
    "status": Text("الحالة", "Status"),
    "assessor": Text("المقيّم", "Assessor"),
    "reviewer": Text("المراجع", "Reviewer"),
    "agency": Text("الجهة", "Agency"),
    "instrument": Text("الأداة", "Instrument"),
    "hash": Text("بصمة المحتوى", "Content hash"),
    "scores": Text("الدرجات", "Scores"),
    "overall": Text("المجموع", "Overall"),
    "coverage": Text("التغطية", "coverage"),
    "ratings": Text("قراءة المؤشرات", "Indicator readings"),
    "level": Text("المستوى", "Level"),
    "confidence": Text("الثقة", "Confidence"),
    "trend": Text("الاتجاه", "Trend"),
    "rationale": Text("المسوّغ", "Rationale"),
    "evidence": Text("الأدلة", "Evidence"),
    "not_assessed": Text("غير مقيّم", "not assessed"),
    "reason": Text("السبب", "Reason"),
    "changes": Text("التغيّرات منذ التقييم السابق", "Changes since the previous assessment"),
    "no_changes": Text("لا تقييم سابق معتمد أو لا تغيّرات", "No previous assessment or no change"),
    "suggestions": Text("المظاهر المقترحة", "Suggested manifestations"),
    "insufficient": Text("أدلة غير كافية", "Insufficient evidence"),
    "matched": Text("إشارات متحققة", "Matched signals"),
    "missing": Text("إشارات ناقصة", "Missing signals"),
    "judgements": Text("الأحكام المسجّلة", "Recorded judgements"),
    "none": Text("لا شيء", "None"),
    "likelihood": Text("الاحتمال", "Likelihood"),
    "by": Text("بواسطة", "by"),
    "page": Text("صفحة", "page"),
    "timeline": Text("الخط الزمني للتقييمات المعتمدة", "Timeline of approved assessments"),
}

VALUES: dict[str, Text] = {
    # statuses
    "draft": Text("مسودة", "draft"),
    "in_review": Text("قيد المراجعة", "in review"),
    "approved": Text("معتمد", "approved"),
    "superseded": Text("مستبدل", "superseded"),
    # subject kinds
    "country": Text("بلد", "country"),
    "region": Text("منطقة", "region"),
    "group": Text("جماعة", "group"),
    # confidence
    "low": Text("منخفضة", "low"),
    "moderate": Text("متوسطة", "moderate"),
    "high": Text("عالية", "high"),
    # trends
    "improving": Text("يتحسن", "improving"),
    "stable": Text("مستقر", "stable"),
    "worsening": Text("يتدهور", "worsening"),
    "unknown": Text("غير معروف", "unknown"),
    # changes
    ChangeKind.CRITICAL.value: Text("حرج", "critical"),
    ChangeKind.SIGNIFICANT.value: Text("ملموس", "significant"),
    ChangeKind.MINOR.value: Text("طفيف", "minor"),
    ChangeKind.CONFIDENCE.value: Text("تغيّر الثقة", "confidence changed"),
    ChangeKind.INSTRUMENT.value: Text("بسبب إصدار الأداة فقط", "instrument version only"),
    ChangeKind.ASSESSED.value: Text("تغيّر التقييم", "assessed or no longer assessed"),
    # manifestations
    "alliance": Text("تحالف", "alliance"),
    "adoption": Text("تبنّي الأساليب", "adoption of tactics"),
    "integration": Text("اندماج", "integration"),
    "hybrid": Text("كيان هجين", "hybrid"),
    "transformation": Text("تحوّل", "transformation"),
    "black_hole": Text("الثقب الأسود", "black hole"),
    # likelihood (ICD 203)
    "almost_no_chance": Text("شبه مستحيل", "almost no chance"),
    "very_unlikely": Text("مستبعد جدًا", "very unlikely"),
    "unlikely": Text("مستبعد", "unlikely"),
    "roughly_even": Text("متكافئ تقريبًا", "roughly even chance"),
    "likely": Text("مرجّح", "likely"),
    "very_likely": Text("مرجّح جدًا", "very likely"),
    "almost_certain": Text("شبه مؤكد", "almost certain"),
}


def value(key: str, lang: str) -> str:
    """A value's words (a status, a confidence, a manifestation...) in ``lang``."""
    found = VALUES.get(key)
    return found.get(lang) if found else key


def font_dir() -> Path:
    """The folder holding the report's fonts; MonitorError naming the package when none."""
    candidates = [os.environ.get("RASID_PDF_FONT_DIR", ""), *FONT_DIRS]
    for folder in candidates:
        if folder and all((Path(folder) / f).is_file() for f in FONT_FILES.values()):
            return Path(folder)
    files = ", ".join(FONT_FILES.values())
    raise MonitorError(
        f"the PDF report needs the DejaVu Sans fonts ({files}): "
        f"install the Debian package {FONT_PACKAGE} or set RASID_PDF_FONT_DIR",
        arabic=f"يحتاج تقرير PDF إلى خطوط DejaVu Sans ({files}): "
        f"ثبّت حزمة دبيان {FONT_PACKAGE} أو اضبط المتغيّر RASID_PDF_FONT_DIR",
    )


def pdf(
    assessment: Assessment,
    instrument: Instrument,
    scores: Scores,
    changes: ChangeSet | None,
    suggestions: Suggestions | None,
    judgements: Sequence[Judgement],
    lang: str,
    *,
    timeline: drawn.Plan | None = None,
) -> bytes:
    """The report of ``assessment`` as PDF bytes, in ``lang`` ("ar" or "en"), with the
    subject's ``timeline`` (``rasid.monitor.timeline.plan``, in the same language) when
    given."""
    doc = MarkedPdf(assessment.marking.value, lang, font_dir(), W["page"].get(lang))
    doc.set_title(f"{W['title'].get(lang)} {assessment.id}")
    doc.add_page()
    doc.heading(W["title"].get(lang), 16)
    _facts(doc, assessment, instrument, lang)
    _scores(doc, instrument, scores, lang)
    if timeline is not None:
        doc.heading(W["timeline"].get(lang))
        drawn.draw(doc, timeline)
    _ratings(doc, assessment, instrument, lang)
    labels = wording.labels(instrument)
    _changes(doc, instrument, changes, lang, labels)
    _suggestions(doc, suggestions, lang, labels)
    _judgements(doc, judgements, lang)
    return bytes(doc.output())


def _pair(doc: MarkedPdf, key: str, text: str, lang: str) -> None:
    doc.line_of(f"{W[key].get(lang)}: {text}")


def _facts(doc: MarkedPdf, assessment: Assessment, instrument: Instrument, lang: str) -> None:
    subject = assessment.subject
    name = subject.name_ar if lang == "ar" and subject.name_ar else subject.name
    other = subject.name if lang == "ar" else subject.name_ar
    _pair(doc, "subject", f"{name} ({other}) · {value(subject.kind.value, lang)}", lang)
    period = f"{assessment.period_start.isoformat()} – {assessment.period_end.isoformat()}"
    _pair(doc, "period", period, lang)
    _pair(doc, "status", value(assessment.status.value, lang), lang)
    _pair(doc, "agency", assessment.agency, lang)
    _pair(doc, "assessor", assessment.assessor, lang)
    _pair(doc, "reviewer", assessment.reviewer or "—", lang)
    _pair(doc, "instrument", f"{instrument.title.get(lang)} {assessment.instrument_version}", lang)
    if assessment.content_hash:
        _pair(doc, "hash", assessment.content_hash, lang)


def _score_text(score: Score, lang: str) -> str:
    shown = W["not_assessed"].get(lang) if score.score is None else f"{score.score:.1f}"
    share = round(score.coverage * 100)
    return f"{shown} · {W['coverage'].get(lang)} {share}% ({score.assessed}/{score.applicable})"


def _scores(doc: MarkedPdf, instrument: Instrument, scores: Scores, lang: str) -> None:
    doc.heading(W["scores"].get(lang))
    doc.line_of(f"{W['overall'].get(lang)}: {_score_text(scores.overall, lang)}", bold=True)
    for pillar in Pillar:
        score = scores.pillars.get(pillar.value)
        if score is None or score.applicable == 0:
            continue
        doc.line_of(f"{instrument.pillars[pillar].get(lang)}: {_score_text(score, lang)}", True)
        for factor in instrument.factors:
            found = scores.factors.get(factor.id)
            if factor.pillar == pillar and found is not None and found.applicable > 0:
                doc.line_of(f"{factor.label.get(lang)}: {_score_text(found, lang)}", indent=6)


def _ratings(doc: MarkedPdf, assessment: Assessment, instrument: Instrument, lang: str) -> None:
    doc.heading(W["ratings"].get(lang))
    for factor in instrument.factors:
        rated = [assessment.ratings[i] for i in factor.indicators if i in assessment.ratings]
        if not rated:
            continue
        doc.line_of(factor.label.get(lang), bold=True)
        for rating in rated:
            _rating(doc, instrument, rating, lang)


def _rating(doc: MarkedPdf, instrument: Instrument, rating: Rating, lang: str) -> None:
    indicator = instrument.indicators.get(rating.indicator)
    label = indicator.label.get(lang) if indicator else rating.indicator
    if rating.level is None:
        doc.line_of(f"{label}: {W['not_assessed'].get(lang)}", indent=6)
        doc.line_of(f"{W['reason'].get(lang)}: {rating.reason}", indent=12)
        return
    anchor = ""
    if indicator is not None and 1 <= rating.level <= len(indicator.levels):
        anchor = f" ({indicator.levels[rating.level - 1].get(lang)})"
    doc.line_of(f"{label}: {W['level'].get(lang)} {rating.level}{anchor}", indent=6)
    confidence = value(rating.confidence.value, lang) if rating.confidence else "—"
    doc.line_of(
        f"{W['confidence'].get(lang)}: {confidence} · "
        f"{W['trend'].get(lang)}: {value(rating.trend.value, lang)}",
        indent=12,
    )
    if rating.rationale:
        doc.line_of(f"{W['rationale'].get(lang)}: {rating.rationale}", indent=12)
    for item in rating.evidence:
        grades = "".join(g for g in (item.source_grade, item.info_grade) if g)
        parts = [
            item.kind.value,
            item.reference,
            item.date.isoformat() if item.date else "",
            grades,
            item.marking.value,
            item.note,
        ]
        doc.line_of(f"{W['evidence'].get(lang)}: " + " · ".join(p for p in parts if p), indent=12)


def _changes(
    doc: MarkedPdf,
    instrument: Instrument,
    changes: ChangeSet | None,
    lang: str,
    labels: Mapping[str, Text],
) -> None:
    doc.heading(W["changes"].get(lang))
    if changes is None or not changes.changes:
        doc.line_of(W["no_changes"].get(lang))
        return
    if changes.instrument_before != changes.instrument_after:
        doc.line_of(
            f"{W['instrument'].get(lang)}: {changes.instrument_before} → {changes.instrument_after}"
        )
    for change in changes.changes:
        indicator = instrument.indicators.get(change.indicator)
        label = indicator.label.get(lang) if indicator else change.indicator
        before = "—" if change.before_level is None else str(change.before_level)
        after = "—" if change.after_level is None else str(change.after_level)
        doc.line_of(f"{value(change.kind.value, lang)}: {label} {before} → {after}", True)
        why = sentences(change.reasons, lang, labels) if change.reasons else change.explanation
        doc.line_of(why, indent=6)


def _worded(reason: Reason | None, english: str, lang: str, labels: Mapping[str, Text]) -> str:
    return english if reason is None else say(reason, lang, labels)


def _suggestions(
    doc: MarkedPdf, suggestions: Suggestions | None, lang: str, labels: Mapping[str, Text]
) -> None:
    doc.heading(W["suggestions"].get(lang))
    if suggestions is None:
        doc.line_of(W["none"].get(lang))
        return
    if suggestions.insufficient:
        why = _worded(suggestions.why, suggestions.reason, lang, labels)
        doc.line_of(f"{W['insufficient'].get(lang)}: {why}")
        return
    for found in suggestions.ranked:
        name = value(found.manifestation.value, lang)
        doc.line_of(f"{name}: {round(found.score * 100)}%", bold=True)
        for key, signals in (("matched", found.matched), ("missing", found.missing)):
            for signal in signals:
                detail = _worded(signal.reason, signal.detail, lang, labels)
                text = f"{W[key].get(lang)}: {signal.label.get(lang)} · {detail}"
                doc.line_of(text, indent=6)


def _judgements(doc: MarkedPdf, judgements: Sequence[Judgement], lang: str) -> None:
    doc.heading(W["judgements"].get(lang))
    if not judgements:
        doc.line_of(W["none"].get(lang))
    for judgement in judgements:
        doc.line_of(
            f"{value(judgement.manifestation.value, lang)} · "
            f"{W['likelihood'].get(lang)}: {value(judgement.likelihood.value, lang)} · "
            f"{W['confidence'].get(lang)}: {value(judgement.confidence.value, lang)}",
            bold=True,
        )
        when = judgement.at.isoformat(sep=" ", timespec="minutes")
        who = f"({W['by'].get(lang)} {judgement.by}, {when})"
        doc.line_of(f"{judgement.rationale} {who}", indent=6)
