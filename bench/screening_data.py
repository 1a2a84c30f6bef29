"""Evaluation data for the screening benchmark (``bench/screening.py``).

* ``load_evaluation``: the UN Security Council list as the project's reader yields it. Each
  listed person's primary Latin name is indexed; the person's good-quality aliases,
  low-quality aliases and Arabic-script original names are the queries, and the expected
  answer is the person they belong to.
* ``non_listed``: generated names of people who are not on the list (Arabic-origin names in
  Latin and Arabic script, and names of other origins), for the false-positive rate.
* ``padding``: generated confusable names (Arabic-origin, many sharing a part with a listed
  name) that pad the index to a given size.
* ``travellers``: generated traveller records (name, birth date, nationality, gender,
  document number) for the batch-screening run.

Everything generated is deterministic for a given seed.
"""

import difflib
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney.statement.entity import StatementEntity

from rasid.data import un_sc_path
from rasid.demo import names as demo
from rasid.ingest.records import ReadContext, Source
from rasid.ingest.unsc import read_un_sc, script_lang
from rasid.screen.model import Subject

# Query kinds, in report order.
GOOD_LATIN = "good_alias_latin"
GOOD_ARABIC = "good_alias_arabic_script"
WEAK = "weak_alias"
ARABIC = "arabic_name"
NON_LISTED = "non_listed"
LISTED_KINDS = (GOOD_LATIN, WEAK, ARABIC, GOOD_ARABIC)


def words(text: str) -> tuple[str, ...]:
    """The space-separated words of a text."""
    return tuple(text.split())


# Particles left out when counting shared name parts.
PARTICLES = frozenset(
    words(
        "al el ul ad ar as at az bin ben ibn bint ould wuld walad mint abu abou umm "
        "abd abdul abdel abdal de del la le da von van"
    )
)
ARAB_COUNTRIES = words("iq sy sa eg jo lb ye ly tn dz ma mr sd so ps kw ae qa om bh")
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
BLOCK = 10_000  # travellers are generated in blocks, each from its own seed


