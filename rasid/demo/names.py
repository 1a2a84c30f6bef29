"""Arab personal names for the demo scenario, and the ways agencies write them.

A name is composed from common given names and family names. Each agency writes it in its own
way: Arabic script with or without vowel marks (harakat, shadda), tatweel, hamza dropped by a
clerk, ``عبد الله`` written as one word; Latin script in English, French/Maghrebi or scholarly
transliteration, abbreviated, surname first, or as an upper-case passport name. The same
person therefore looks different in every register, which is what name matching must absorb.
"""

import random
import unicodedata
from dataclasses import dataclass

# Arabic | vocalised Arabic | English spellings | French spellings | scholarly
_MALE = """
محمد|مُحَمَّد|Mohammed,Mohammad,Muhammad|Mohamed,Mohammed|Muḥammad
أحمد|أَحْمَد|Ahmed,Ahmad|Ahmed|Aḥmad
علي|عَلِيّ|Ali|Ali|ʿAlī
حسن|حَسَن|Hassan,Hasan|Hassen,Hassan|Ḥasan
حسين|حُسَيْن|Hussein,Husain|Houssein,Hassine|Ḥusayn
عبد الله|عَبْدُ الله|Abdullah,Abdulla|Abdallah,Abdellah|ʿAbd Allāh
عبد الرحمن|عَبْدُ الرَّحْمَن|Abdulrahman,Abdul Rahman|Abderrahmane,Abderahman|ʿAbd al-Raḥmān
عبد القادر|عَبْدُ القَادِر|Abdulqader,Abdul Kader|Abdelkader|ʿAbd al-Qādir
عمر|عُمَر|Omar,Umar|Omar|ʿUmar
خالد|خَالِد|Khaled,Khalid|Khaled|Khālid
يوسف|يُوسُف|Yousef,Yusuf|Youssef|Yūsuf
إبراهيم|إِبْرَاهِيم|Ibrahim|Brahim,Ibrahim|Ibrāhīm
مصطفى|مُصْطَفَى|Mustafa,Mostafa|Mustapha|Muṣṭafā
سعيد|سَعِيد|Saeed,Said|Saïd,Said|Saʿīd
محمود|مَحْمُود|Mahmoud,Mahmud|Mahmoud|Maḥmūd
كريم|كَرِيم|Karim,Kareem|Karim|Karīm
طارق|طَارِق|Tariq,Tarek|Tarek|Ṭāriq
سليمان|سُلَيْمَان|Suleiman,Sulaiman|Slimane,Soulaimane|Sulaymān
صالح|صَالِح|Saleh,Salih|Salah,Saleh|Ṣāliḥ
ناصر|نَاصِر|Nasser,Naser|Nacer,Nasser|Nāṣir
جمال|جَمَال|Jamal,Gamal|Djamel,Jamel|Jamāl
رشيد|رَشِيد|Rashid,Rasheed|Rachid|Rashīd
فيصل|فَيْصَل|Faisal,Faysal|Fayçal,Faycal|Fayṣal
ياسين|يَاسِين|Yassin,Yaseen|Yacine,Yassine|Yāsīn
حمزة|حَمْزَة|Hamza,Hamzah|Hamza|Ḥamza
زياد|زِيَاد|Ziad,Ziyad|Ziad|Ziyād
وليد|وَلِيد|Walid,Waleed|Walid|Walīd
بلال|بِلَال|Bilal|Bilel,Bilal|Bilāl
سامي|سَامِي|Sami,Samy|Sami|Sāmī
عادل|عَادِل|Adel,Adil|Adel|ʿĀdil
هشام|هِشَام|Hisham,Hesham|Hichem,Hicham|Hishām
نبيل|نَبِيل|Nabil,Nabeel|Nabil|Nabīl
منير|مُنِير|Munir,Mounir|Mounir|Munīr
أيمن|أَيْمَن|Ayman,Aiman|Aymen|Ayman
عماد|عِمَاد|Imad,Emad|Imed,Imad|ʿImād
فارس|فَارِس|Fares,Faris|Fares|Fāris
مراد|مُرَاد|Murad,Mourad|Mourad|Murād
سفيان|سُفْيَان|Sufyan,Sofian|Sofiane,Soufiane|Sufyān
عثمان|عُثْمَان|Othman,Osman|Othmane,Otmane|ʿUthmān
إسماعيل|إِسْمَاعِيل|Ismail,Ismael|Smail,Ismaïl|Ismāʿīl
"""

