"""Technical-assistance matching benchmark: ranking projects for needs and the duplication
check, on a generated (seeded, synthetic) set.

1. **Generate** (not counted): ``--projects`` projects and offers (default 20,000) over 40
   states with user-assigned codes (XA..XZ, QM..QZ), the toolkit's 25 themes, a pool of
   beneficiary institutions written in several ways, IATI statuses, budgets in three
   currencies, and ``--needs`` needs (default 2,000).
2. **Rank**: ``rasid.assist.matching.rank`` for every need, once over every project (the
   function filters by state itself) and once over the projects of the need's state (what
   ``rasid.assist.coordination.suggest`` passes after its query by state). Reported: the
   total, per-need p50/p95/max, and how many matches were proposed.
3. **Duplication check**: ``rasid.assist.duplicates.find_duplicates`` over every project,
   best of ``--repeat`` runs, with the number of flags.

It is a benchmark, not a test: figures are printed, and written as JSON with ``--output``.
Run from the repository root: ``python bench/assist.py --help``.
"""

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rasid.assist.duplicates import find_duplicates
from rasid.assist.matching import rank
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    Need,
    OrgRole,
    Participant,
    Priority,
    Project,
    ProjectKind,
    Taxonomy,
)
from rasid.assist.taxonomy import builtin
from rasid.model.markings import Marking

TODAY = date(2026, 11, 24)
# ISO 3166-1 codes left for user assignment: XA..XZ and QM..QZ.
COUNTRIES = [f"X{chr(c)}" for c in range(ord("A"), ord("Z") + 1)] + [
    f"Q{chr(c)}" for c in range(ord("M"), ord("Z") + 1)
]
# The same bodies written as records from different donors write them.
INSTITUTIONS = [
    (
        "Financial Intelligence Unit",
        "The Financial Intelligence Unit",
        "financial intelligence unit",
    ),
    ("National Police", "the national police"),
    ("Border Guard", "Border Guards Service"),
    ("Customs Administration", "customs administration"),
    ("Ministry of Interior", "Ministry of the Interior"),
    ("Ministry of Justice",),
    ("Public Prosecution", "Office of the Public Prosecutor"),
    ("Prison Service", "prison service"),
    ("Central Bank",),
    ("National Counter-Terrorism Centre", "National Counter Terrorism Centre"),
    ("Cybercrime Unit",),
    ("Judicial Training Institute",),
]
FUNDERS = [
    "Government of Norway",
    "European Union",
    "Government of Japan",
    "Government of Canada",
    "Government of Germany",
    "Government of Qatar",
    "United Nations Peacebuilding Fund",
    "World Bank",
]
STATUSES = list(ActivityStatus)
STATUS_WEIGHTS = [15, 50, 10, 15, 5, 5]  # pipeline, implementation, ... suspended
CURRENCIES = ["USD", "EUR", "GBP"]
CURRENCY_WEIGHTS = [70, 20, 10]


def _name(rng: random.Random, institution: int) -> str:
    return rng.choice(INSTITUTIONS[institution])


def _themes(rng: random.Random, taxonomy: Taxonomy) -> tuple[tuple[str, ...], tuple[str, ...]]:
    picked = rng.sample(taxonomy.themes, rng.choice([1, 1, 2, 2, 3]))
    dac = tuple(sorted({code for theme in picked for code in theme.dac}))
    if rng.random() < 0.05:  # recorded with DAC purpose codes only
        return (), dac
    return tuple(t.code for t in picked), dac


def make_project(rng: random.Random, ident: int, taxonomy: Taxonomy) -> Project:
    """One generated project or offer."""
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    offer = rng.random() < 0.1
    countries = rng.sample(COUNTRIES, rng.choices([1, 2, 3], [85, 10, 5])[0])
    start = TODAY + timedelta(days=rng.randrange(-3 * 365, 365))
    end = start + timedelta(days=rng.randrange(180, 4 * 365))
    currency = rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
    value = float(rng.randrange(50, 5000) * 1000)
    budgets = () if offer and rng.random() < 0.5 else (Budget(start, end, value, currency),)
    themes, dac = _themes(rng, taxonomy)
    beneficiaries = tuple(
        _name(rng, i) for i in rng.sample(range(len(INSTITUTIONS)), rng.choice([1, 1, 2]))
    )
    funders = rng.sample(FUNDERS, rng.choice([1, 1, 2]))
    return Project(
        id=ident,
        identifier=f"XM-EX-RASID-{ident:05d}",
        kind=ProjectKind.OFFER if offer else ProjectKind.PROJECT,
        title=f"Assistance project {ident}",
        description="",
        status=status,
        countries=tuple(countries),
        start=None if offer and rng.random() < 0.3 else start,
        end=end,
        currency=currency,
        budgets=budgets,
        spent=round(value * rng.random() * 0.8, 2) if budgets else 0.0,
        participants=tuple(Participant(OrgRole.FUNDING, f) for f in funders),
        themes=themes,
        dac=dac,
        beneficiaries=beneficiaries,
        region="" if rng.random() < 0.6 else f"Region {rng.randint(1, 6)}",
    )