@dataclass(frozen=True)
class Entry:
    """A person in the index: one name and the facts a matcher may use."""

    entity_id: str
    name: str
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A name to screen, its kind, and the listed person it should find (None: nobody)."""

    kind: str
    subject: Subject
    expected: str | None
    origin: str = ""  # for generated names: where the name comes from


@dataclass
class Evaluation:
    """The listed persons to index, the queries made from their other names, and facts
    about the data worth reporting."""

    entries: list[Entry]
    queries: list[Query]
    stats: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Origin:
    """Names of one origin: male and female given names, family names, countries."""

    name: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    countries: tuple[str, ...]
    family_first: float = 0.0  # share written family name first


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


OTHER_ORIGINS = (
    Origin(
        "south_asian",
        _t("Rahul,Amit,Sanjay,Vikram,Arjun,Ravi,Deepak,Imran,Farhan,Bilal,Asif,Tariq,Naveen"),
        _t("Priya,Anjali,Sunita,Kavita,Pooja,Ayesha,Sana,Farah,Nusrat,Shabnam,Rekha"),
        _t(
            "Sharma,Patel,Singh,Gupta,Khan,Chaudhry,Qureshi,Malik,Iqbal,Rao,Reddy,Das,Bose,"
            "Mehta,Siddiqui,Chowdhury,Butt,Awan,Nair,Joshi"
        ),
        _t("in,pk,bd,lk,np"),
    ),
    Origin(
        "west_african",
        _t("Chukwuemeka,Oluwaseun,Adebayo,Moussa,Mamadou,Kwame,Kofi,Seydou,Babatunde,Ousmane"),
        _t("Ngozi,Aminata,Fatou,Aissatou,Abena,Adwoa,Funmilayo,Mariama,Chiamaka"),
        _t(
            "Okafor,Adeyemi,Okonkwo,Diallo,Traoré,Camara,Mensah,Boateng,Ouédraogo,Keita,"
            "Sow,Ndiaye,Balogun,Eze,Coulibaly,Touré"
        ),
        _t("ng,gh,sn,ml,bf,gn,ci"),
    ),
    Origin(
        "east_african",
        _t("Abebe,Tesfaye,Yohannes,Kamau,Otieno,Abdi,Mohamud,Daniel,Joseph,Kiprop,Dawit"),
        _t("Mekdes,Wanjiru,Achieng,Hodan,Faduma,Grace,Selam,Ayan,Njeri"),
        _t(
            "Bekele,Haile,Girma,Mwangi,Odhiambo,Kiprono,Warsame,Jama,Nuur,Tadesse,Kariuki,"
            "Ochieng,Wolde,Mugisha"
        ),
        _t("et,ke,so,ug,tz,er"),
    ),
    Origin(
        "european",
        _t(
            "James,Oliver,Thomas,Jean,Pierre,Lukas,Jürgen,José,Javier,Giuseppe,Marco,"
            "Krzysztof,Jan,Erik"
        ),
        _t("Emma,Sophie,Camille,Chloé,Anna,Lucía,Giulia,Agnieszka,Ingrid,Marie,Claire"),
        _t(
            "Smith,Johnson,Brown,Martin,Dubois,Lefèvre,Müller,Schmidt,García,Fernández,Rossi,"
            "Bianchi,Kowalski,Nowak,Jansen,Andersson,O'Brien,Murphy"
        ),
        _t("gb,fr,de,es,it,pl,nl,se,ie"),
    ),
    Origin(
        "east_asian",
        _t("Wei,Hao,Xiaoming,Jun,Min-jun,Ji-hoon,Hiroshi,Takeshi,Minh,Duc,Kenji,Sung-min"),
        _t("Jing,Yan,Li Na,Seo-yeon,Ji-woo,Yuki,Akiko,Anh,Thu,Mei,Hana"),
        _t(
            "Wang,Li,Zhang,Liu,Chen,Kim,Lee,Park,Choi,Sato,Suzuki,Takahashi,Tanaka,Nguyen,"
            "Tran,Pham,Huang,Zhao"
        ),
        _t("cn,kr,jp,vn,tw"),
        family_first=0.5,
    ),
    Origin(
        "latin_american",
        _t("Juan Carlos,Luis,Diego,Carlos,Miguel,Alejandro,Jorge,Andrés,Fernando,Ricardo"),
        _t("María José,Ana,Camila,Valentina,Gabriela,Daniela,Lucía,Paula,Carolina"),
        _t(
            "Rodríguez,González,Hernández,López,Martínez,Pérez,Sánchez,Ramírez,Torres,Flores,"
            "Gómez,Díaz,Vargas,Castillo,Silva,Moreno"
        ),
        _t("mx,co,ar,pe,ve,cl,br"),
    ),
    Origin(
        "turkish_persian",
        _t("Mehmet,Emre,Burak,Murat,Reza,Mohammad Reza,Hossein,Mehdi,Ali Akbar,Kaveh,Serkan"),
        _t("Ayşe,Elif,Zeynep,Fatemeh,Maryam,Shirin,Leyla,Parisa,Esra,Niloufar"),
        _t(
            "Yılmaz,Kaya,Demir,Şahin,Çelik,Öztürk,Hosseini,Ahmadi,Rezaei,Mohammadi,Karimi,"
            "Moradi,Jafari,Tehrani,Aydın"
        ),
        _t("tr,ir,az"),
    ),
    Origin(
        "russian_central_asian",
        _t("Aleksandr,Dmitry,Sergei,Andrei,Timur,Rustam,Aziz,Bakhtiyor,Ruslan,Nikolai,Islam"),
        _t("Olga,Natalia,Svetlana,Elena,Dilnoza,Gulnara,Madina,Aigerim,Irina"),
        _t(
            "Ivanov,Petrov,Smirnov,Volkov,Nazarov,Karimov,Rakhimov,Yusupov,Aliyev,Tashkentov,"
            "Abdullaev,Sokolov,Nurmagomedov,Dzhaksybekov"
        ),
        _t("ru,uz,kz,tj,kg"),
    ),
)
ARABIC_LATIN_STYLES = ("en", "en", "fr", "sch", "surname_first", "en_short", "abbr")


# --- the UN list --------------------------------------------------------------------------


def load_evaluation(path: Path | None = None) -> Evaluation:
    """Read the UN list and build the leave-one-out evaluation from its Person entities."""
    path = path or un_sc_path()
    people = [
        item
        for item in read_un_sc(Source(path, path.name), ReadContext("unsc"))
        if isinstance(item, StatementEntity) and item.schema.name == "Person"
    ]
    entries: list[Entry] = []
    queries: list[Query] = []
    stats: Counter[str] = Counter(listed_persons=len(people))
    for person in people:
        entry, person_queries = _person(person, stats)
        if entry is not None:
            entries.append(entry)
            queries.extend(person_queries)
    _count_shared_parts(entries, queries, stats)
    return Evaluation(entries, queries, dict(stats))


def _person(person: StatementEntity, stats: Counter[str]) -> tuple[Entry | None, list[Query]]:
    """The index entry (primary Latin name) and the queries of one listed person."""
    latin = [s.value for s in person.get_statements("name") if s.lang is None]
    if not latin:
        stats["persons_without_latin_name"] += 1
        return None, []
    pid = str(person.id)
    entry = Entry(
        pid,
        latin[0],
        tuple(sorted(set(person.get("birthDate")))),
        tuple(sorted(set(person.get("nationality")))),
        next(iter(person.get("gender")), None),
        tuple(sorted(set(person.get("passportNumber") + person.get("idNumber")))),
    )
    queries: list[Query] = []
    # FtM keeps a property's values in a set: sorted, the queries (and their ids) are the
    # same in every run.
    for statement in sorted(person.get_statements("name"), key=lambda s: s.value):
        if statement.lang == "ara":
            queries.append(_query(ARABIC, statement.value, pid, len(queries)))
        elif statement.lang is not None:
            stats[f"original_names_{statement.lang}_not_queried"] += 1
    for alias in sorted(person.get("alias")):
        script = script_lang(alias)
        if script == "ara":
            queries.append(_query(GOOD_ARABIC, alias, pid, len(queries)))
        elif script is None:
            queries.append(_query(GOOD_LATIN, alias, pid, len(queries)))
        else:
            stats[f"good_aliases_{script}_not_queried"] += 1
    for alias in sorted(person.get("weakAlias")):
        queries.append(_query(WEAK, alias, pid, len(queries)))
        stats["weak_aliases_arabic_script"] += script_lang(alias) == "ara"
    return entry, queries


def _query(kind: str, name: str, expected: str, number: int) -> Query:
    """A query with an id unique across the whole benchmark."""
    return Query(kind, Subject(id=f"q-{expected}-{number}", name=name), expected)


def name_parts(name: str) -> frozenset[str]:
    """Case- and accent-folded name parts (words), particles left out."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
    words = re.split(r"[\W_]+", folded)
    return frozenset(w for w in words if len(w) > 1 and w not in PARTICLES)


