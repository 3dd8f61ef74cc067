"""Timing harness: agreement first, then best-of-k wall times, ratios, JSON records and Markdown."""

from __future__ import annotations

import importlib.metadata as md
import json
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def block(x: Any) -> Any:
    """Wait for asynchronous JAX results (no-op for numpy values)."""
    try:
        import jax

        return jax.block_until_ready(x)
    except Exception:
        return x


def best_time(fn: Callable[[], Any], *, repeat: int = 5, min_seconds: float = 0.0) -> float:
    """Best wall time of ``repeat`` calls of ``fn`` (results blocked on), after one warm-up call.

    The warm-up absorbs JIT compilation; report compile time separately with :func:`first_call_time`.
    """
    block(fn())
    best = float("inf")
    spent = 0.0
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        block(fn())
        dt = time.perf_counter() - t0
        best = min(best, dt)
        spent += dt
    while spent < min_seconds:
        t0 = time.perf_counter()
        block(fn())
        dt = time.perf_counter() - t0
        best, spent = min(best, dt), spent + dt
    return best


def first_call_time(fn: Callable[[], Any]) -> float:
    """Wall time of one call (for compile time of a fresh jitted function)."""
    t0 = time.perf_counter()
    block(fn())
    return time.perf_counter() - t0


@dataclass
class Record:
    pillar: str
    name: str
    sizes: dict[str, Any]
    ours: str
    anchor: str
    ours_seconds: float | None
    anchor_seconds: float | None
    ratio: float | None  # anchor_seconds / ours_seconds: > 1 means we are faster
    agreement: dict[str, Any]
    target: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def versions() -> dict[str, str]:
    out = {}
    for name in ("aligntheory", "jax", "jaxlib", "numpy", "scipy", "networkx", "choix", "pref-voting",
                 "python-sat", "cvxpy", "sympy"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


class Harness:
    """Collects records for one run; writes ``<out>/<pillar>.json`` and ``<out>/summary.md``."""

    def __init__(self, pillar: str, device: str, quick: bool, out: Path):
        self.pillar, self.device, self.quick, self.out = pillar, device, quick, Path(out)
        self.records: list[Record] = []

    def compare(self, name: str, sizes: dict[str, Any], *, ours: tuple[str, Callable[[], Any]],
                anchor: tuple[str, Callable[[], Any]] | None, agreement: dict[str, Any],
                target: str = "", target_ratio: float | None = None, repeat: int = 3, notes: str = "",
                extra: dict[str, Any] | None = None) -> Record:
        """Time ``ours`` and ``anchor`` (agreement must already have been checked by the caller)."""
        t_ours = best_time(ours[1], repeat=repeat)
        t_anchor = best_time(anchor[1], repeat=repeat) if anchor is not None else None
        ratio = (t_anchor / t_ours) if (t_anchor is not None and t_ours > 0) else None
        met = None if target_ratio is None or ratio is None else bool(ratio >= target_ratio)
        rec = Record(self.pillar, name, sizes, ours[0], anchor[0] if anchor else "", t_ours, t_anchor, ratio,
                     agreement, target, met, notes, extra or {})
        self.records.append(rec)
        r = f"{ratio:8.1f}x" if ratio is not None else "     n/a"
        print(f"[{self.pillar}] {name:<48} ours {t_ours:9.4f}s  anchor "
              f"{(t_anchor if t_anchor is not None else float('nan')):9.4f}s  ratio {r}  {agreement}", flush=True)
        return rec

    def add(self, rec: Record) -> None:
        self.records.append(rec)

    def write(self) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        meta = {"device": self.device, "platform": platform.platform(), "python": platform.python_version(),
                "quick": self.quick, "dtype": "float64", "versions": versions(),
                "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        path = self.out / f"{self.pillar}.json"
        path.write_text(json.dumps({"meta": meta, "records": [asdict(r) for r in self.records]}, indent=2,
                                   default=str))
        lines = [f"## {self.pillar} ({self.device}, float64)", "",
                 "| benchmark | sizes | ours (s) | anchor | anchor (s) | ratio | agreement | target | met |",
                 "|---|---|---|---|---|---|---|---|---|"]
        for r in self.records:
            lines.append(
                f"| {r.name} | {r.sizes} | {r.ours_seconds:.4g} | {r.anchor} | "
                f"{'' if r.anchor_seconds is None else f'{r.anchor_seconds:.4g}'} | "
                f"{'' if r.ratio is None else f'{r.ratio:.1f}x'} | {r.agreement} | {r.target} | "
                f"{'' if r.met is None else ('yes' if r.met else 'NO')} |")
        summary = self.out / f"summary-{self.pillar}.md"
        summary.write_text("\n".join(lines) + "\n")
        return path
