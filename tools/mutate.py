"""Mutation testing of the claims and the tests: ``python -m tools.mutate --pillar ibn --sample 45 --seed 0``.

Enumerates single-token mutants (operators, comparisons, constants, ``and``/``or``, unary minus,
``True``/``False``; see :mod:`tools._mutate_sites`) of ``aligntheory/{theory,kernels,numerics,analysis}``,
draws a uniform sample with a seed, and runs each mutant in its **own copy** of the package and
tests (a snapshot taken once at the start; the shared checkout is never written to). Per mutant it
runs only what can see the mutation:

0. once per snapshot (cached in ``--baseline-file``): every claim, unmutated, at the quick tier
   and seed 0, under a tracer recording which package functions each claim runs
   (``tools/_mutate_runner.py``);
1. the claims that run the mutated function (module-level code: the claims that run the module
   or a module importing it), fastest first, stopping at the first kill; killed when a claim
   FAILs or a CONTRADICTED verdict appears or disappears against the baseline, when the run
   crashes, or when it times out;
2. for claim survivors, ``pytest -x`` on the mutated module's doctests and the test files that
   import it directly or transitively (static ``ast`` import map), nearest first; killed when a
   failure is confirmed (the killing test passes without the mutation), or on timeout.

Writes ``report.md``, ``report.json`` and ``results.jsonl`` (one line per mutant, appended as each
finishes; ``--resume`` continues an interrupted run) into ``--out``. See ``docs/mutation.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import hashlib
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from tools._mutate_exec import (
    _STOP,
    Mutant,
    Settings,
    _kill_all,
    _on_sigterm,
    _read_verdicts,
    claim_ids,
    claims_baseline,
    make_snapshot,
    run_mutants,
)
from tools._mutate_project import EQUIVALENTS, Project, all_sites, choose_sample, load_equivalents
from tools._mutate_report import _pct, summarise, write_report
from tools._mutate_sites import Site

__all__ = ["Project", "Mutant", "choose_sample", "load_equivalents", "main", "run_mutants"]


def _parser(project: Project) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.mutate", description=__doc__.split("\n\n")[0])
    p.add_argument("--pillar", default="all", help=f"one of {', '.join(project.pillars())} or 'all' (default)")
    p.add_argument("--sample", type=int, default=100, help="non-equivalent mutants to draw (0: all sites)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed")
    p.add_argument("--ids", nargs="+", default=None, help="run exactly these mutant ids (no sampling)")
    p.add_argument("--out", default="mutation-report", help="report directory (default: mutation-report)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds of the claims phase per mutant (raised to 3x the baseline seconds of the "
                        "claims it runs, plus 60 s, when that is longer)")
    p.add_argument("--tests-timeout", type=float, default=900.0, help="seconds of the tests phase per mutant")
    p.add_argument("--mem-limit", type=float, default=8.0,
                   help="GiB of resident memory per mutant's processes before they are killed and the mutant "
                        "counted like a timeout (default 8; 0: no limit)")
    p.add_argument("--jobs", type=int, default=1, help="mutants run at the same time (default 1)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--claims-only", action="store_true", help="run only the claims phase")
    mode.add_argument("--tests-only", action="store_true",
                      help="run only the tests phase, on every mutant, with no claims baseline (e.g. to re-judge "
                           "survivors with --ids after adding tests): the 'tests + doctests alone' figure")
    p.add_argument("--rev", default=None, help="snapshot this git revision instead of the working tree")
    p.add_argument("--equivalents", default=str(EQUIVALENTS), help="file of judged-equivalent mutant ids")
    p.add_argument("--baseline-file", default=None,
                   help="cache of the traced claims baseline (default OUT/baseline.json); reused when the "
                        "package sources hash to the same value, so runs of several pillars share it")
    p.add_argument("--claim-seed", type=int, default=0, help="seed of the claims (Context.seed)")
    p.add_argument("--tier", choices=("quick", "full"), default="quick")
    p.add_argument("--no-ci-env", action="store_true", help="do not set CI=1 (hypothesis 'ci' profile) in the runs")
    p.add_argument("--jax-cache", default=None,
                   help="JAX persistent compilation cache shared by the runs (default: a fresh one in the "
                        "run's temporary directory; unmutated kernels then compile once)")
    p.add_argument("--no-jax-cache", action="store_true", help="no persistent JAX compilation cache")
    p.add_argument("--no-confirm", action="store_true",
                   help="credit a test kill without re-running the killing test on the unmutated code")
    p.add_argument("--resume", action="store_true", help="keep the results already in OUT/results.jsonl")
    p.add_argument("--report-only", action="store_true",
                   help="write the report of the mutants already in OUT/results.jsonl (of this sample) and run "
                        "nothing: for a run stopped before its end")
    p.add_argument("--list", action="store_true", help="print the sample and exit (runs nothing)")
    p.add_argument("--keep", action="store_true", help="keep each mutant's tree (debugging)")
    return p


def _select(project: Project, args, equivalents: dict[str, str]):
    """``(sites, chosen, excluded)`` of the run, or an exit status on a usage error."""
    sites = all_sites(project, args.pillar)
    sources = {rel: (project.root / rel).read_text(encoding="utf-8") for rel in {s.path for s in sites}}
    if args.ids:
        by_id = {s.id: s for s in sites}
        missing = [i for i in args.ids if i not in by_id]
        if missing:
            print(f"unknown mutant ids (for --pillar {args.pillar}): {', '.join(missing)}", file=sys.stderr)
            return 2
        return sites, [by_id[i] for i in args.ids], []
    chosen, excluded = choose_sample(sites, args.sample, args.seed, sources, equivalents)
    return sites, chosen, excluded


def sources_hash(root: Path, package: str) -> str:
    """SHA-256 of the package's ``.py`` files (paths and contents): the key of the baseline cache."""
    h = hashlib.sha256()
    for p in sorted((root / package).rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _baseline(project: Project, snapshot: Path, work: Path, path: Path, ci: bool, jax_cache: str | None):
    key = sources_hash(snapshot, project.package)
    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("sources_sha256") == key and saved.get("seed") == project.seed and saved.get("tier") == project.tier:
            print(f"baseline: reusing {path}", flush=True)
            return saved["claims"], {k: set(v) for k, v in saved["trace"].items()}
    print("baseline: every claim, unmutated and traced ...", flush=True)
    verdicts, trace, secs = claims_baseline(project, snapshot, work, 7200.0, ci, jax_cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"sources_sha256": key, "seed": project.seed, "tier": project.tier,
                                "seconds": round(secs, 1), "claims": verdicts,
                                "trace": {k: sorted(v) for k, v in trace.items()}}, indent=0))
    return verdicts, trace