def _count_shared_parts(entries: list[Entry], queries: list[Query], stats: Counter[str]) -> None:
    """Facts about the queries: names sharing no part with the primary name, names identical
    to it, notes in parentheses, names that belong to several listed persons."""
    primary = {e.entity_id: e.name for e in entries}
    owners: dict[frozenset[str], set[str]] = {}
    for entry in entries:
        owners.setdefault(name_parts(entry.name), set()).add(entry.entity_id)
    for query in queries:
        stats[f"{query.kind}_queries"] += 1
        name = query.subject.name
        assert query.expected is not None
        parts, target = name_parts(name), name_parts(primary[query.expected])
        stats[f"{query.kind}_no_shared_part"] += not (parts & target)
        stats[f"{query.kind}_no_similar_part"] += not _similar_part(parts, target)
        stats[f"{query.kind}_same_parts_as_primary"] += parts == target
        stats[f"{query.kind}_with_parentheses"] += "(" in name
        stats[f"{query.kind}_comma_inverted"] += "," in name
        stats[f"{query.kind}_equals_another_primary"] += bool(
            owners.get(parts, set()) - {query.expected}
        )
    stats["primary_names_shared_by_several_persons"] = sum(
        len(ids) for ids in owners.values() if len(ids) > 1
    )


def _similar_part(parts: frozenset[str], target: frozenset[str]) -> bool:
    """Whether any part is spelled like a target part (difflib ratio 0.75 or more)."""
    return any(difflib.SequenceMatcher(None, a, b).ratio() >= 0.75 for a in parts for b in target)


# --- generated names ----------------------------------------------------------------------


def other_origin_name(rng: random.Random, origin: Origin, female: bool) -> str:
    """A name of another origin: one or two given names and a family name."""
    given = rng.choice(origin.female if female else origin.male)
    if rng.random() < 0.25:
        given = f"{given} {rng.choice(origin.female if female else origin.male)}"
    family = rng.choice(origin.family)
    if rng.random() < 0.15:
        family = f"{family} {rng.choice(origin.family)}"
    if rng.random() < origin.family_first:
        return f"{family} {given}"
    return f"{given} {family}"


def arabic_latin_name(rng: random.Random, nationality: str, female: bool) -> str:
    """An Arabic-origin name in one of the Latin styles agencies write."""
    person = demo.compose(rng, female, nationality)
    if rng.random() < 0.2:
        given, surname = demo.passport(person, nationality, rng)
        return f"{given} {surname}"
    return demo.latin(person, rng.choice(ARABIC_LATIN_STYLES), rng)


def arabic_script_name(rng: random.Random, nationality: str, female: bool) -> str:
    """An Arabic-origin name in Arabic script, sometimes vocalised or as a clerk writes it."""
    person = demo.compose(rng, female, nationality)
    return demo.arabic(
        person,
        rng,
        vocalised=rng.random() < 0.15,
        tatweel=rng.random() < 0.05,
        clerk=rng.random() < 0.3,
        full=rng.random() < 0.5,
    )


