"""Screening's explanations in both languages: a ``Reason`` worded in Arabic or English.

The scorer (``rasid.names.score``), the document lists and the targeting rules give each step
of an explanation a code and its arguments beside the English ``detail`` that the API, the
command line and stored hits keep. ``word`` words a step in the reader's language from
``REASONS``; a step without a code (stored before steps had codes, or masked with the
traveller's name) reads as its detail. The English wording of each code gives the detail
exactly (tested), so the two never drift apart.

How two name parts met (``why``: "identical", "spelling variant (YSF)") is worded from
``WHY``: the words before a bracket name the kind of likeness; what is in brackets (keys,
spellings) reads the same in both languages.
"""

from typing import NamedTuple


class Text(NamedTuple):
    """Words in both languages."""

    ar: str
    en: str

    def pick(self, lang: str) -> str:
        """The words in ``lang`` (English for any language but Arabic)."""
        return self.ar if lang == "ar" else self.en


REASONS: dict[str, Text] = {
    "name.none": Text("لا أجزاء اسم قابلة للمقارنة", "no comparable name parts"),
    "name.no_part": Text("لا جزء مشترك بين الاسمين", "no name part in common"),
    "name_part": Text("{query} ~ {listed}: {why}", "{query} ~ {listed}: {why}"),
    "name_missing": Text("ليس في الاسم المدرج: {parts}", "not in the listed name: {parts}"),
    "name_extra": Text("في الاسم المدرج أيضًا: {parts}", "listed name also has: {parts}"),
    "nationality.same": Text("الجنسية نفسها", "same nationality"),
    "nationality.other": Text("جنسية مختلفة", "different nationality"),
    "gender.other": Text("{query} ≠ {listed}", "{query} ≠ {listed}"),
    "document.same": Text("رقم الوثيقة نفسه", "same document number"),
    "birth_date.same": Text("تاريخ الميلاد نفسه", "same date of birth"),
    "birth_date.year": Text("سنة الميلاد نفسها", "same year of birth"),
    "birth_date.one_apart": Text("بين سنتي الميلاد سنة واحدة", "year of birth one apart"),
    "birth_date.apart": Text("الفرق بين سنتي الميلاد: {years}", "years of birth {years} apart"),
    "document.number": Text("{number} = {listed} (تطابق تام)", "{number} = {listed} (exact)"),
    "document.state": Text("{state} = {listed}", "{state} = {listed}"),
    "document.list": Text("مدرجة في القائمة {list}", "on the list {list}"),
    "listed_value": Text("{value}", "{value}"),
    "rule": Text("{said_ar} (القاعدة: {asks_ar})", "{said} (rule: {asks})"),
}
"""Each code's wording, ``{name}`` standing for an argument."""

WHY: dict[str, Text] = {
    "identical": Text("متطابقان", "identical"),
    "initial": Text("حرف أول", "initial"),
    "same initial": Text("الحرف الأول نفسه", "same initial"),
    "one Korean syllable romanised two ways": Text(
        "مقطع كوري واحد كُتب بالحروف اللاتينية بطريقتين", "one Korean syllable romanised two ways"
    ),
    "same letters across scripts": Text(
        "الحروف نفسها بين الخطين العربي واللاتيني", "same letters across scripts"
    ),
    "same letters across scripts, short name": Text(
        "الحروف نفسها بين الخطين، اسم قصير", "same letters across scripts, short name"
    ),
    "same consonants, other letters": Text(
        "الحروف الساكنة نفسها، وحروف أخرى مختلفة", "same consonants, other letters"
    ),
    "spelling variant": Text("تهجئة أخرى للاسم نفسه", "spelling variant"),
    "short name, spelling": Text("اسم قصير، تهجئة أخرى", "short name, spelling"),
    "the same name with and without -uddin": Text(
        "الاسم نفسه مع «الدين» ومن دونها", "the same name with and without -uddin"
    ),
    "h and kh written for one another": Text(
        "كُتبت h وkh إحداهما مكان الأخرى", "h and kh written for one another"
    ),
    "close letters": Text("حروف متقاربة", "close letters"),
    "one letter apart": Text("يختلفان في حرف واحد", "one letter apart"),
    "similar spelling": Text("تهجئة متشابهة", "similar spelling"),
    "same consonants, other vowels": Text(
        "الحروف الساكنة نفسها بحروف علة أخرى: اسمان مختلفان", "same consonants, other vowels"
    ),
    "same consonants, other vowels: a long vowel one script writes": Text(
        "الحروف الساكنة نفسها بحروف علة أخرى: حرف مدّ يكتبه أحد الخطين",
        "same consonants, other vowels: a long vowel one script writes",
    ),
    "same consonants, one vowel written otherwise": Text(
        "الحروف الساكنة نفسها، وحرف علة واحد مكتوب بشكل آخر",
        "same consonants, one vowel written otherwise",
    ),
    "same consonants, the ending written otherwise": Text(
        "الحروف الساكنة نفسها، والنهاية مكتوبة بشكل آخر",
        "same consonants, the ending written otherwise",
    ),
}
"""How two name parts met, by the scorer's words before any bracket."""

