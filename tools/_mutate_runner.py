"""Claims phase of one mutant (run as a script, in a subprocess, inside the mutant's copy of the tree).

``python tools/_mutate_runner.py --out VERDICTS.jsonl [--pillar P ...] [--claim ID ...] [--baseline B.json]
[--trace TRACE.json]``

Imports ``aligntheory`` from ``PYTHONPATH`` (the mutant's copy, never the shared checkout: this file
is run by path, so its own directory, not the repository root, is first on ``sys.path``), runs the
selected claims in the given order and appends one JSON line per claim (``id``, ``verdict``,
``seconds``, ``details``) to ``--out`` as soon as it is known, so a timeout keeps what was decided.
With ``--baseline`` (a JSON object ``{claim_id: verdict}``) it stops at the first claim that kills
the mutant (see :func:`kills`).

With ``--trace`` (the unmutated baseline run) it also records, per claim, which functions of the
package's code each claim starts executing (``path:first line`` of each code object, see
:class:`FunctionTracer`), clearing JAX's and ``functools`` caches before each claim so that a
jitted function traced by an earlier claim is traced again, and counted, for every claim that
calls it. ``"<import>"`` holds what ran while the claims were loaded. This module imports nothing
from ``aligntheory`` at import time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

__all__ = ["FunctionTracer", "kills", "main"]


def kills(verdict: str, baseline: str | None) -> bool:
    """Does a claim verdict under a mutant kill it, given the claim's verdict without the mutant?

    Killed when the claim FAILs where it did not before, or when it becomes or stops being
    CONTRADICTED. PASS <-> INCONCLUSIVE changes do not kill (an underpowered check is no detection).

    >>> kills("FAIL", "PASS"), kills("FAIL", "FAIL"), kills("CONTRADICTED", "PASS")
    (True, False, True)
    >>> kills("PASS", "CONTRADICTED"), kills("INCONCLUSIVE", "PASS"), kills("PASS", None)
    (True, False, False)
    """
    if verdict == "FAIL" and baseline != "FAIL":
        return True
    return baseline is not None and (verdict == "CONTRADICTED") != (baseline == "CONTRADICTED")


class FunctionTracer:
    """Records ``"relpath:co_firstlineno"`` of every code object under ``root/prefix`` that starts
    executing (a global ``sys.settrace`` function that sees only *call* events and never traces
    lines: it returns ``None``, so the cost is one Python call per new frame).

    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "m.py").write_text("def f():\\n    return 1\\n")
    22
    >>> code = compile((d / "m.py").read_text(), str(d / "m.py"), "exec"); ns = {}; exec(code, ns)
    >>> with FunctionTracer(str(d), "") as t:
    ...     _ = ns["f"]()
    >>> sorted(t.hits)
    ['m.py:1']
    """

    def __init__(self, root: str, prefix: str) -> None:
        self.root = os.path.abspath(root) + os.sep
        self.prefix = os.path.join(self.root, prefix) if prefix else self.root
        self.hits: set[str] = set()

    def _trace(self, frame, event, arg):
        if event == "call":
            code = frame.f_code
            fn = code.co_filename
            if fn.startswith(self.prefix):
                self.hits.add(f"{fn[len(self.root):].replace(os.sep, '/')}:{code.co_firstlineno}")
        return None

    def take(self) -> set[str]:
        hits, self.hits = self.hits, set()
        return hits

    def __enter__(self) -> FunctionTracer:
        sys.settrace(self._trace)
        threading.settrace(self._trace)
        return self

    def __exit__(self, *exc) -> None:
        sys.settrace(None)
        threading.settrace(None)


def _clear_caches() -> None:
    if "jax" in sys.modules:
        sys.modules["jax"].clear_caches()
    for name, mod in list(sys.modules.items()):
        if not name.startswith("aligntheory") or mod is None:
            continue
        for obj in list(vars(mod).values()):
            clear = getattr(obj, "cache_clear", None)
            if callable(clear):
                try:
                    clear()
                except Exception:  # noqa: BLE001 - a foreign object with a cache_clear attribute
                    pass


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--pillar", action="append", default=[])
    p.add_argument("--claim", action="append", default=[], help="claim ids, run in this order")
    p.add_argument("--baseline", default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tier", default="quick")
    p.add_argument("--trace", default=None, help="write {claim id: [functions run]} here (baseline run)")
    p.add_argument("--trace-prefix", default="aligntheory/")
    args = p.parse_args(argv)

    tracer = FunctionTracer(os.getcwd(), args.trace_prefix) if args.trace else None
    if tracer is not None:
        tracer.__enter__()
    from aligntheory.config import configure

    configure()
    import jax

    from aligntheory.proofs_check import Context, load_all

    reg = load_all()
    if args.claim:
        claims = [reg.get(cid) for cid in args.claim]
    else:
        claims = reg.select(pillars=args.pillar) if args.pillar else list(reg)
    baseline = None
    if args.baseline:
        with open(args.baseline) as fh:
            baseline = json.load(fh)
    ctx = Context(seed=args.seed, tier=args.tier, device=jax.default_backend())
    trace: dict[str, list[str]] = {}
    if tracer is not None:
        trace["<import>"] = sorted(tracer.take())
    with open(args.out, "a") as out:
        for c in claims:
            if tracer is not None:
                _clear_caches()
                tracer.take()
            ev = c.run(ctx)
            if tracer is not None:
                trace[c.id] = sorted(tracer.take())
            v = ev.verdict.value
            rec = {"id": c.id, "verdict": v, "seconds": round(float(ev.seconds or 0.0), 3),
                   "details": str(ev.details)[:400]}
            out.write(json.dumps(rec) + "\n")
            out.flush()
            if baseline is not None and kills(v, baseline.get(c.id)):
                break
    if tracer is not None:
        tracer.__exit__()
        with open(args.trace, "w") as fh:
            json.dump(trace, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
