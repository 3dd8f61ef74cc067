"""Tally of issue 11's 250-mutant sample after the round-3 claims (docs/mutation-report/README.md).

``python -m tools.mutation_tally`` reads the per-mutant results of the round-1 and round-2 runs
(``docs/mutation-report/<sample>/results.jsonl``), the survivors re-judged by hand since (the kill
tables of ``claims-rejudge-r2/README.md``, ``ibn-r2/README.md``, ``elasticity-r2/README.md`` and
``claims-r3/*.md``) and ``tools/mutate_equivalent.txt``, and prints, per pillar, the claims-alone
kill rate, the same without the ``contract`` claims, and claims + tests + doctests.
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "docs" / "mutation-report"
SAMPLES = ("social_choice", "progress", "safety", "elasticity", "ibn", "ibn-r2", "elasticity-r2")
# claim survivors killed by a test added after the samples ran (checked with tools.mutate --tests-only)
LATER_TESTS = {"c0eafcba84"}  # tests/analysis/test_preferences_scale.py::test_cli_defaults_are_the_library_defaults
_ROW = re.compile(r"^\| `([0-9a-f]{10})`", re.M)


def _ids(path: Path) -> set[str]:
    return set(_ROW.findall(path.read_text()))


def tally() -> dict[str, list[int]]:
    """pillar -> [non-equivalent, claims alone, claims without contract claims, claims + tests]."""
    eq = set(re.findall(r"^([0-9a-f]{10})\b", (ROOT / "tools" / "mutate_equivalent.txt").read_text(), re.M))
    rejudged = set().union(*(_ids(REPORTS / d / "README.md") for d in ("claims-rejudge-r2", "ibn-r2", "elasticity-r2")))
    by_r3: dict[str, str] = {}
    for f in sorted((REPORTS / "claims-r3").glob("*.md")):
        for line in f.read_text().splitlines():
            m = _ROW.match(line)
            if m:
                by_r3.setdefault(m.group(1), [c.strip() for c in line.strip().strip("|").split("|")][3])
    new_tests = _ids(REPORTS / "README.md")  # "Survivors killed by new tests"
    out: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    for sample in SAMPLES:
        for line in (REPORTS / sample / "results.jsonl").read_text().splitlines():
            r = json.loads(line)
            i = r["id"]
            if i in eq:
                continue
            killer = r["claims"].get("state") in ("killed", "timeout") or i in rejudged or i in by_r3
            contract_only = i in by_r3 and "failure_contract" in by_r3[i] and not re.search(
                r"\.(?!failure_contract)[a-z_]{6,}", by_r3[i].split("(")[0])
            tests = (r.get("tests") or {}).get("state") == "killed" or i in new_tests or i in LATER_TESTS
            for key in (sample.replace("-r2", ""), "all"):
                row = out[key]
                row[0] += 1
                row[1] += killer
                row[2] += killer and not contract_only
                row[3] += killer or tests
    return dict(out)


def main() -> None:
    t = tally()
    print("| pillar | non-equivalent | claims alone | claims alone, contract claims left out | claims + tests + doctests |")
    print("|---|---|---|---|---|")
    for k in ("social_choice", "progress", "safety", "elasticity", "ibn", "all"):
        n, c, cm, ct = t[k]
        print(f"| {k} | {n} | {c}/{n} = {100 * c / n:.1f} % | {cm}/{n} = {100 * cm / n:.1f} % "
              f"| {ct}/{n} = {100 * ct / n:.1f} % |")


if __name__ == "__main__":
    main()