FEATURES: dict[str, Text] = {
    "name": Text("الاسم", "name"),
    "name_part": Text("جزء من الاسم", "name part"),
    "name_missing": Text("أجزاء غير مطابقة", "parts not matched"),
    "name_extra": Text("أجزاء إضافية في القائمة", "listed parts not matched"),
    "nationality": Text("الجنسية", "nationality"),
    "gender": Text("الجنس", "gender"),
    "document": Text("الوثيقة", "document"),
    "birth_date": Text("تاريخ الميلاد", "date of birth"),
    "document_number": Text("رقم الوثيقة", "document number"),
    "issuing_state": Text("الدولة المصدرة", "issuing state"),
    "listed_type": Text("نوع الوثيقة المدرجة", "listed document type"),
    "listed_summary": Text("ملخص القيد", "listed summary"),
    "listed_description": Text("وصف القيد", "listed description"),
    "listed_startDate": Text("تاريخ إصدار الوثيقة المدرجة", "listed issue date"),
    "listed_endDate": Text("تاريخ انتهاء الوثيقة المدرجة", "listed expiry date"),
    "list": Text("القائمة", "list"),
    "rule": Text("معيار القاعدة", "rule criterion"),
}
"""What a step compared, by its feature."""

_GENDERS = {"male": Text("ذكر", "male"), "female": Text("أنثى", "female")}


def word(
    code: str, args: tuple[tuple[str, str], ...], detail: str, lang: str, isolate: bool = False
) -> str:
    """A step of an explanation in ``lang``: its code's wording with its arguments, or its
    detail when it has no code (or one this release does not know). With ``isolate``, each
    argument is a Unicode isolate, so that a Latin name inside an Arabic sentence (or the
    reverse) keeps its own direction on a page."""
    found = REASONS.get(code)
    if found is None:
        return detail
    values = dict(args)
    if code == "name_part":
        values["why"] = why(values.get("why", ""), lang)
    elif code == "gender.other":
        values = {k: _GENDERS.get(v, Text(v, v)).pick(lang) for k, v in values.items()}
    if isolate:
        values = {k: v if k == "why" else f"\u2068{v}\u2069" for k, v in values.items()}
    try:
        return found.pick(lang).format(**values)
    except (KeyError, IndexError):  # arguments missing from a stored step
        return detail


def why(text: str, lang: str) -> str:
    """How two name parts met, in ``lang``: ``spelling variant (YSF)`` is
    ``تهجئة أخرى للاسم نفسه (YSF)`` in Arabic; words not in ``WHY`` stay as they are."""
    kind, bracket, rest = text.partition(" (")
    found = WHY.get(kind)
    if found is None:
        return text
    return found.pick(lang) + (bracket + rest if bracket else "")


def feature(name: str, lang: str) -> str:
    """What a step compared, in ``lang`` (an unknown feature reads as its name)."""
    found = FEATURES.get(name)
    return found.pick(lang) if found is not None else name
