"""Benchmark of eligibility (prints figures; not a test): sobrindustrie's Publicodes engine against the
reference engine, publicodes 1.10.1 on npm, on the same companies in the same run.

    .venv/bin/python benchmarks/eligibility_bench.py [--companies 200] [--scale 1000] [--seed 1]
        [--no-reference]

Companies are seeded and varied: every region of the interface, workforces on both sides of every
threshold the catalogue compares the workforce with (and some anywhere up to 10,000), NAF codes of
every section, 0 to 4 priority objectives, and each answer missing one time in six.

For each catalogue, the shipped one (`sobrindustrie/funding/data/mte`) and the full Mission Transition
Écologique one (`../shared/data/mission-transition-ecologique`, when present):
1. our engine: `evaluate_companies` on the whole pool (what the `--companies` command line runs), CPU
   time (catalogue loaded once, untimed);
2. the reference engine under node on the same companies (one Engine per programme built once,
   untimed; then setSituation + evaluate per company and programme), CPU time measured in node;
3. the ratio, and the number of results that differ (true / false / undefined / non applicable /
   error, and the programmes each refuses) — it must be 0;
4. on the full catalogue, our time for `--scale` companies.

Our engine evaluates once what companies have in common, so its cost per company falls as companies
are added while the reference's stays flat: the ratio grows with `--companies` (about 90× on the
shipped catalogue and 100× on the full one at 200 companies, the default, which keeps the
reference's part near two minutes of CPU; pass `--companies 1000` for the figure at scale).

CPU times (`time.process_time`, node's `process.cpuUsage`), medians of `--repeat` runs for ours
(each on a freshly loaded catalogue: nothing is remembered from a previous run), the load average
beside them: the machine is shared, and CPU time is what each side spends whatever else runs. Wall
times (`time.perf_counter`, node's `process.hrtime`) of the same runs are printed beside them. Node
starts once per catalogue and builds its engines outside the timed part, as our catalogue is loaded
outside it; the timed part of ours includes building each programme's evaluator (its static
analysis) at the first company. What is compared with the reference is what the timed run answered
(the engine's raw values, memoised by the timed run, and its true / false / null answers checked
against them). Node needs `benchmarks/publicodes-reference/node_modules`:
the bench runs `npm ci --offline` there (no network at run time), which works once npm's cache holds
publicodes 1.10.1; otherwise it says how to install it and times our engine alone.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sobrindustrie.engines.publicodes import (
    TARGET,
    UNDEFINED,
    Catalogue,
    CatalogueEligibility,
    Company,
    PublicodesError,
    Value,
    evaluate_companies,
    load_catalogue,
)
from sobrindustrie.engines.publicodes.catalogue import read_yaml
from sobrindustrie.engines.publicodes.projection import CompanySituation, compared_numbers
from sobrindustrie.engines.publicodes.situation import (
    NAF_SECTIONS,
    WORKFORCE,
    company_entries,
    validity_entries,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sobrindustrie" / "funding" / "data" / "mte" / "programs"
FULL = ROOT.parent / "shared" / "data" / "mission-transition-ecologique" / "programs"
REFERENCE_DIR = Path(__file__).resolve().parent / "publicodes-reference"
TODAY = datetime.date(2025, 3, 17)
TARGET_RATIO = 50.0
DIVISIONS = sorted(division for divisions in NAF_SECTIONS.values() for division in divisions)


def workforce_thresholds(catalogue: Catalogue) -> list[int]:
    """The numbers the catalogue compares the workforce with."""
    found: set[float] = set()
    for programme in catalogue.programmes.values():
        found.update(compared_numbers(programme.rules.rules).get(WORKFORCE, ()))
    return sorted(int(value) for value in found if value >= 0)


def companies(catalogue: Catalogue, count: int, seed: int) -> list[Company]:
    """`count` seeded companies, varied over everything the rules read (see the module's docstring)."""
    rng = random.Random(seed)
    interface = catalogue.interface
    around = sorted({max(0, t + delta) for t in workforce_thresholds(catalogue) for delta in (-1, 0, 1)})

    def known() -> bool:
        return rng.random() > 1 / 6

    made = []
    for _ in range(count):
        workforce = rng.choice(around) if rng.random() < 0.75 else int(10 ** rng.uniform(0, 4))
        naf = f"{rng.choice(DIVISIONS):02d}.{rng.randint(0, 9)}{rng.randint(0, 9)}{rng.choice('ABCZ')}"
        made.append(
            Company(
                region=rng.choice(interface.regions) if known() else None,
                workforce=workforce if known() else None,
                micro_entrepreneur=rng.random() < 0.3 if known() else None,
                naf=naf if known() else None,
                objectives=tuple(rng.sample(interface.objectives, rng.randint(0, 4))) if known() else None,
            )
        )
    return made


def cpu(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """CPU seconds, wall seconds and the result of `action()`."""
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    result = action()
    return time.process_time() - cpu_start, time.perf_counter() - wall_start, result


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def ours(directory: Path, pool: Sequence[Company], repeat: int) -> tuple[float, float, list[list[str]], int]:
    """Median CPU and wall seconds of evaluating every company on a freshly loaded catalogue, the
    engine's values (kinds, as the reference's) and how many of the timed run's answers disagree
    with them.

    The values are read from each programme's evaluator after the timed runs (they are the memoised
    ones the timed run returned); the last timed run's answers (true / false / null, errors) are
    checked against them, so what is compared with the reference is what was timed.
    """
    cpu_times, wall_times = [], []
    answers: list[CatalogueEligibility] = []
    for _ in range(repeat):
        catalogue = load_catalogue(directory)
        cpu_s, wall_s, result = timed(functools.partial(evaluate_all, catalogue, pool))
        answers = cast(list[CatalogueEligibility], result)
        cpu_times.append(cpu_s)
        wall_times.append(wall_s)
    situations = [
        CompanySituation.of(company, TODAY, objectives=catalogue.interface.objectives) for company in pool
    ]
    slugs = sorted_slugs(directory)
    results = [[_outcome(catalogue, slug, situation) for slug in slugs] for situation in situations]
    inconsistent = sum(
        _answer(answer, slug) != _eligibility_kind(kind)
        for answer, row in zip(answers, results, strict=True)
        for slug, kind in zip(slugs, row, strict=True)
    )
    return statistics.median(cpu_times), statistics.median(wall_times), results, inconsistent


def evaluate_all(catalogue: Catalogue, pool: Sequence[Company]) -> list[CatalogueEligibility]:
    """What `sobrindustrie funding eligibility --companies` computes: the whole pool at once."""
    return evaluate_companies(catalogue, pool, TODAY)


def _answer(answer: CatalogueEligibility, slug: str) -> str:
    """What the engine answered for one programme: true, false, null or error."""
    if slug in answer.errors:
        return "error"
    return json.dumps(answer.results[slug])


def _eligibility_kind(kind: str) -> str:
    """The answer an engine value gives (undefined and non applicable are both null; a value that is
    neither oui nor non is an error)."""
    return "null" if kind == "undefined" else "error" if kind.startswith("other:") else kind


def sorted_slugs(directory: Path) -> list[str]:
    return [
        path.stem for path in sorted(directory.glob("*.yaml")) if path.name != "publicodes-interface.yaml"
    ]


def _outcome(catalogue: Catalogue, slug: str, situation: CompanySituation) -> str:
    programme = catalogue.programmes.get(slug)
    if programme is None:
        return "error"
    try:
        value: Value = programme.evaluator.evaluate(situation)
    except PublicodesError:
        return "error"
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return f"other:{json.dumps(value)}"


def reference_ready() -> str | None:
    """None if node can run the reference engine, else why not and how to install it."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are not installed"
    if (REFERENCE_DIR / "node_modules" / "publicodes").is_dir():
        return None
    installed = subprocess.run(
        [npm, "ci", "--offline", "--no-audit", "--no-fund"],
        cwd=REFERENCE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if installed.returncode != 0:
        return (
            "publicodes 1.10.1 is not in npm's cache; install it once with network access: "
            f"(cd {REFERENCE_DIR.relative_to(ROOT)} && npm ci)"
        )
    return None


def reference(directory: Path, catalogue: Catalogue, pool: Sequence[Company]) -> dict[str, object]:
    """The reference engine's results and CPU times on the same companies."""
    interface = catalogue.interface
    rule_sets, validity = [], []
    for slug in sorted_slugs(directory):
        programme = read_yaml(directory / f"{slug}.yaml")
        assert isinstance(programme, dict)
        rule_sets.append({**interface.rules, **(programme.get("publicodes") or {})})
        try:
            validity.append(validity_entries(programme))
        except PublicodesError:
            validity.append({})
    batch = {
        "target": TARGET,
        "rule_sets": rule_sets,
        "validity": validity,
        "companies": [company_entries(company, TODAY, objectives=interface.objectives) for company in pool],
    }
    completed = subprocess.run(
        ["node", str(REFERENCE_DIR / "eligibility.mjs")],
        input=json.dumps(batch, ensure_ascii=False, default=str),
        capture_output=True,
        text=True,
        cwd=REFERENCE_DIR,
        timeout=7200,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"the reference engine failed: {completed.stderr.strip()[-2000:]}")
    answer: dict[str, object] = json.loads(completed.stdout)
    return answer


def bench_catalogue(
    name: str, directory: Path, count: int, seed: int, repeat: int, with_reference: bool
) -> None:
    catalogue = load_catalogue(directory)
    pool = companies(catalogue, count, seed)
    pairs = count * len(sorted_slugs(directory))
    print(
        f"\n## {name}: {len(catalogue.programmes)} programmes (+{len(catalogue.refused)} refused), {count} companies"
    )
    ours_s, ours_wall, our_results, inconsistent = ours(directory, pool, repeat)
    print(
        f"ours      : {ours_s:8.3f} s CPU, {ours_s / pairs * 1e6:8.2f} µs per pair, {ours_wall:8.3f} s wall"
        f"   load {load()}"
    )
    if inconsistent:
        print(f"ours: {inconsistent} timed answers disagree with the engine's values")
    if not with_reference:
        print(
            f"BENCH | eligibility, {name}, {count} companies × {pairs // count} programmes | ≥ {TARGET_RATIO:.0f}× "
            f"the reference | reference not run; ours {ours_s:.2f} s CPU | load {load()}"
        )
        return
    answer = reference(directory, catalogue, pool)
    ref_s = float(answer["evaluate_cpu_s"])  # type: ignore[arg-type]
    ref_wall = float(answer["evaluate_wall_s"])  # type: ignore[arg-type]
    print(
        f"reference : {ref_s:8.3f} s CPU, {ref_s / pairs * 1e6:8.2f} µs per pair, {ref_wall:8.3f} s wall"
        f"   load {load()}"
    )
    their_results = answer["results"]
    assert isinstance(their_results, list)
    differing = inconsistent + sum(
        mine != theirs
        for my_row, their_row in zip(our_results, their_results, strict=True)
        for mine, theirs in zip(my_row, their_row, strict=True)
    )
    refused_ours = {slug for slug in sorted_slugs(directory) if slug in catalogue.refused}
    refused = answer["refused"]
    assert isinstance(refused, list)
    refused_theirs = {slug for slug, reason in zip(sorted_slugs(directory), refused, strict=True) if reason}
    print(
        f"refused programmes: ours {len(refused_ours)}, reference {len(refused_theirs)}, same: {refused_ours == refused_theirs}"
    )
    ratio = ref_s / ours_s if ours_s else float("inf")
    wall_ratio = ref_wall / ours_wall if ours_wall else float("inf")
    print()
    print("| measure | target | measured | load average |")
    print("|---|---|---|---|")
    print(
        f"| eligibility, {name}, {count} companies × {pairs // count} programmes, CPU time "
        f"| ≥ {TARGET_RATIO:.0f}× the reference | **{ratio:.1f}×** ({ours_s:.2f} s vs {ref_s:.2f} s) | {load()} |"
    )
    print(f"| same, wall time | — | {wall_ratio:.1f}× ({ours_wall:.2f} s vs {ref_wall:.2f} s) | {load()} |")
    print(f"| results differing from the reference ({pairs:,} pairs) | 0 | **{differing}** | |")
    print(
        f"BENCH | eligibility, {name}, {count} companies × {pairs // count} programmes, CPU | ≥ {TARGET_RATIO:.0f}× "
        f"the reference, 0 differing | {ratio:.1f}× CPU ({ours_s:.2f} s vs {ref_s:.2f} s), {wall_ratio:.1f}× wall "
        f"({ours_wall:.2f} s vs {ref_wall:.2f} s), {differing} differing of {pairs:,} | load {load()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=200, help="companies compared with the reference")
    parser.add_argument(
        "--scale", type=int, default=1000, help="companies for our engine alone (full catalogue)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours, the median is printed")
    parser.add_argument("--no-reference", action="store_true", help="time our engine alone")
    arguments = parser.parse_args(argv)
    why_not = None if arguments.no_reference else reference_ready()
    if why_not:
        print(f"reference engine skipped: {why_not}")
    with_reference = not arguments.no_reference and why_not is None
    bench_catalogue(
        "shipped catalogue", SHIPPED, arguments.companies, arguments.seed, arguments.repeat, with_reference
    )
    if not FULL.is_dir():
        print(f"\nfull catalogue skipped: {FULL} is not there")
        return 0
    bench_catalogue(
        "full MTE catalogue", FULL, arguments.companies, arguments.seed, arguments.repeat, with_reference
    )
    catalogue = load_catalogue(FULL)
    pool = companies(catalogue, arguments.scale, arguments.seed + 1)
    seconds = cpu(lambda: evaluate_all(catalogue, pool))
    print(
        f"| eligibility, full MTE catalogue, {arguments.scale:,} companies, our engine alone | — "
        f"| **{seconds:.2f} s CPU** ({seconds / arguments.scale * 1e3:.2f} ms per company) | {load()} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
