"""Command line: ``aligntheory verify | list | cite | ibn analyse | ibn chain-tree | arena | safety multiplier``.

``verify`` runs the registered claims (quick tier by default) and writes ``report.md``,
``report.html`` and ``evidence.json`` (plus PNG plots) into ``--out``. On a terminal it shows a
live table with elapsed times; when stdout is not a terminal (CI logs, pipes) it prints one line
per finished claim (id, verdict, seconds). ``--seeds 0-19`` (ranges and lists: ``0,3,5-7``) runs
each selected claim at every listed seed and reports per-claim pass rates; a claim whose first run read
no seed (``Evidence.seed_used`` is ``False``: fixed tables, exhaustive searches, contract claims) is the
same computation at every seed, so it runs once and the report says so.

Exit status: 0 when no run FAILs (PASS, CONTRADICTED and INCONCLUSIVE do not fail a run), 1 when
one does at any seed, 2 on a usage error (unknown pillar or claim, bad seeds, an ``--out`` that
cannot be written: checked before any claim runs) or a missing optional dependency.

Dependencies: ``list`` and ``cite`` run on the slim core (``pip install aligntheory``: the
registry loads without JAX, the solvers or rich; without rich, ``list`` prints a plain table).
``verify`` and ``list --coverage`` run claims and need the ``verify`` extra
(``pip install 'aligntheory[verify]'``); without it they print one line naming the extra and
exit 2. A sub-command that meets another missing optional package does the same.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligntheory import __version__
from aligntheory._optional import EXTRA_OF, available, missing
from aligntheory.config import configure
from aligntheory.errors import AlignTheoryError, InvalidInputError

__all__ = ["main", "parse_seeds", "ANALYSIS_COMMANDS"]

ANALYSIS_COMMANDS = ("arena", "safety")
"""Modules of :mod:`aligntheory.analysis` that add a sub-command through ``add_cli(subparsers)`` and
run it with ``run_cli(args)`` (``aligntheory arena FILE``, ``aligntheory safety multiplier LOGFILE``)."""

_COLOUR = {"PASS": "green", "FAIL": "red", "CONTRADICTED": "magenta", "INCONCLUSIVE": "yellow"}
MAX_SEEDS = 10_000


def parse_seeds(text: str) -> list[int]:
    """Parse a seed list: comma-separated non-negative integers and inclusive ranges ``a-b``.

    Duplicates are dropped, order is kept.

    Raises
    ------
    InvalidInputError
        On an empty list, a malformed item, a decreasing range or more than 10,000 seeds.

    Examples
    --------
    >>> parse_seeds("0-3")
    [0, 1, 2, 3]
    >>> parse_seeds("0,3,5-7,3")
    [0, 3, 5, 6, 7]
    >>> parse_seeds("5-2")
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: seeds: ...
    """
    seeds: list[int] = []
    for raw in str(text).split(","):
        item = raw.strip()
        lo_s, sep, hi_s = item.partition("-")
        try:
            lo = int(lo_s)
            hi = int(hi_s) if sep else lo
        except ValueError:
            raise InvalidInputError("seeds", "must be non-negative integers or ranges a-b, comma-separated "
                                    "(e.g. 0-19 or 0,3,5-7)", received=text) from None
        if lo < 0 or hi < lo:
            raise InvalidInputError("seeds", f"range {item!r} must satisfy 0 <= a <= b", received=text)
        if hi - lo + 1 + len(seeds) > MAX_SEEDS:
            raise InvalidInputError("seeds", f"at most {MAX_SEEDS} seeds", received=text)
        seeds.extend(range(lo, hi + 1))
    out = list(dict.fromkeys(seeds))
    if not out:
        raise InvalidInputError("seeds", "must list at least one seed", received=text)
    return out


def _parser() -> argparse.ArgumentParser:
    from aligntheory.proofs_check import RICE, STAGES

    p = argparse.ArgumentParser(prog="aligntheory", description="Verified mathematics of AI alignment.")
    p.add_argument("--version", action="version", version=f"aligntheory {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("verify", help="run registered claims and write a report")
    v.add_argument("--pillar", action="append", default=[], help="only this pillar (repeatable)")
    v.add_argument("--claim", action="append", default=[], help="only this claim id or former id (repeatable)")
    v.add_argument("--rice", action="append", default=[], choices=RICE, help="only claims with this RICE tag")
    v.add_argument("--stage", action="append", default=[],
                   choices=sorted(set(STAGES) | {s.split(":")[0] for s in STAGES}),
                   help="only claims of this alignment-cycle stage (or 'forward' / 'backward')")
    v.add_argument("--tier", choices=("quick", "full"), default="quick")
    seeds = v.add_mutually_exclusive_group()
    seeds.add_argument("--seed", type=int, default=None, help="one seed (default 0)")
    seeds.add_argument("--seeds", default=None,
                       help="several seeds: ranges and lists such as 0-19 or 0,3,5-7; reports per-claim pass rates")
    v.add_argument("--device", choices=("cpu", "gpu"), default=None,
                   help="JAX platform (default: JAX's choice, which is the GPU when one is present)")
    v.add_argument("--out", default="verify-report", help="report directory (default: verify-report)")

    ls = sub.add_parser("list", help="list registered claims (or, with --coverage, the public names they reach)")
    ls.add_argument("--pillar", action="append", default=[])
    ls.add_argument("--claim", action="append", default=[], help="only this claim id (repeatable)")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ls.add_argument("--coverage", action="store_true",
                    help="run each claim at the quick tier under a tracer and report which public names of "
                         "theory/kernels/numerics/analysis it reaches, and the names no claim reaches")
    ls.add_argument("--out", default="verify-report",
                    help="directory for coverage.json (with --coverage; default: verify-report)")

    c = sub.add_parser("cite", help="print BibTeX of the sources behind a claim")
    c.add_argument("claim_id", help="claim id (a former id is accepted)")

    ibn = sub.add_parser("ibn", help="reward generalization over comparison graphs (IBN pillar) tools")
    ibn_sub = ibn.add_subparsers(dest="ibn_command", required=True)
    from aligntheory.analysis import ibn as _ibn_analysis  # numpy/scipy only: works on the slim core

    _ibn_analysis.add_cli(ibn_sub)  # `ibn analyse` with all its options, and `ibn chain-tree` (issue 16)

    for name in ANALYSIS_COMMANDS:  # workflows on user data that bring their own sub-command
        try:
            mod = importlib.import_module(f"aligntheory.analysis.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"aligntheory.analysis.{name}":
                continue
            raise
        if hasattr(mod, "add_cli") and hasattr(mod, "run_cli"):
            mod.add_cli(sub).set_defaults(_run=mod.run_cli)
    return p


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for name in ("jax", "jaxlib", "numpy", "scipy", "sympy", "networkx", "cvxpy"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


def _summary(counts: dict[str, int]) -> str:
    return (f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['CONTRADICTED']} contradicted, "
            f"{counts['INCONCLUSIVE']} inconclusive")


def _needs_extra(command: str, extra: str) -> int | None:
    """Exit status 2 with one line naming ``extra`` when part of it is not installed, else None."""
    absent = missing(extra)
    if not absent:
        return None
    print(f"aligntheory: error: '{command}' needs the {extra} extra (not installed: {', '.join(absent)}): "
          f"python -m pip install 'aligntheory[{extra}]'", file=sys.stderr)
    return 2


def _cmd_verify(args: argparse.Namespace) -> int:
    status = _needs_extra("aligntheory verify", "verify")
    if status is not None:
        return status
    from rich.console import Console
    from rich.live import Live
    from rich.markup import escape
    from rich.table import Table

    from aligntheory.report import ensure_writable, write_report

    seeds = parse_seeds(args.seeds) if args.seeds is not None else [0 if args.seed is None else args.seed]
    if any(s < 0 for s in seeds):
        raise InvalidInputError("seed", "must be a non-negative integer", received=seeds)
    ensure_writable(args.out)  # before any claim runs: an unwritable --out costs nothing
    configure(device=args.device)
    import jax

    from aligntheory.proofs_check import Context, load_all

    try:  # the first use of JAX initialises its backends: a missing platform is a usage error
        device = jax.devices(args.device)[0].platform if args.device else jax.default_backend()
    except Exception as exc:  # RuntimeError, or an AssertionError from jax when jax_platforms names no plugin
        why = (str(exc).splitlines() or [type(exc).__name__])[0] or type(exc).__name__
        raise InvalidInputError("device", f"JAX cannot use this platform here ({why})",
                                received=args.device) from None
    reg = load_all()
    claims = reg.select(pillars=args.pillar, ids=args.claim, rice=args.rice, stages=args.stage)
    if not claims:
        print("aligntheory: error: no claim matches the filters", file=sys.stderr)
        return 2
    multi = len(seeds) > 1
    console = Console()
    live_mode = console.is_terminal
    if not live_mode:  # CI logs and pipes: wide enough that ids and the summary line are not cut
        console = Console(width=max(160, shutil.get_terminal_size((160, 24)).columns))
    verdicts: list[list[str]] = [[] for _ in claims]
    secs = [0.0] * len(claims)
    running: list[Any] = [None, None]  # (row index, start time)
    t_start = time.perf_counter()
    seed_text = args.seeds if multi else str(seeds[0])

    def table() -> Table:
        now = time.perf_counter()
        t = Table(title=f"aligntheory verify — tier {args.tier}, seed{'s' if multi else ''} {seed_text}, "
                        f"device {device} — {now - t_start:.0f} s")
        for col in ("claim", "kind", "tag", "verdict", "s"):
            t.add_column(col)
        for i, c in enumerate(claims):
            vs = verdicts[i]
            elapsed = secs[i] + (now - running[1] if running[0] == i else 0.0)
            if running[0] == i:
                cell = "[cyan]running[/cyan]" + (f" ({len(vs)}/{len(seeds)})" if multi else "")
            elif not vs:
                cell = "[dim]pending[/dim]"
            elif multi and i in independent:
                cell = f"[{_COLOUR[vs[0]]}]{vs[0]}[/{_COLOUR[vs[0]]}] (reads no seed: 1 run)"
            elif multi:
                cell = " ".join(f"[{_COLOUR[v]}]{v} {vs.count(v)}[/{_COLOUR[v]}]" for v in _COLOUR if v in vs)
            else:
                cell = f"[{_COLOUR[vs[0]]}]{vs[0]}[/{_COLOUR[vs[0]]}]"
            t.add_row(escape(c.id), escape(c.kind), escape(f"[{c.provenance}]"), cell, f"{elapsed:.1f}" if (vs or running[0] == i) else "")
        return t

    run_claims, evidence = [], []
    independent: set[int] = set()  # claims whose first run read no seed: the same computation at every seed

    def run_all(on_done) -> None:
        for n, s in enumerate(seeds):
            ctx = Context(seed=s, tier=args.tier, device=args.device)
            for i, c in enumerate(claims):
                if i in independent:
                    continue
                running[0], running[1] = i, time.perf_counter()
                ev = c.run(ctx)
                running[0] = None
                run_claims.append(c)
                evidence.append(ev)
                verdicts[i].append(ev.verdict.value)
                secs[i] += ev.seconds or 0.0
                if multi and n == 0 and ev.seed_used is False:
                    independent.add(i)
                on_done(c, ev)

    if live_mode:
        with Live(console=console, refresh_per_second=4, get_renderable=table):
            run_all(lambda c, ev: None)
    else:
        def line(c, ev) -> None:
            seed_part = f" seed {ev.seed}" if multi else ""
            print(f"{c.id}{seed_part} {ev.verdict.value} {ev.seconds or 0:.1f}s", flush=True)

        run_all(line)
    wall = time.perf_counter() - t_start
    meta = {"tier": args.tier, "seeds": seed_text, "device": device, "wall_seconds": round(wall, 2),
            "platform": platform.platform(), **_versions()}
    paths = write_report(args.out, run_claims, evidence, meta=meta)
    counts = {v: sum(ev.verdict.value == v for ev in evidence) for v in _COLOUR}
    if multi:
        from rich.table import Table as T

        from aligntheory.report import pass_rates

        rates = pass_rates(run_claims, evidence)
        t = T(title=f"pass rates over {len(seeds)} seeds ({seed_text})")
        for col in ("claim", "runs", "PASS", "FAIL", "CONTRADICTED", "INCONCLUSIVE", "pass rate"):
            t.add_column(col)
        once = {claims[i].id for i in independent}
        for cid, r in rates.items():
            t.add_row(escape(cid), str(r["runs"]) + (" (reads no seed)" if cid in once else ""), str(r["PASS"]),
                      str(r["FAIL"]), str(r["CONTRADICTED"]), str(r["INCONCLUSIVE"]), f"{r['pass_rate']:.2f}")
        console.print(t)
        if once:
            console.print(f"{len(once)} of {len(claims)} claims read no seed (Evidence.seed_used is False): each ran "
                          f"once, at seed {seeds[0]}; the same computation stands for every seed listed.",
                          highlight=False, soft_wrap=True)
    runs = (f" ({len(claims)} claims × {len(seeds)} seeds; {len(evidence)} runs: {len(independent)} claim(s) read no "
            f"seed and ran once)" if multi else "")
    console.print(f"{_summary(counts)}{runs} in {wall:.1f} s; "
                  f"report: {escape(str(paths['md'].parent))}/ (report.md, report.html, evidence.json)",
                  highlight=False, soft_wrap=True)
    for ev in evidence:
        if ev.verdict.value in ("FAIL", "CONTRADICTED"):
            v = ev.verdict.value
            seed_part = f" (seed {ev.seed})" if multi else ""
            console.print(f"[{_COLOUR[v]}]{v}[/{_COLOUR[v]}] {escape(ev.claim_id)}{seed_part}: {escape(ev.details)}",
                          highlight=False, soft_wrap=True)
    return 1 if counts["FAIL"] else 0


def _claim_record(c: Any) -> dict[str, Any]:
    return {"id": c.id, "pillar": c.pillar, "kind": c.kind, "provenance": c.provenance, "rice": sorted(c.rice),
            "stage": c.stage, "statement": c.statement, "tolerance": c.tolerance, "aliases": list(c.aliases),
            "sources": [s.label() for s in c.sources]}


def _plain_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """A table without rich, at most ``width`` wide (an id longer than that excepted: never folded).

    Columns when the last one still gets 40 characters (it is wrapped); otherwise one block per row:
    the first cell on its own line, the others wrapped below it, indented.
    """
    import textwrap

    widths = [max([len(h)] + [len(r[j]) for r in rows]) for j, h in enumerate(headers[:-1])]
    indent = sum(widths) + 2 * len(widths)
    lines = [title]
    if width - indent >= 40:
        for row in [list(headers), *rows]:
            head = "".join(f"{cell:<{w}}  " for cell, w in zip(row[:-1], widths))
            wrapped = textwrap.wrap(row[-1], width - indent) or [""]
            lines.append((head + wrapped[0]).rstrip())
            lines.extend(" " * indent + more for more in wrapped[1:])
        return "\n".join(lines)
    for row in rows:
        lines.append(row[0])
        text = " | ".join(f"{h}: {c}" for h, c in zip(headers[1:], row[1:]))
        lines.extend(textwrap.wrap(text, max(20, width), initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)


def _cmd_list(args: argparse.Namespace) -> int:
    from aligntheory.proofs_check import load_all

    claims = load_all().select(pillars=args.pillar, ids=args.claim)
    if args.coverage:
        return _needs_extra("aligntheory list --coverage", "verify") or _cmd_coverage(args, claims)
    if args.json:
        print(json.dumps([_claim_record(c) for c in claims], indent=2))
        return 0
    width = shutil.get_terminal_size((120, 24)).columns
    if not available("rich"):  # the slim core: a plain table with the statement wrapped to the terminal
        rows = [[c.id, c.pillar, c.kind, c.provenance, ",".join(sorted(c.rice)), c.stage, " ".join(c.statement.split())]
                for c in claims]
        print(_plain_table(f"{len(claims)} registered claims",
                           ("id", "pillar", "kind", "tag", "rice", "stage", "statement"), rows, width))
        return 0
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"{len(claims)} registered claims")
    t.add_column("id", no_wrap=True)  # an id is copied into --claim: never folded
    for col in ("pillar", "kind", "tag", "rice", "stage", "statement"):
        t.add_column(col, overflow="fold")
    for c in claims:
        t.add_row(*(escape(str(x)) for x in (c.id, c.pillar, c.kind, c.provenance, ",".join(sorted(c.rice)),
                                              c.stage, c.statement)))
    Console(width=max(60, width)).print(t)
    return 0


def _cmd_coverage(args: argparse.Namespace, claims: list) -> int:
    from aligntheory.proofs_check._coverage import claim_coverage
    from aligntheory.report import ensure_writable

    out = ensure_writable(args.out)
    configure()

    def progress(c, s) -> None:
        print(f"traced {c.id} {s:.1f}s", file=sys.stderr, flush=True)

    cov = claim_coverage(claims, progress=None if args.json else progress)
    data = cov.to_json()
    (Path(out) / "coverage.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    for cid, names in cov.per_claim.items():
        print(f"{cid} [{cov.verdicts[cid]}]: {len(names)} public name{'s' if len(names) != 1 else ''}")
        for n in names:
            print(f"    {n}")
    print(f"\n{len(cov.public) - len(cov.unreached)} of {len(cov.public)} public names reached; "
          f"{len(cov.unreached)} reached by no claim:")
    for n in cov.unreached:
        print(f"    {n}")
    print(f"coverage: {Path(out) / 'coverage.json'}")
    return 0


def _cmd_cite(args: argparse.Namespace) -> int:
    from aligntheory.proofs_check import load_all

    print(load_all().get(args.claim_id).bibtex())
    return 0


def _cmd_ibn(args: argparse.Namespace) -> int:
    from aligntheory.analysis.ibn import run_cli
    from aligntheory.report import ensure_writable

    if getattr(args, "out", None):
        ensure_writable(args.out)
    return run_cli(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aligntheory`` console script; returns the exit status.

    Errors of the library (unknown claim, bad seeds) and operating-system errors (an unwritable
    ``--out``) are one line on stderr and exit status 2, never a traceback.

    Examples
    --------
    >>> main(["cite", "ibn.foster_theorem"])  # doctest: +ELLIPSIS
    @incollection{foster1949average,
    ...
    0
    """
    args = _parser().parse_args(argv)
    commands = {"verify": _cmd_verify, "list": _cmd_list, "cite": _cmd_cite, "ibn": _cmd_ibn}
    try:
        return int(commands[args.command](args) if args.command in commands else args._run(args))
    except AlignTheoryError as exc:
        print(f"aligntheory: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"aligntheory: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except ImportError as exc:  # an optional package met outside _optional.require: name its extra
        top = (exc.name or "").split(".", 1)[0]
        if top not in EXTRA_OF:
            raise
        print(f"aligntheory: error: {top} is not installed: python -m pip install 'aligntheory[{EXTRA_OF[top]}]'",
              file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