def main(argv: Sequence[str] | None = None, project: Project | None = None) -> int:
    project = project or Project()
    args = _parser(project).parse_args(argv)
    _STOP.clear()
    if threading.current_thread() is threading.main_thread():  # SIGTERM cleans up like Ctrl-C
        signal.signal(signal.SIGTERM, _on_sigterm)
    project.seed, project.tier = args.claim_seed, args.tier
    pillars = project.pillars()
    if args.pillar != "all" and args.pillar not in pillars:
        print(f"unknown pillar {args.pillar!r}; choose from {', '.join(pillars)} or all", file=sys.stderr)
        return 2
    equivalents = load_equivalents(Path(args.equivalents))
    if args.list:
        sel = _select(project, args, equivalents)
        if isinstance(sel, int):
            return sel
        _sites, chosen, excluded = sel
        for s in chosen:
            print(f"{s.id}  {s.describe()}  | {s.mutated_line.strip()}")
        for s, how, r in excluded:
            print(f"{s.id}  excluded ({how}: {r})  {s.describe()}")
        return 0

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.jsonl"
    previous: dict[str, Mutant] = {}
    if args.report_only:
        args.resume = True
    if args.resume and results.exists():
        for rec in _read_verdicts(results):
            previous[rec["id"]] = Mutant(Site(**{k: v for k, v in rec["site"].items()
                                                 if k not in ("id", "mutated_line")}),
                                         rec["pillar"], rec["claims"], rec["tests"])
    elif results.exists():
        results.unlink()

    work = Path(tempfile.mkdtemp(prefix="aligntheory-mutate-"))
    if args.keep:
        print(f"work directory (kept): {work}", flush=True)
    if args.no_jax_cache:
        args.jax_cache = None
    elif args.jax_cache is None:
        args.jax_cache = str(work / "jax-cache")
    t_start = time.perf_counter()
    try:
        # everything below reads the snapshot, never the working tree (which others may be editing)
        snapshot = make_snapshot(project, work / "snapshot", rev=args.rev)
        project = dataclasses.replace(project, root=snapshot)
        sel = _select(project, args, equivalents)
        if isinstance(sel, int):
            return sel
        sites, chosen, excluded = sel
        previous = {k: v for k, v in previous.items() if k in {s.id for s in chosen}}
        baseline, trace = ({}, {}) if args.tests_only else _baseline(
            project, snapshot, work, Path(args.baseline_file or out / "baseline.json"), not args.no_ci_env,
            args.jax_cache)
        sources = {rel: (snapshot / rel).read_text(encoding="utf-8") for rel in {s.path for s in chosen}}
        settings = Settings(project, snapshot, work, baseline, claims_timeout=args.timeout,
                            tests_timeout=args.tests_timeout,
                            mem_limit=args.mem_limit * 2**30 if args.mem_limit > 0 else None, do_claims=not args.tests_only,
                            do_tests=not args.claims_only, tests_after_claims_only=not args.tests_only,
                            ci=not args.no_ci_env, jax_cache=args.jax_cache, keep=args.keep,
                            confirm=not args.no_confirm, trace=trace, sources=sources)
        todo = [] if args.report_only else [s for s in chosen if s.id not in previous]
        print(f"{len(chosen)} mutants ({len(previous)} already done), {len(excluded)} equivalents skipped",
              flush=True)

        def progress(i: int, n: int, m: Mutant) -> None:
            secs = m.claims.get("seconds", 0.0) + m.tests.get("seconds", 0.0)
            print(f"[{i}/{n}] {m.outcome:13s} {secs:6.1f} s  {m.site.describe()}", flush=True)

        ran = run_mutants(todo, settings, jobs=args.jobs, results=results, progress=progress)
        used = sorted({c for s in chosen for c in claim_ids(settings, s)})
    except BaseException:
        _kill_all()
        raise
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    by_id = {m.site.id: m for m in [*previous.values(), *ran]}
    if args.report_only:  # a stopped run: the sample is what was finished, in the seeded order
        chosen = [s for s in chosen if s.id in by_id]
    mutants = [by_id[s.id] for s in chosen if s.id in by_id]
    excluded_p = [(_WithPillar(s, project.pillar_of(s.path)), how, r) for s, how, r in excluded]
    rows = summarise(mutants, excluded_p, not args.tests_only, not args.claims_only, args.tests_only,
                     dict(Counter(project.pillar_of(s.path) for s in sites)))
    meta = {"command": "python -m tools.mutate " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "snapshot": args.rev or "working tree", "seed": args.seed, "sample": len(chosen), "sites": len(sites),
            "claims_timeout": settings.claims_timeout, "tests_timeout": settings.tests_timeout,
            "claims_baseline": baseline, "claims_used": used, "pillar": args.pillar,
            "flaky_tests": sorted(settings.flaky), "claims_seed": args.claim_seed, "tier": args.tier,
            "wall_seconds": round(time.perf_counter() - t_start, 1), "python": sys.version.split()[0]}
    paths = write_report(out, mutants, excluded_p, meta, rows)
    a = rows.get("all", {})
    figures = [] if args.tests_only else [f"claims alone: {_pct(a.get('claims_killed', 0), a.get('mutants', 0))}"]
    if args.tests_only:
        figures.append(f"tests + doctests alone: {_pct(a.get('tests_killed', 0), a.get('mutants', 0))}")
    elif not args.claims_only:
        figures.append(f"claims + tests + doctests: {_pct(a.get('combined_killed', 0), a.get('mutants', 0))}")
    print("; ".join([*figures, f"report: {paths['md']}"]))
    return 0


class _WithPillar:
    """A site seen through its pillar (for the per-pillar count of excluded equivalents)."""

    def __init__(self, site: Site, pillar: str):
        self._site, self.pillar = site, pillar

    def __getattr__(self, name):
        return getattr(self._site, name)


if __name__ == "__main__":
    sys.exit(main())