_FEMALE = """
فاطمة|فَاطِمَة|Fatima,Fatma|Fatma,Fatima|Fāṭima
عائشة|عَائِشَة|Aisha,Aysha|Aïcha,Aicha|ʿĀʾisha
مريم|مَرْيَم|Maryam,Mariam|Meriem,Myriam|Maryam
خديجة|خَدِيجَة|Khadija,Khadeeja|Khadidja,Khadija|Khadīja
زينب|زَيْنَب|Zainab,Zeinab|Zineb,Zeineb|Zaynab
نور|نُور|Nour,Noor|Nour|Nūr
ليلى|لَيْلَى|Layla,Leila|Leila,Leïla|Laylā
سارة|سَارَة|Sara,Sarah|Sara|Sāra
هدى|هُدَى|Huda,Hoda|Houda|Hudā
أمينة|أَمِينَة|Amina,Ameena|Amina|Amīna
سلمى|سَلْمَى|Salma|Salma|Salmā
رانيا|رَانِيَا|Rania,Ranya|Rania|Rāniya
ياسمين|يَاسْمِين|Yasmin,Yasmeen|Yasmine|Yāsmīn
حنان|حَنَان|Hanan|Hanane|Ḥanān
سعاد|سُعَاد|Suad,Souad|Souad|Suʿād
نادية|نَادِيَة|Nadia,Nadiya|Nadia|Nādiya
وفاء|وَفَاء|Wafa,Wafaa|Wafa|Wafāʾ
رحمة|رَحْمَة|Rahma|Rahma|Raḥma
إيمان|إِيمَان|Iman,Eman|Imen,Imane|Īmān
سميرة|سَمِيرَة|Samira,Sameera|Samira|Samīra
"""

# Arabic | vocalised Arabic (or empty) | English | French | scholarly | kind
# kind: "al" takes the article (ال), "plain" has none, "ben" is a patronymic surname.
_FAMILY = """
الحسيني||Husseini|Housseini|Ḥusaynī|al
التميمي||Tamimi|Temimi|Tamīmī|al
الشامي|الشَّامِي|Shami|Chami|Shāmī|al
المصري||Masri|Masri|Miṣrī|al
الخطيب||Khatib|Khatib|Khaṭīb|al
الزعبي|الزُّعْبِي|Zoubi|Zoubi|Zuʿbī|al
الحمدان||Hamdan|Hamdane|Ḥamdān|al
العبيدي||Obaidi|Abidi|ʿUbaydī|al
الجبوري|الجُبُّورِي|Jubouri|Jbouri|Jubūrī|al
الدليمي||Dulaimi|Doulaimi|Dulaymī|al
الكبيسي||Kubaisi|Koubaissi|Kubaysī|al
السعدي|السَّعْدِي|Saadi|Saadi|Saʿdī|al
الفاسي||Fassi|Fassi|Fāsī|al
الإدريسي||Idrissi|Idrissi|Idrīsī|al
القاسمي||Qasimi|Kacimi|Qāsimī|al
العمري||Omari|Amri|ʿUmarī|al
الحربي||Harbi|Harbi|Ḥarbī|al
الشمري|الشَّمَّرِي|Shammari|Chammari|Shammarī|al
الهاشمي||Hashemi|Hachemi|Hāshimī|al
البغدادي||Baghdadi|Baghdadi|Baghdādī|al
الطرابلسي||Trabelsi|Trabelsi|Ṭarābulusī|al
الزين|الزَّيْن|Zein|Zine|Zayn|al
الأنصاري||Ansari|Ansari|Anṣārī|al
الكردي||Kurdi|Kurdi|Kurdī|al
المغربي||Maghribi|Maghrebi|Maghribī|al
السوداني|السُّودَانِي|Sudani|Soudani|Sūdānī|al
النجار|النَّجَّار|Najjar|Nejjar|Najjār|al
العطار|العَطَّار|Attar|Attar|ʿAṭṭār|al
الرفاعي||Rifai|Rifaï|Rifāʿī|al
حداد|حَدَّاد|Haddad|Haddad|Ḥaddād|plain
خليل||Khalil|Khalil|Khalīl|plain
منصور||Mansour|Mansour|Manṣūr|plain
عيسى||Issa|Aissa|ʿĪsā|plain
بوزيد||Bouzid|Bouzid|Bū Zayd|plain
بلحاج||Belhaj|Belhadj|Bilḥājj|plain
شريف||Sharif|Cherif|Sharīf|plain
قاسم||Qasem|Kacem|Qāsim|plain
حمدي||Hamdi|Hamdi|Ḥamdī|plain
عزام|عَزَّام|Azzam|Azzam|ʿAzzām|plain
جابر||Jaber|Jaber|Jābir|plain
بن علي||Bin Ali|Ben Ali|ibn ʿAlī|ben
بن سالم||Bin Salem|Ben Salem|ibn Sālim|ben
بن يوسف||Bin Yousef|Ben Youssef|ibn Yūsuf|ben
بن عمر||Bin Omar|Ben Amor|ibn ʿUmar|ben
بن عيسى||Bin Issa|Ben Aissa|ibn ʿĪsā|ben
"""

