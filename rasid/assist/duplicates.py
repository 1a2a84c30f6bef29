"""The duplication check (the toolkit's good practice 19: donors coordinate so as not to
duplicate one another): live projects in the same state, on the same theme, for the same
beneficiary institution, whose periods overlap for longer than a set period. A flag for a
coordination meeting, with the funders, budgets and dates side by side, not a decision."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import combinations, product

from rasid.assist.errors import AssistError
from rasid.assist.matching import figure, institution_key
from rasid.assist.model import Duplicate, Project, Reason, Text
from rasid.assist.taxonomy import DAC_CODE

__all__ = ["MIN_OVERLAP_DAYS", "REASONS", "find_duplicates", "reason"]

MIN_OVERLAP_DAYS = 90

REASONS: dict[str, Text] = {
    "dup.overlap": Text(
        "المشروعان {left} و{right} في الدولة {country} يعالجان {themes} لصالح {institutions} "
        "ويتداخلان {days} يومًا (من {start} إلى {end}). الممولون: {left_funders} ({left_budget})"
        " و{right_funders} ({right_budget})",
        "Projects {left} and {right} in {country} both address {themes} for {institutions} "
        "and overlap for {days} days ({start} to {end}). Funders: {left_funders} "
        "({left_budget}) and {right_funders} ({right_budget})",
    ),
    "dup.overlap.dac": Text(
        "المشروعان {left} و{right} في الدولة {country} يشتركان في رموز لجنة المساعدة الإنمائية "
        "{themes} لصالح {institutions} ويتداخلان {days} يومًا (من {start} إلى {end}). الممولون: "
        "{left_funders} ({left_budget}) و{right_funders} ({right_budget})",
        "Projects {left} and {right} in {country} share the DAC purpose codes {themes} for "
        "{institutions} and overlap for {days} days ({start} to {end}). Funders: "
        "{left_funders} ({left_budget}) and {right_funders} ({right_budget})",
    ),
}

_Key = tuple[str, str, frozenset[str]]  # (country, theme or DAC code, institution's words)


def _keys(project: Project, codes: Sequence[str]) -> Iterator[_Key]:
    institutions = {k for b in project.beneficiaries if (k := institution_key(b))}
    return product(set(project.countries), set(codes), institutions)


def _ident(project: Project) -> int:
    if project.id is None:
        raise AssistError(  # english-only: callers compare stored projects, which have ids
            f"project {project.identifier!r} has no id: store it first"
        )
    return project.id


def _candidate(project: Project) -> bool:
    if not project.status.live or project.start is None or project.end is None:
        return False
    _ident(project)
    return True


def _pair(left: Project, right: Project, min_days: int) -> Duplicate | None:
    assert left.start and left.end and right.start and right.end  # candidates have both
    start, end = max(left.start, right.start), min(left.end, right.end)
    days = (end - start).days
    if days <= min_days:
        return None
    if left.themes and right.themes:
        themes = sorted(set(left.themes) & set(right.themes))
    else:
        themes = sorted(set(left.dac) & set(right.dac))
    theirs = {institution_key(b) for b in right.beneficiaries}
    shared = sorted({b for b in left.beneficiaries if institution_key(b) in theirs})
    return Duplicate(
        left=_ident(left),
        right=_ident(right),
        country=sorted(set(left.countries) & set(right.countries))[0],
        themes=tuple(themes),
        institutions=tuple(shared),
        start=start,
        end=end,
        days=days,
        funders=(left.funders, right.funders),
        budgets=((left.budget, left.currency), (right.budget, right.currency)),
    )


def find_duplicates(
    projects: Sequence[Project], *, min_days: int = MIN_OVERLAP_DAYS
) -> list[Duplicate]:
    """Pairs of live projects (pipeline or implementation) that share a state, a theme and a
    beneficiary institution (``same_institution`` 1.0) and whose periods overlap by more than
    ``min_days`` days; the longest overlaps first, then by project ids.

    Themes are the projects' own theme codes; when either project has none, shared DAC
    purpose codes count instead. A project without a start or an end date, or without a
    beneficiary institution, cannot be checked and is not flagged. Projects are indexed by
    state, theme and institution, so only projects in the same group are compared.
    """
    if min_days < 0:
        raise AssistError(
            f"duplication check: min_days must be 0 or more, not {min_days}",
            arabic=f"فحص الازدواج: الحد الأدنى لأيام التداخل صفر أو أكثر، لا {min_days}",
        )
    themed: dict[_Key, list[Project]] = defaultdict(list)
    coded: dict[_Key, list[Project]] = defaultdict(list)  # by DAC code, projects without themes
    coded_themed: dict[_Key, list[Project]] = defaultdict(list)  # by DAC code, with themes
    for project in projects:
        if not _candidate(project):
            continue
        for key in _keys(project, project.themes):
            themed[key].append(project)
        target = coded_themed if project.themes else coded
        for key in _keys(project, project.dac):
            target[key].append(project)
    pairs: list[tuple[Project, Project]] = []
    for group in themed.values():
        pairs.extend(combinations(group, 2))
    for key, group in coded.items():
        pairs.extend(combinations(group, 2))
        pairs.extend(product(group, coded_themed.get(key, ())))
    return _flags(pairs, min_days)


def _flags(pairs: list[tuple[Project, Project]], min_days: int) -> list[Duplicate]:
    seen: set[tuple[int, int]] = set()
    found: list[Duplicate] = []
    for a, b in pairs:
        left, right = (a, b) if _ident(a) < _ident(b) else (b, a)
        ids = (_ident(left), _ident(right))
        if ids[0] == ids[1] or ids in seen:
            continue
        seen.add(ids)
        flag = _pair(left, right, min_days)
        if flag is not None:
            found.append(flag)
    found.sort(key=lambda d: (-d.days, d.left, d.right))
    return found


def _funders(names: tuple[str, ...]) -> str:
    return "; ".join(names) or "-"


def reason(duplicate: Duplicate) -> Reason:
    """The explanation of a flag: the shared themes (or DAC codes), institutions, overlap
    and each side's funders and budget."""
    by_dac = bool(duplicate.themes) and all(DAC_CODE.match(t) for t in duplicate.themes)
    (left_total, left_currency), (right_total, right_currency) = duplicate.budgets
    args = {
        "left": str(duplicate.left),
        "right": str(duplicate.right),
        "country": duplicate.country,
        "themes": ", ".join(duplicate.themes),
        "institutions": "; ".join(duplicate.institutions),
        "days": str(duplicate.days),
        "start": duplicate.start.isoformat(),
        "end": duplicate.end.isoformat(),
        "left_funders": _funders(duplicate.funders[0]),
        "right_funders": _funders(duplicate.funders[1]),
        "left_budget": f"{figure(left_total)} {left_currency}",
        "right_budget": f"{figure(right_total)} {right_currency}",
    }
    return Reason("dup.overlap.dac" if by_dac else "dup.overlap", tuple(args.items()))
