"""Command line: ``aligntheory verify | list | cite | ibn analyse``.

``verify`` runs the registered claims (quick tier on CPU by default) with a live progress table
and writes ``report.md``, ``report.html`` and ``evidence.json`` (plus PNG plots) into ``--out``.
Exit status: 0 when no claim fails, 1 when one does, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence

from aligntheory import __version__
from aligntheory.config import configure
from aligntheory.errors import AlignTheoryError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from aligntheory.proofs_check import RICE, STAGES

    p = argparse.ArgumentParser(prog="aligntheory", description="Verified mathematics of AI alignment.")
    p.add_argument("--version", action="version", version=f"aligntheory {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("verify", help="run registered claims and write a report")
    v.add_argument("--pillar", action="append", default=[], help="only this pillar (repeatable)")
    v.add_argument("--claim", action="append", default=[], help="only this claim id (repeatable)")
    v.add_argument("--rice", action="append", default=[], choices=RICE, help="only claims with this RICE tag")
    v.add_argument("--stage", action="append", default=[],
                   choices=sorted(set(STAGES) | {s.split(":")[0] for s in STAGES}),
                   help="only claims of this alignment-cycle stage (or 'forward' / 'backward')")
    v.add_argument("--tier", choices=("quick", "full"), default="quick")
    v.add_argument("--seed", type=int, default=0)
    v.add_argument("--device", choices=("cpu", "gpu"), default=None,
                   help="JAX platform (default: JAX's choice, which is the GPU when one is present)")
    v.add_argument("--out", default="verify-report", help="report directory (default: verify-report)")

    ls = sub.add_parser("list", help="list registered claims")
    ls.add_argument("--pillar", action="append", default=[])

    c = sub.add_parser("cite", help="print BibTeX of the sources behind a claim")
    c.add_argument("claim_id")

    ibn = sub.add_parser("ibn", help="reward generalization over comparison graphs (IBN pillar) tools")
    ibn_sub = ibn.add_subparsers(dest="ibn_command", required=True)
    an = ibn_sub.add_parser("analyse", help="analyse the comparison graph of a preference dataset (JSON Lines)")
    an.add_argument("file", help="JSON Lines: prompt/chosen/rejected records or model_a/model_b/winner battles")
    an.add_argument("--out", default=None, help="directory for analysis.json, scores.csv and ibn_analysis.png")
    an.add_argument("--target-variance", type=float, default=None, help="target inference distance (variance)")
    an.add_argument("--beta", type=float, default=1.0)
    an.add_argument("--ib-var", type=float, default=4.0, help="variance of response-prompt IB edges [R]")
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


def _cmd_verify(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    configure(device=args.device)
    import jax

    from aligntheory.proofs_check import Context, load_all
    from aligntheory.report import write_report

    reg = load_all()
    claims = reg.select(pillars=args.pillar, ids=args.claim, rice=args.rice, stages=args.stage)
    if not claims:
        print("no claim matches the filters", file=sys.stderr)
        return 2
    device = args.device or jax.default_backend()
    ctx = Context(seed=args.seed, tier=args.tier, device=device)
    console = Console()
    colour = {"PASS": "green", "FAIL": "red", "CONTRADICTED": "magenta", "INCONCLUSIVE": "yellow"}
    status = ["pending"] * len(claims)
    secs: list[float | None] = [None] * len(claims)

    def table() -> Table:
        t = Table(title=f"aligntheory verify — tier {ctx.tier}, seed {ctx.seed}, device {device}")
        for col in ("claim", "kind", "tag", "verdict", "s"):
            t.add_column(col)
        for c, st, s in zip(claims, status, secs):
            style = colour.get(st, "dim" if st == "pending" else "cyan")
            t.add_row(c.id, c.kind, f"[{c.provenance}]", f"[{style}]{st}[/{style}]", "" if s is None else f"{s:.1f}")
        return t

    evidence = []
    t0 = time.perf_counter()
    with Live(table(), console=console, refresh_per_second=4, transient=not console.is_terminal) as live:
        for i, c in enumerate(claims):
            status[i] = "running"
            live.update(table())
            ev = c.run(ctx)
            evidence.append(ev)
            status[i], secs[i] = ev.verdict.value, ev.seconds
            live.update(table())
    wall = time.perf_counter() - t0
    if not console.is_terminal:
        console.print(table())
    meta = {"tier": ctx.tier, "seed": ctx.seed, "device": device, "wall_seconds": round(wall, 2),
            "platform": platform.platform(), **_versions()}
    paths = write_report(args.out, claims, evidence, meta=meta)
    n_fail = sum(ev.verdict.value == "FAIL" for ev in evidence)
    n_inc = sum(ev.verdict.value == "INCONCLUSIVE" for ev in evidence)
    n_con = sum(ev.verdict.value == "CONTRADICTED" for ev in evidence)
    console.print(f"{len(claims) - n_fail - n_inc - n_con} passed, {n_fail} failed, {n_con} contradicted, "
                  f"{n_inc} inconclusive "
                  f"in {wall:.1f} s; report: {paths['md'].parent}/ (report.md, report.html, evidence.json)")
    for ev in evidence:
        if ev.verdict.value == "FAIL":
            console.print(f"[red]FAIL[/red] {ev.claim_id}: {ev.details}")
    return 1 if n_fail else 0


def _cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from aligntheory.proofs_check import load_all

    claims = load_all().select(pillars=args.pillar)
    t = Table(title=f"{len(claims)} registered claims")
    for col in ("id", "pillar", "kind", "tag", "rice", "stage", "statement"):
        t.add_column(col, overflow="fold")
    for c in claims:
        t.add_row(c.id, c.pillar, c.kind, c.provenance, ",".join(sorted(c.rice)), c.stage, c.statement)
    Console(width=200).print(t)
    return 0


def _cmd_cite(args: argparse.Namespace) -> int:
    from aligntheory.proofs_check import load_all

    print(load_all().get(args.claim_id).bibtex())
    return 0


def _cmd_ibn(args: argparse.Namespace) -> int:
    from aligntheory.analysis.ibn import run_cli

    return run_cli(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aligntheory`` console script; returns the exit status.

    Examples
    --------
    >>> main(["cite", "ibn.foster_theorem"])  # doctest: +ELLIPSIS
    @incollection{foster1949average,
    ...
    0
    """
    args = _parser().parse_args(argv)
    try:
        return {"verify": _cmd_verify, "list": _cmd_list, "cite": _cmd_cite, "ibn": _cmd_ibn}[args.command](args)
    except AlignTheoryError as exc:
        print(f"aligntheory: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