MAGHREB = ("dz", "ly", "ma", "mr", "tn")  # French-influenced transliteration
_NON_JOINING = set("اأإآدذرزوؤةىء ")
TATWEEL = "ـ"


@dataclass(frozen=True)
class Given:
    """A given name (also used as father's and grandfather's name)."""

    ar: str
    voc: str
    en: tuple[str, ...]
    fr: tuple[str, ...]
    sch: str


@dataclass(frozen=True)
class Family:
    """A family name; ``kind`` is "al" (takes the article), "plain" or "ben"."""

    ar: str
    voc: str
    en: str
    fr: str
    sch: str
    kind: str


def _given(table: str) -> tuple[Given, ...]:
    rows = [line.split("|") for line in table.strip().splitlines()]
    return tuple(Given(a, v, tuple(e.split(",")), tuple(f.split(",")), s) for a, v, e, f, s in rows)


def _families(table: str) -> tuple[Family, ...]:
    rows = [line.split("|") for line in table.strip().splitlines()]
    return tuple(Family(a, v or a, e, f, s, k) for a, v, e, f, s, k in rows)


MALE = _given(_MALE)
FEMALE = _given(_FEMALE)
FAMILIES = _families(_FAMILY)


@dataclass(frozen=True)
class PersonName:
    """A composed name: given, father's, optional grandfather's, and family name. Mauritanian
    names have no family name: ``ould``/``mint`` (son/daughter of) precedes the father's."""

    given: Given
    father: Given
    grandfather: Given | None
    family: Family | None
    female: bool = False


def compose(rng: random.Random, female: bool, nationality: str) -> PersonName:
    """A plausible name for a person of this gender and nationality (ISO 3166 alpha-2)."""
    given = _pick(rng, FEMALE if female else MALE)
    father = _pick(rng, MALE)
    grandfather = _pick(rng, MALE) if rng.random() < 0.25 else None
    if nationality == "mr":
        return PersonName(given, father, grandfather, None, female)
    families = [f for f in FAMILIES if f.kind != "ben" or nationality in MAGHREB]
    return PersonName(given, father, grandfather, rng.choice(families), female)


def _pick(rng: random.Random, names: tuple[Given, ...]) -> Given:
    # The first names of each list are the commonest; weight them up.
    weights = [4 if i < 6 else 1 for i in range(len(names))]
    return rng.choices(names, weights)[0]


