"""Repeat the README's test command without ``CI`` and count the runs in a row that pass (issue 11).

Usage::

    python -m tools.flakes --runs 30            # the hypothesis-driven tests, 30 fresh seeds
    python -m tools.flakes --runs 3 --whole     # the README command itself, three times

Without ``CI`` the suite loads the hypothesis ``dev`` profile, which is not derandomized: each run
draws new examples. Every other input of the suite is seeded, so the part of a run that can differ
from the previous run is the hypothesis-driven tests (and wall-clock limits, which the suite states
with margins for a loaded machine). The default mode therefore runs only those tests
(``-p tools._hypothesis_only``), each run with its own ``--hypothesis-seed`` written to the report so
a failure can be replayed with ``python -m pytest -p tools._hypothesis_only --hypothesis-seed=S``.
``--whole`` runs the README command unchanged (no plugin, no seed), which is what a newcomer runs.

The report (``--out``, default ``flake-report/``) holds ``runs.jsonl`` (one line per run: mode,
seed, exit status, pytest's summary line, failed test ids, seconds) and ``README.md`` (a table and
the longest streak of passing runs). The exit status is 1 when any run failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s", re.M)
_COUNT = re.compile(r"(\d+) (\w+)")
_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)


def command(*, whole: bool, jobs: int, seed: int | None) -> list[str]:
    """The pytest command line of one run: the README's, or the hypothesis tests at ``seed``."""
    cmd = [sys.executable, "-m", "pytest", "-n", str(jobs), "-q"]
    if not whole:
        cmd += ["-p", "tools._hypothesis_only", f"--hypothesis-seed={seed}"]
    return cmd


def parse_summary(text: str) -> dict:
    """Counts of pytest's last summary line (``{"passed": 3, "failed": 1, ...}``) and failed ids.

    Examples
    --------
    >>> out = "FAILED tests/a.py::t - x\\n==== 1 failed, 2 passed, 4 deselected in 3.1s ===="
    >>> parse_summary(out)
    {'counts': {'failed': 1, 'passed': 2, 'deselected': 4}, 'failed': ['tests/a.py::t']}
    """
    lines = _SUMMARY.findall(text)
    counts = {k: int(v) for v, k in _COUNT.findall(lines[-1])} if lines else {}
    return {"counts": counts, "failed": _FAILED.findall(text)}


def streaks(passed: list[bool]) -> tuple[int, int]:
    """(longest run of consecutive passes, passes at the end of the list).

    Examples
    --------
    >>> streaks([True, True, False, True])
    (2, 1)
    """
    longest = current = 0
    for ok in passed:
        current = current + 1 if ok else 0
        longest = max(longest, current)
    return longest, current


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run(runs: int, *, whole: bool, jobs: int, seed: int | None, out: Path,
        append: bool = False) -> list[dict]:
    """Run the command ``runs`` times; write one record per run to ``out/runs.jsonl``.

    With ``append`` the records of earlier invocations in ``out`` are kept and returned first, so a
    long series can be run in pieces and reported as one.
    """
    out.mkdir(parents=True, exist_ok=True)
    log = out / "runs.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()] if append and log.exists() else []
    if not append:
        log.write_text("")
    draw = random.Random(seed)
    first = len(records)
    for k in range(runs):
        hseed = None if whole else draw.randrange(2**32)
        t0 = time.monotonic()
        proc = subprocess.run(command(whole=whole, jobs=jobs, seed=hseed), cwd=ROOT, env=_env(),
                              capture_output=True, text=True)
        parsed = parse_summary(proc.stdout + proc.stderr)
        rec = {"run": first + k + 1, "mode": "whole" if whole else "hypothesis", "hypothesis_seed": hseed,
               "rc": proc.returncode, **parsed, "seconds": round(time.monotonic() - t0, 1)}
        if proc.returncode != 0:
            rec["tail"] = (proc.stdout + proc.stderr)[-4000:]
        records.append(rec)
        with open(log, "a") as fh:
            fh.write(json.dumps(rec) + "\n")
        print(f"run {first + k + 1}/{first + runs}: rc={proc.returncode} {parsed['counts']} {rec['seconds']} s"
              + (f" seed={hseed}" if hseed is not None else ""), flush=True)
    return records


def write_report(records: list[dict], out: Path) -> str:
    """A markdown table of the runs and the streak line; written to ``out/README.md``."""
    longest, current = streaks([r["rc"] == 0 for r in records])
    rows = ["| run | mode | hypothesis seed | exit | counts | failed | seconds |", "|---|---|---|---|---|---|---|"]
    for r in records:
        counts = ", ".join(f"{v} {k}" for k, v in r["counts"].items())
        rows.append(f"| {r['run']} | {r['mode']} | {r['hypothesis_seed']} | {r['rc']} | {counts} | "
                    f"{' '.join(r['failed']) or '-'} | {r['seconds']} |")
    head = (f"{len(records)} runs, {sum(r['rc'] == 0 for r in records)} passed; longest streak of "
            f"passing runs {longest}, current streak {current}.")
    text = head + "\n\n" + "\n".join(rows) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(text)
    return head


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.flakes", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--jobs", type=int, default=2, help="pytest-xdist workers (the README uses 2)")
    p.add_argument("--whole", action="store_true", help="run the README command itself")
    p.add_argument("--seed", type=int, default=None,
                   help="draws the runs' hypothesis seeds (default: fresh entropy; each seed is reported)")
    p.add_argument("--out", type=Path, default=Path("flake-report"))
    p.add_argument("--append", action="store_true", help="keep the runs already in --out and add to them")
    a = p.parse_args(argv)
    if a.runs < 1 or a.jobs < 1:
        p.error("--runs and --jobs must be at least 1")
    records = run(a.runs, whole=a.whole, jobs=a.jobs, seed=a.seed, out=a.out, append=a.append)
    print(write_report(records, a.out))
    return 0 if all(r["rc"] == 0 for r in records) else 1


if __name__ == "__main__":
    raise SystemExit(main())