def make_need(rng: random.Random, ident: int, taxonomy: Taxonomy) -> Need:
    """One generated need."""
    return Need(
        id=ident,
        agency="coordination_office",
        country=rng.choice(COUNTRIES),
        institution=_name(rng, rng.randrange(len(INSTITUTIONS))),
        theme=rng.choice(taxonomy.themes).code,
        gap="Generated gap",
        baseline="Generated baseline",
        priority=rng.choice(list(Priority)),
        marking=Marking.AMBER,
        region="" if rng.random() < 0.7 else f"Region {rng.randint(1, 6)}",
        cost=float(rng.randrange(20, 2000) * 1000) if rng.random() < 0.5 else None,
        currency=rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0],
        wanted_by=TODAY + timedelta(days=rng.randrange(90, 900)) if rng.random() < 0.7 else None,
    )


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _time_ranking(
    needs: Sequence[Need], pool: Callable[[Need], Sequence[Project]], taxonomy: Taxonomy
) -> dict[str, Any]:
    times: list[float] = []
    proposed = 0
    for need in needs:
        began = time.perf_counter()
        proposed += len(rank(need, pool(need), taxonomy, today=TODAY))
        times.append(time.perf_counter() - began)
    return {
        "total_s": round(sum(times), 2),
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(_percentile(times, 0.95) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "matches": proposed,
    }


def run(n_projects: int, n_needs: int, seed: int, repeat: int) -> dict[str, Any]:
    """Generate, rank every need (over every project, and over its state's) and check
    duplication; the figures as a dict."""
    taxonomy = builtin()
    rng = random.Random(seed)
    began = time.perf_counter()
    projects = [make_project(rng, i + 1, taxonomy) for i in range(n_projects)]
    needs = [make_need(rng, i + 1, taxonomy) for i in range(n_needs)]
    generated = time.perf_counter() - began
    by_country: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        for country in project.countries:
            by_country[country].append(project)
    every = _time_ranking(needs, lambda _: projects, taxonomy)
    state = _time_ranking(needs, lambda n: by_country[n.country], taxonomy)
    runs: list[float] = []
    flags = []
    for _ in range(repeat):
        began = time.perf_counter()
        flags = find_duplicates(projects)
        runs.append(time.perf_counter() - began)
    live = sum(1 for p in projects if p.status.live)
    return {
        "projects": n_projects,
        "live_projects": live,
        "needs": n_needs,
        "seed": seed,
        "generate_s": round(generated, 2),
        "rank_over_every_project": every,
        "rank_over_the_state": state,
        "duplicates": {
            "best_s": round(min(runs), 2),
            "runs_s": [round(r, 2) for r in runs],
            "flags": len(flags),
            "longest_days": flags[0].days if flags else 0,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"{result['projects']:,} projects ({result['live_projects']:,} live), "
        f"{result['needs']:,} needs, seed {result['seed']}; generated in {result['generate_s']} s"
    )
    for key, label in (
        ("rank_over_every_project", "rank, every project"),
        ("rank_over_the_state", "rank, the state's projects"),
    ):
        r = result[key]
        print(
            f"{label}: {r['total_s']} s for all needs; per need p50 {r['p50_ms']} ms, "
            f"p95 {r['p95_ms']} ms, max {r['max_ms']} ms; {r['matches']:,} matches proposed"
        )
    d = result["duplicates"]
    print(
        f"duplication check: best {d['best_s']} s of {d['runs_s']}; {d['flags']:,} flags, "
        f"longest overlap {d['longest_days']} days"
    )
    print(f"machine: {result['machine']}")


def main() -> None:
    """Parse the options, run, print and optionally write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=20_000, help="projects to generate")
    parser.add_argument("--needs", type=int, default=2_000, help="needs to generate")
    parser.add_argument("--seed", type=int, default=8, help="random seed of the generator")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the duplication check")
    parser.add_argument("--output", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args()
    if args.projects < 1 or args.needs < 1 or args.repeat < 1:
        parser.error("--projects, --needs and --repeat must be at least 1")
    result = run(args.projects, args.needs, args.seed, args.repeat)
    _print(result)
    if args.output:
        args.output.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
