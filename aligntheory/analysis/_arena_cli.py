"""Command line of the arena leaderboard: ``aligntheory arena FILE ...`` (published in
:mod:`aligntheory.analysis.arena` as :func:`add_cli` and :func:`run_cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from aligntheory._optional import require
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

if TYPE_CHECKING:
    from aligntheory.analysis._leaderboard import Leaderboard

__all__: list[str] = []




@provenance("M", where="command line")
def add_cli(subparsers: Any):
    """Add the ``arena`` command (``aligntheory arena FILE ...``) to an argparse sub-parsers object.

    Options mirror :func:`leaderboard` (``--ties``, ``--bootstrap``, ``--seed``, ``--scale``,
    ``--anchor MODEL=RATING``, ``--cluster COL``, ``--covariate COL`` (repeatable), ``--ci``,
    ``--prior-strength``) plus ``--out DIR``, ``--next K`` (suggested battles) and ``--top N``;
    ``set_defaults(func=run_cli)`` is set.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers(dest="command")
    >>> p = add_cli(sub)
    >>> a = p.parse_args(["battles.jsonl", "--ties", "davidson", "--anchor", "m=1114", "--bootstrap", "200"])
    >>> a.ties, a.anchor, a.bootstrap, a.func is run_cli
    ('davidson', 'm=1114', 200, True)
    """
    from aligntheory.analysis._leaderboard import _TIES

    p = subparsers.add_parser("arena", help="leaderboard from pairwise battles (model_a, model_b, winner)")
    p.add_argument("file", help="battles: JSON Lines, JSON array, CSV or Parquet")
    p.add_argument("--ties", choices=_TIES, default="half", help="tie model (default: half)")
    p.add_argument("--bootstrap", type=int, default=100, help="bootstrap rounds (default 100)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--scale", choices=("elo", "natural"), default="elo")
    p.add_argument("--anchor", default=None, metavar="MODEL=RATING", help="shift so that MODEL has RATING")
    p.add_argument("--cluster", default=None, metavar="COL", help="resample whole clusters of this column")
    p.add_argument("--covariate", action="append", default=[], metavar="COL", help="style covariate (repeatable)")
    p.add_argument("--ci", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--prior-strength", type=float, default=0.0, help="pseudo-battles per model (default 0)")
    p.add_argument("--out", default=None, metavar="DIR", help="write leaderboard.csv/.json, plots, diagnostics")
    p.add_argument("--next", type=int, default=5, metavar="K", help="suggest K next model pairs (default 5)")
    p.add_argument("--top", type=int, default=50, help="rows to print (default 50)")
    p.set_defaults(func=run_cli)
    return p


def _parse_anchor(text: str | None) -> tuple[str, float] | None:
    if text is None:
        return None
    if "=" not in text:
        raise InvalidInputError("--anchor", "must look like MODEL=RATING", received=text)
    name, _, val = text.rpartition("=")
    try:
        return name, float(val)
    except ValueError:
        raise InvalidInputError("--anchor", "RATING must be a number", received=val) from None


def _plots(lb: Leaderboard, out: Path) -> list[str]:
    from aligntheory.analysis._leaderboard import _expected_score

    matplotlib = require("matplotlib")
    matplotlib.use("Agg", force=False)
    plt = require("matplotlib.pyplot")

    n = lb.n_models
    y = np.arange(n)[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * n + 1.5))
    ax.errorbar(lb.rating, y, xerr=[lb.rating - lb.ci_low, lb.ci_high - lb.rating], fmt="o", ms=4, capsize=3)
    ax.set_yticks(y, [f"{m} (#{r})" if r else f"{m} (unranked)" for m, r in zip(lb.models, lb.rank)])
    ax.set(xlabel=f"rating ({lb.scale}); {int(lb.ci * 100)} % bootstrap interval", title="Leaderboard")
    fig.tight_layout()
    fig.savefig(out / "forest.png", dpi=110)
    plt.close(fig)
    d = lb.scores[:, None] - lb.scores[None, :]
    W = _expected_score(lb.ties, d, lb.tie_parameter)
    fig, ax = plt.subplots(figsize=(0.5 * n + 3, 0.5 * n + 2.5))
    im = ax.imshow(W, cmap="RdBu", vmin=0, vmax=1)
    ax.set_xticks(range(n), lb.models, rotation=90)
    ax.set_yticks(range(n), lb.models)
    if n <= 25:
        for i in range(n):
            for j in range(n):
                if i != j:
                    ax.text(j, i, f"{W[i, j]:.2f}", ha="center", va="center", fontsize=7)
    ax.set_title("predicted win rate of row over column (ties count half)")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    fig.savefig(out / "winrate.png", dpi=110)
    plt.close(fig)
    return ["forest.png", "winrate.png"]


@provenance("M", where="command line")
def run_cli(args: Any) -> int:
    """Run ``aligntheory arena``: print the leaderboard and write its files; return the exit status.

    Prints the leaderboard (rank, model, rating, interval, standard error), the tie parameter and
    covariates, the IBN diagnostics (:func:`adjacent_uncertainty`) and the suggested next battles
    (:func:`next_comparisons`). With ``--out DIR`` (checked writable before any work) writes
    ``leaderboard.csv`` (model names neutralised against spreadsheet formula injection),
    ``leaderboard.json``, ``diagnostics.json``, ``forest.png`` (rating and interval per model, one row of
    0.35 in per model: 8 in wide, :math:`0.35 n + 1.5` in tall for :math:`n` models, 110 dpi) and
    ``winrate.png`` (predicted win rate of each row over each column, ties counting half, every off-diagonal
    cell labelled with its value up to 25 models; :math:`(0.5 n + 3) \\times (0.5 n + 2.5)` in, 110 dpi). A library
    error is printed on stderr with exit status 2.

    Examples
    --------
    >>> import argparse, contextlib, io
    >>> from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH
    >>> args = add_cli(argparse.ArgumentParser().add_subparsers()).parse_args(
    ...     [str(EXAMPLE_BATTLES_PATH), "--bootstrap", "20"])
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     rc = run_cli(args)
    >>> rc
    0
    """
    import csv
    import json
    import sys

    Console = require("rich.console").Console
    Table = require("rich.table").Table

    from aligntheory.analysis._arena_io import safe_csv_cell
    from aligntheory.analysis.arena import adjacent_uncertainty, leaderboard, next_comparisons
    from aligntheory.analysis.ibn import _check_out
    from aligntheory.errors import AlignTheoryError

    con = Console()
    try:
        out = Path(args.out) if getattr(args, "out", None) else None
        if out is not None:
            _check_out(out)
        lb = leaderboard(args.file, ties=args.ties, n_bootstrap=args.bootstrap, seed=args.seed, scale=args.scale,
                         anchor=_parse_anchor(args.anchor), covariates=args.covariate or None, cluster=args.cluster,
                         ci=args.ci, prior_strength=args.prior_strength)
        diag = adjacent_uncertainty(lb)
        k_next = min(int(args.next), lb.n_models * (lb.n_models - 1) // 2)
        plan = next_comparisons(lb, k_next) if k_next > 0 and lb.connected.sum() > 1 else None
    except AlignTheoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t = Table(title=f"Leaderboard ({lb.n_battles:,} battles, ties={lb.ties}, {lb.bootstrap.shape[0]} bootstrap "
                    f"rounds{', clusters: ' + lb.cluster if lb.cluster else ''})")
    for c in ("rank", "model", "rating", f"{int(round(lb.ci * 100))} % interval", "stderr"):
        t.add_column(c, overflow="fold")
    for k in range(min(lb.n_models, int(args.top))):
        t.add_row(str(int(lb.rank[k])) if lb.rank[k] else "-", lb.models[k] + ("" if lb.connected[k] else " [prior]"),
                  f"{lb.rating[k]:.1f}", f"[{lb.ci_low[k]:.1f}, {lb.ci_high[k]:.1f}]", f"{lb.stderr[k]:.1f}")
    con.print(t)
    if lb.tie_parameter is not None:
        con.print(f"tie parameter ({lb.ties}): {lb.tie_parameter:.4g} ± {lb.tie_parameter_stderr:.2g}")
    for q, c in enumerate(lb.covariates):
        con.print(f"covariate {c}: gamma = {lb.gamma[q]:+.4g} (stderr {lb.gamma_stderr[q]:.2g}; interval "
                  f"[{lb.gamma_ci_low[q]:+.4g}, {lb.gamma_ci_high[q]:+.4g}])")
    d = Table(title="Adjacent ranks: sd of the rating difference (IBN: effective resistance; bootstrap)")
    for c in ("pair", "difference", "sd (IBN)", "sd (bootstrap)"):
        d.add_column(c, overflow="fold")
    sd_boot = diag.sd_bootstrap if diag.sd_bootstrap is not None else [None] * len(diag.pairs)
    for (a, b), diff, s1, s2 in zip(diag.pairs, diag.difference, diag.sd, sd_boot):
        d.add_row(f"{a} - {b}", f"{diff:.1f}", f"{s1:.1f}", "" if s2 is None else f"{s2:.1f}")
    con.print(d)
    if plan is not None:
        con.print("next battles that most reduce the adjacent-rank variance: " +
                  "; ".join(f"{a} vs {b}" for a, b in plan.pairs))
    if out is not None:
        with (out / "leaderboard.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["rank", "model", "rating", "ci_low", "ci_high", "stderr", "connected"])
            for k in range(lb.n_models):
                w.writerow([int(lb.rank[k]), safe_csv_cell(lb.models[k]), f"{lb.rating[k]:.10g}",
                            f"{lb.ci_low[k]:.10g}", f"{lb.ci_high[k]:.10g}", f"{lb.stderr[k]:.10g}",
                            int(lb.connected[k])])
        (out / "leaderboard.json").write_text(json.dumps(lb.as_dict(), indent=2), encoding="utf-8")
        dd = {"adjacent": [{"pair": list(p), "difference": float(x), "sd_ibn": float(s1),
                            "sd_bootstrap": None if s2 is None else float(s2)}
                           for p, x, s1, s2 in zip(diag.pairs, diag.difference, diag.sd, sd_boot)],
              "next_comparisons": None if plan is None else {
                  "pairs": [list(p) for p in plan.pairs], "reduction": [float(r) for r in plan.reduction],
                  "variance_before": plan.variance_before, "variance_after": plan.variance_after}}
        (out / "diagnostics.json").write_text(json.dumps(dd, indent=2), encoding="utf-8")
        files = _plots(lb, out)
        con.print(f"wrote {out}/leaderboard.csv, leaderboard.json, diagnostics.json, {', '.join(files)}")
    return 0
