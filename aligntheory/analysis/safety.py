"""Safe RLHF workflows on the artefacts practitioners hold (issue 15): replay of logged multiplier costs.

``aligntheory safety multiplier LOGFILE`` (wired by :func:`add_cli` / :func:`run_cli`) reads logged
per-sample episode costs (CSV or JSON), replays the multiplier update exactly as the safe-rlhf trainer
runs it (:func:`~aligntheory.theory.safety.lagrangian_multiplier_trajectory`) and states our predicted
local-stability verdict (:func:`~aligntheory.theory.safety.log_multiplier_stability`).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.analysis._safety_pku import MAX_LOG_BYTES, analyse_safety_preferences
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.safety._lagrangian import MultiplierTrajectory, lagrangian_multiplier_trajectory
from aligntheory.theory.safety._stability import MultiplierStability, log_multiplier_stability

__all__ = ["MultiplierReplay", "read_cost_log", "replay_multiplier_log", "analyse_safety_preferences", "add_cli",
           "run_cli"]

_SAFE = "dai2023safe"


def _group(rollouts: Sequence[Any], costs: Sequence[Any], where: str) -> list[np.ndarray]:
    out: dict[int, list[float]] = {}
    for i, (r, c) in enumerate(zip(rollouts, costs)):
        try:
            ri = int(r)
            if ri != float(r) or ri < 0:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"{where} row {i}", "rollout must be a non-negative integer", received=r) from exc
        try:
            cv = float(c)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"{where} row {i}", "cost must be a real number", received=c) from exc
        if not math.isfinite(cv):
            raise InvalidInputError(f"{where} row {i}", "cost must be finite", received=cv)
        out.setdefault(ri, []).append(cv)
    return [np.array(out[k]) for k in sorted(out)]


@provenance("M", source=_SAFE, where="input formats of the multiplier replay (ours)")
def read_cost_log(path: str | Path, *, batch_size: int | None = None) -> list[np.ndarray]:
    """Read logged per-sample episode costs, one array per rollout [M].

    Formats: CSV with columns ``rollout,cost`` (one row per sample) or ``cost`` only (then
    ``batch_size`` cuts the stream into rollouts); JSON: a list of per-rollout lists, an object
    ``{"episode_costs": [[...], ...]}``, or JSON Lines of ``{"rollout": r, "cost": c}`` or
    ``{"costs": [...]}`` records.

    Parameters
    ----------
    path : str or Path
    batch_size : int, optional
        Required for a ``cost``-only CSV.

    Returns
    -------
    list of ndarray

    Raises
    ------
    InvalidInputError
        Unreadable structure, naming the row or record.
    SizeCapError
        File larger than 2 GB.

    Notes
    -----
    :math:`O(\\text{file size})`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> _ = open(p, "w").write("rollout,cost\\n0,1.5\\n0,0.5\\n1,2.0\\n")
    >>> [a.tolist() for a in read_cost_log(p)]
    [[1.5, 0.5], [2.0]]
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError("path", "must be an existing file", received=str(path))
    V.check_size("path", path.stat().st_size, cap=MAX_LOG_BYTES, unit="bytes")
    text = path.read_text()
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        if not rows or "cost" not in rows[0]:
            raise InvalidInputError(str(path), "CSV needs a header with a 'cost' column (and optionally 'rollout')")
        if "rollout" in rows[0]:
            return _group([r["rollout"] for r in rows], [r["cost"] for r in rows], str(path))
        if batch_size is None:
            raise InvalidInputError("batch_size", "a 'cost'-only CSV needs batch_size to cut rollouts")
        B = V.check_int("batch_size", batch_size, lo=1)
        return _group([i // B for i in range(len(rows))], [r["cost"] for r in rows], str(path))
    try:
        data = json.loads(text)
        records = None
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise InvalidInputError(str(path), f"neither JSON nor JSON Lines (line {exc.lineno})") from exc
        data = None
    if isinstance(data, dict):
        data = data.get("episode_costs")
    if isinstance(data, list) and all(isinstance(x, list) for x in data):
        return [V.as_float_array(f"{path}[{i}]", x, ndim=1) for i, x in enumerate(data)]
    if data is not None:
        raise InvalidInputError(str(path), "JSON must be a list of per-rollout cost lists or {'episode_costs': ...}")
    if records and all(isinstance(r, dict) and "costs" in r for r in records):
        return [V.as_float_array(f"{path} record {i}", r["costs"], ndim=1) for i, r in enumerate(records)]
    if records and all(isinstance(r, dict) and "cost" in r and "rollout" in r for r in records):
        return _group([r["rollout"] for r in records], [r["cost"] for r in records], str(path))
    raise InvalidInputError(str(path), "JSON Lines records need 'costs' lists or 'rollout' and 'cost' fields")


@provenance("M", source=_SAFE, where="replay of the trainer's multiplier update with our stability verdict")
@dataclass(frozen=True)
class MultiplierReplay:
    """Result of :func:`replay_multiplier_log`.

    Attributes
    ----------
    trajectory : MultiplierTrajectory
    lam_star : float
        Fixed point used for the verdict (given, or the median :math:`\\lambda` over the last quarter).
    curvature : float
        :math:`\\kappa` (given, or estimated as minus the least-squares slope of the rollout mean cost
        against the :math:`\\lambda` that produced it).
    curvature_estimated : bool
    stability : MultiplierStability
        Our predicted verdict at (``lam_star``, ``curvature``).

    Examples
    --------
    >>> r = replay_multiplier_log([[0.5], [0.3], [0.2]], threshold=0.25, curvature=0.2, window=1)
    >>> r.stability.stable, r.curvature_estimated
    (True, False)
    """

    trajectory: MultiplierTrajectory
    lam_star: float
    curvature: float
    curvature_estimated: bool
    stability: MultiplierStability

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        s = self.stability
        return {"lambdas": self.trajectory.lambdas.tolist(), "window_means": self.trajectory.window_means.tolist(),
                "lam_star": self.lam_star, "curvature": self.curvature,
                "curvature_estimated": self.curvature_estimated,
                "stability": {"spectral_radius": s.spectral_radius, "stable": s.stable,
                              "oscillatory": s.oscillatory, "gain": s.gain}}


@provenance("M", source=_SAFE, where="replay of the trainer's multiplier update with our stability verdict")
def replay_multiplier_log(episode_costs: Any, *, threshold: float = 0.0, lambda_init: float = 1.0,
                          lambda_lr: float = 0.1, lambda_max: float | None = None, delay_steps: int = 0,
                          window: int = 128, updates_per_rollout: int = 1, lam_star: float | None = None,
                          curvature: float | None = None) -> MultiplierReplay:
    """Replay logged costs through the trainer's update and predict its local stability [M].

    The verdict is :func:`~aligntheory.theory.safety.log_multiplier_stability` at
    (:math:`\\lambda^*`, :math:`\\kappa`) with the log's median batch size. Open loop: the logged costs
    were produced by the logged run's own :math:`\\lambda`; replaying other settings shows what that update
    would have done on the same costs, not what a new run would produce. The curvature estimate regresses
    each rollout's mean cost on the replayed :math:`\\lambda` that preceded it, so it is meaningful only
    when the replay uses the logged run's own settings; pass ``curvature`` otherwise.

    Parameters
    ----------
    episode_costs : path or sequence of per-rollout arrays
    threshold : float, default 0.0
        Cost threshold :math:`d` (the trainer's ``threshold``). This and the next six options are passed to
        :func:`~aligntheory.theory.safety.lagrangian_multiplier_trajectory`.
    lambda_init : float, default 1.0
        Positive initial multiplier.
    lambda_lr : float, default 0.1
        Non-negative learning rate :math:`\\eta` of the multiplier update.
    lambda_max : float, optional
        Upper clip of :math:`\\lambda` (none by default).
    delay_steps : int, default 0
        Update steps before the first update.
    window : int, default 128
        Window length in samples.
    updates_per_rollout : int, default 1
        Update steps per rollout (all use the same window).
    lam_star, curvature : float, optional
        Fixed point and :math:`\\kappa=-dC/d\\lambda`; estimated from the replay when omitted.

    Returns
    -------
    MultiplierReplay

    Raises
    ------
    InvalidInputError
        As the replay; no rollout at all; fewer than 3 rollouts when the curvature must be estimated.

    Notes
    -----
    :math:`O(\\sum_r(B_r+UW))`.

    Examples
    --------
    >>> r = replay_multiplier_log([[1.0], [0.0]], threshold=0.5, lam_star=1.0, curvature=1.0, lambda_lr=1.5, window=1)
    >>> round(r.stability.spectral_radius, 12), r.stability.oscillatory
    (0.5, True)
    """
    rollouts = read_cost_log(episode_costs) if isinstance(episode_costs, (str, Path)) else episode_costs
    if hasattr(rollouts, "__len__") and not isinstance(rollouts, (str, bytes)) and len(rollouts) == 0:
        raise InvalidInputError("episode_costs", "must hold at least one rollout (nothing to replay)", received=0)
    traj = lagrangian_multiplier_trajectory(rollouts, threshold, lambda_init=lambda_init, lambda_lr=lambda_lr,
                                            lambda_max=lambda_max, delay_steps=delay_steps, window=window,
                                            updates_per_rollout=updates_per_rollout)
    lam_before = np.concatenate([[traj.lambda_init], traj.lambdas[updates_per_rollout - 1::updates_per_rollout][:-1]])
    means = np.array([float(np.mean(np.asarray(r, dtype=float))) for r in rollouts])
    if lam_star is None:
        tail = traj.lambdas[-max(1, traj.lambdas.size // 4):]
        lam_star = float(np.median(tail))
    est = curvature is None
    if est:
        if len(means) < 3 or np.ptp(lam_before) == 0:
            raise InvalidInputError("curvature", "cannot be estimated (fewer than 3 rollouts or constant lambda); "
                                    "pass curvature", received=len(means))
        slope = np.polyfit(lam_before, means, 1)[0]
        curvature = max(0.0, -float(slope))
    batch = int(np.median([len(np.atleast_1d(r)) for r in rollouts]))
    stab = log_multiplier_stability(lam_star, curvature, lambda_lr, window=window, batch_size=max(1, batch),
                                    updates_per_rollout=updates_per_rollout)
    return MultiplierReplay(traj, float(lam_star), float(curvature), est, stab)


@provenance("M", source=_SAFE, where="command line of the issue 15 workflows")
def add_cli(subparsers: Any) -> Any:
    """Add ``safety multiplier LOGFILE`` and ``safety analyse FILE`` to argparse ``subparsers`` [M].

    Parameters
    ----------
    subparsers : argparse subparsers action

    Returns
    -------
    argparse.ArgumentParser
        The ``safety`` parser.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="aligntheory")
    >>> _ = add_cli(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["safety", "multiplier", "log.csv", "--window", "64"])
    >>> a.safety_command, a.window, a.lambda_lr
    ('multiplier', 64, 0.1)
    """
    sp = subparsers.add_parser("safety", help="Safe RLHF tools (issue 15)")
    sub = sp.add_subparsers(dest="safety_command", required=True)
    m = sub.add_parser("multiplier", help="replay logged costs through the safe-rlhf multiplier update")
    m.add_argument("logfile", help="CSV (rollout,cost) or JSON / JSON Lines of per-rollout costs")
    m.add_argument("--threshold", type=float, default=0.0)
    m.add_argument("--lambda-init", type=float, default=1.0)
    m.add_argument("--lambda-lr", type=float, default=0.1)
    m.add_argument("--lambda-max", type=float, default=None)
    m.add_argument("--delay-steps", type=int, default=0)
    m.add_argument("--window", type=int, default=128)
    m.add_argument("--updates-per-rollout", type=int, default=1)
    m.add_argument("--batch-size", type=int, default=None, help="for a cost-only CSV")
    m.add_argument("--lam-star", type=float, default=None)
    m.add_argument("--curvature", type=float, default=None, help="kappa = Var(c)/beta at lambda*")
    m.add_argument("--out", default=None, help="directory for multiplier.json and multiplier.png (7 x 3.5 in, 120 dpi)")
    a = sub.add_parser("analyse", help="analyse PKU-SafeRLHF-format preference data (JSON Lines / JSON / Parquet)")
    a.add_argument("file")
    a.add_argument("--ridge", type=float, default=1.0)
    a.add_argument("--beta", type=float, default=1.0)
    a.add_argument("--out", default=None, help="directory for safety_analysis.json, harm_heatmap.png (6 x 7 in), "
                   "frontier.png (5 x 4 in); PNG at 120 dpi")
    return sp


def _run_analyse(args: Any) -> int:
    out_d = analyse_safety_preferences(args.file, ridge=args.ridge, beta=args.beta)
    from aligntheory.theory.safety import Severity

    sevs = [s.name for s in Severity]
    print(f"{out_d['n_records']} records, {out_d['n_prompts']} prompts, {out_d['n_responses']} responses; "
          f"helpfulness/harmlessness disagreement {out_d['preference_disagreement_rate']:.3f}")
    print(f"{'category':<32}" + "".join(f"{s:>10}" for s in sevs) + f"{'per resp':>10}{'per prompt':>11}")
    for cat, row in out_d["category_severity_counts"].items():
        print(f"{cat:<32}" + "".join(f"{row[s]:>10}" for s in sevs)
              + f"{out_d['category_rate_per_response'][cat]:>10.3f}{out_d['category_rate_per_prompt'][cat]:>11.3f}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "safety_analysis.json").write_text(json.dumps(out_d, indent=1))
        matplotlib = require("matplotlib")
        matplotlib.use("Agg", force=False)
        plt = require("matplotlib.pyplot")

        cats = list(out_d["category_severity_counts"])
        M = np.array([[out_d["category_severity_counts"][c][s] for s in sevs[1:]] for c in cats])
        fig, ax = plt.subplots(figsize=(6, 7))
        im = ax.imshow(M, aspect="auto", cmap="Reds")
        ax.set_yticks(range(len(cats)), cats, fontsize=7)
        ax.set_xticks(range(len(sevs) - 1), sevs[1:])
        fig.colorbar(im, ax=ax, label="responses")
        fig.tight_layout()
        fig.savefig(out / "harm_heatmap.png", dpi=120)
        plt.close(fig)
        fr = out_d["frontier"]
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.plot(fr["harm"], fr["helpfulness"], marker=".")
        ax.set_xlabel("expected cost E[c]")
        ax.set_ylabel("expected reward E[r]")
        ax.set_title(f"tilted-policy frontier (beta = {fr['beta']:g})")
        fig.tight_layout()
        fig.savefig(out / "frontier.png", dpi=120)
        plt.close(fig)
        print(f"wrote {out}/safety_analysis.json, harm_heatmap.png, frontier.png")
    return 0


@provenance("M", source=_SAFE, where="command line of the issue 15 workflows")
def run_cli(args: Any) -> int:
    """Run the ``safety`` subcommand parsed by :func:`add_cli`; returns the exit code [M].

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    int
        0 on success.

    Raises
    ------
    InvalidInputError
        Unreadable or invalid input files (naming the row / record and field).

    Examples
    --------
    >>> import argparse, tempfile, os
    >>> p = argparse.ArgumentParser(prog="aligntheory")
    >>> _ = add_cli(p.add_subparsers(dest="command"))
    >>> f = os.path.join(tempfile.mkdtemp(), "log.json")
    >>> _ = open(f, "w").write("[[1.0], [0.0], [0.5]]")
    >>> run_cli(p.parse_args(["safety", "multiplier", f, "--threshold", "0.5", "--window", "1",
    ...                       "--curvature", "1.0"]))  # doctest: +ELLIPSIS
    3 rollouts, final lambda ...
    0
    """
    if args.safety_command == "analyse":
        return _run_analyse(args)
    if args.safety_command != "multiplier":
        raise InvalidInputError("safety_command", "unknown", received=args.safety_command)
    costs = read_cost_log(args.logfile, batch_size=args.batch_size)
    rep = replay_multiplier_log(costs, threshold=args.threshold, lambda_init=args.lambda_init,
                                lambda_lr=args.lambda_lr, lambda_max=args.lambda_max, delay_steps=args.delay_steps,
                                window=args.window, updates_per_rollout=args.updates_per_rollout,
                                lam_star=args.lam_star, curvature=args.curvature)
    s = rep.stability
    verdict = "stable" if s.stable else "unstable"
    verdict += ", oscillating" if s.oscillatory else ", monotone"
    print(f"{len(costs)} rollouts, final lambda {rep.trajectory.final:.6g}; predicted at lambda* = "
          f"{rep.lam_star:.6g}, kappa = {rep.curvature:.6g}{' (estimated)' if rep.curvature_estimated else ''}: "
          f"{verdict} (spectral radius {s.spectral_radius:.4f}, gain {s.gain:.4g})")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "multiplier.json").write_text(json.dumps(rep.to_json(), indent=1))
        matplotlib = require("matplotlib")
        matplotlib.use("Agg", force=False)
        plt = require("matplotlib.pyplot")

        fig, ax = plt.subplots(figsize=(7, 3.5))
        ax.plot(rep.trajectory.steps, rep.trajectory.lambdas, label="lambda (replay)")
        ax.axhline(rep.lam_star, color="k", ls="--", lw=0.8, label="lambda*")
        ax.set_xlabel("update step")
        ax.set_ylabel("lambda")
        ax.set_title(f"predicted: {verdict} (rho = {s.spectral_radius:.3f})")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "multiplier.png", dpi=120)
        plt.close(fig)
        print(f"wrote {out}/multiplier.json, {out}/multiplier.png")
    return 0