def non_listed(count: int, seed: int, listed: Sequence[str]) -> tuple[list[Query], int]:
    """``count`` names of people not on the list (35 % Arabic-origin in Latin script, 15 % in
    Arabic script, 50 % of other origins), and how many candidates were left out because
    they had exactly the parts of a listed name."""
    rng = random.Random(f"{seed}-non-listed")
    taken = {name_parts(n) for n in listed}
    queries: list[Query] = []
    excluded = 0
    while len(queries) < count:
        roll, female = rng.random(), rng.random() < 0.3
        if roll < 0.35:
            origin, name = (
                "arabic_latin",
                arabic_latin_name(rng, rng.choice(ARAB_COUNTRIES), female),
            )
        elif roll < 0.5:
            origin, name = (
                "arabic_script",
                arabic_script_name(rng, rng.choice(ARAB_COUNTRIES), female),
            )
        else:
            other = rng.choice(OTHER_ORIGINS)
            origin, name = other.name, other_origin_name(rng, other, female)
        if name_parts(name) in taken:
            excluded += 1
            continue
        subject = Subject(id=f"nl-{len(queries)}", name=name)
        queries.append(Query(NON_LISTED, subject, None, origin))
    return queries, excluded


def listed_parts(evaluation: Evaluation) -> list[str]:
    """Parts of listed primary names that padding may borrow: words of 3+ letters from the
    names of persons with an Arabic-script name or an Arab, Afghan or Pakistani nationality."""
    arabic = {q.expected for q in evaluation.queries if q.kind == ARABIC}
    countries = {*ARAB_COUNTRIES, "af", "pk"}
    parts = {
        word
        for e in evaluation.entries
        if e.entity_id in arabic or countries.intersection(e.nationalities)
        for word in e.name.split()
        if len(word) >= 3 and word.isalpha()
    }
    return sorted(parts)


def padding(count: int, seed: int, borrow: Sequence[str]) -> list[Entry]:
    """``count`` confusable Arabic-origin names with birth dates, nationalities and gender.
    About 30 % take one part from a listed name (``borrow``), half are upper case."""
    rng = random.Random(f"{seed}-padding")
    entries = []
    for number in range(count):
        female = rng.random() < 0.25
        nationality = rng.choice(ARAB_COUNTRIES)
        words = arabic_latin_name(rng, nationality, female).split()
        if borrow and rng.random() < 0.3:
            words[rng.randrange(len(words))] = rng.choice(borrow).title()
        name = " ".join(words)
        if rng.random() < 0.5:
            name = name.upper()
        entries.append(
            Entry(
                f"pad-{number}",
                name,
                (birth_date(rng),),
                (nationality,),
                "female" if female else "male",
            )
        )
    return entries


def birth_date(rng: random.Random) -> str:
    """A birth date between 1940 and 2007; one in five has the year only."""
    year = rng.randint(1940, 2007)
    if rng.random() < 0.2:
        return str(year)
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def traveller_block(block: int, size: int, seed: int) -> Iterator[Subject]:
    """Travellers ``block * size`` .. ``(block + 1) * size - 1`` as upper-case passport
    names with birth date, nationality, gender and document number: half Arabic-origin,
    half of other origins. Each block has its own seed, so any worker can make any block."""
    rng = random.Random(f"{seed}-travellers-{block}")
    for number in range(block * size, (block + 1) * size):
        female = rng.random() < 0.4
        if rng.random() < 0.5:
            nationality = rng.choice(ARAB_COUNTRIES)
            given, surname = demo.passport(demo.compose(rng, female, nationality), nationality, rng)
            name = f"{given} {surname}"
        else:
            origin = rng.choice(OTHER_ORIGINS)
            nationality = rng.choice(origin.countries)
            name = demo.ascii_upper(other_origin_name(rng, origin, female))
        yield Subject(
            id=f"t-{number}",
            name=name,
            birth_date=birth_date(rng),
            nationality=nationality,
            gender="female" if female else "male",
            document_number=f"{rng.choice(LETTERS)}{rng.randint(0, 99_999_999):08d}",
        )


def travellers(count: int, seed: int, worker: int, workers: int) -> list[Subject]:
    """The share of ``count`` travellers that ``worker`` (of ``workers``) screens: every
    ``workers``-th block of ``BLOCK`` travellers (smaller blocks for small counts, so that
    every worker gets a share)."""
    size = max(1, min(BLOCK, -(-count // workers)))
    subjects: list[Subject] = []
    blocks = -(-count // size)
    for block in range(worker, blocks, workers):
        subjects.extend(s for s in traveller_block(block, size, seed) if int(s.id[2:]) < count)
    return subjects