def arabic(
    name: PersonName,
    rng: random.Random,
    *,
    vocalised: bool = False,
    tatweel: bool = False,
    clerk: bool = False,
    full: bool = True,
) -> str:
    """The name in Arabic script. ``vocalised`` adds harakat and shadda, ``tatweel`` stretches
    a letter, ``clerk`` drops hamza and writes ``عبد الله`` as one word; ``full`` keeps the
    grandfather's name when there is one."""
    parts = [name.given.voc if vocalised else name.given.ar]
    if name.family is None:
        parts.append("منت" if name.female else "ولد")
    parts.append(name.father.voc if vocalised else name.father.ar)
    if full and name.grandfather is not None:
        parts.append(name.grandfather.voc if vocalised else name.grandfather.ar)
    if name.family is not None:
        parts.append(name.family.voc if vocalised else name.family.ar)
    text = " ".join(parts)
    if clerk:
        text = text.replace("عبد ", "عبد").replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
        text = " ".join(w[:-1] + "ه" if w.endswith("ة") else w for w in text.split(" "))
    if tatweel:
        text = _stretch(text, rng)
    return text


def _stretch(text: str, rng: random.Random) -> str:
    """Insert a tatweel after a letter that joins the next one."""
    spots = [
        i
        for i in range(len(text) - 1)
        if text[i] not in _NON_JOINING
        and unicodedata.category(text[i]) == "Lo"
        and unicodedata.category(text[i + 1]) in ("Lo", "Mn")
        and text[i + 1] != " "
    ]
    if not spots:
        return text
    at = rng.choice(spots) + 1
    while at < len(text) and unicodedata.category(text[at]) == "Mn":
        at += 1  # keep a letter's vowel marks with it
    return text[:at] + TATWEEL + text[at:]


def _family(family: Family, style: str, rng: random.Random) -> str:
    core = {"en": family.en, "fr": family.fr, "sch": family.sch}[style]
    if family.kind == "ben" and style == "fr" and rng.random() < 0.3:
        return core.replace(" ", "").capitalize()  # Ben Ali -> Benali
    if family.kind != "al":
        return core
    article = {
        "en": ("Al-", "Al-", "Al ", "al-", ""),
        "fr": ("El ", "El-", "El ", "", "Al "),
        "sch": ("al-",),
    }[style]
    return rng.choice(article) + core


def _first(given: Given, style: str, rng: random.Random) -> str:
    if style == "sch":
        return given.sch
    return rng.choice(given.en if style == "en" else given.fr)


def latin(name: PersonName, style: str, rng: random.Random) -> str:
    """The name in Latin script. Styles: ``en`` (English), ``en_short`` (no father's name),
    ``fr`` (French/Maghrebi), ``sch`` (scholarly, with diacritics), ``abbr`` (initial),
    ``surname_first`` (register order: FAMILY, given father)."""
    base = {"en_short": "en", "abbr": "en", "surname_first": "en"}.get(style, style)
    given = _first(name.given, base, rng)
    father = _first(name.father, base, rng)
    if name.family is None:
        link = {"sch": "walad"}.get(base, "Ould") if not name.female else "Mint"
        family = f"{link} {father}"
        father = ""
    else:
        family = _family(name.family, base, rng)
    if style == "en_short":
        father = ""
    if style == "abbr":
        given = given[0] + "."
        if father and rng.random() < 0.5:
            father = father[0] + "."
    if style == "surname_first":
        return " ".join(p for p in (family.upper() + ",", given, father) if p)
    return " ".join(p for p in (given, father, family) if p)


def passport(name: PersonName, nationality: str, rng: random.Random) -> tuple[str, str]:
    """(given names, surname) as printed in a passport: upper case, ASCII, father's name in
    the given names, French spelling for Maghreb states."""
    base = "fr" if nationality in MAGHREB else "en"
    given = [_first(name.given, base, rng), _first(name.father, base, rng)]
    if name.family is None:
        surname = ("MINT " if name.female else "OULD ") + given.pop()
    else:
        surname = _family(name.family, base, rng).replace("-", " ")
        if rng.random() < 0.3:
            surname = surname.replace(" ", "")  # AL HUSSEINI -> ALHUSSEINI
    return ascii_upper(" ".join(given)), ascii_upper(surname)


def ascii_upper(text: str) -> str:
    """Upper case without diacritics or ayn/hamza marks, as in a machine-readable zone."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if c.isascii() and c not in "'`")
    return kept.upper().strip()
