"""Claims phase of one mutant (run as a script, in a subprocess, inside the mutant's copy of the tree).

``python tools/_mutate_runner.py --out VERDICTS.jsonl [--pillar P ...] [--claim ID ...] [--baseline B.json]``

Imports ``aligntheory`` from ``PYTHONPATH`` (the mutant's copy, never the shared checkout: this file
is run by path, so its own directory, not the repository root, is first on ``sys.path``), runs the
selected claims in the given order and appends one JSON line per claim (``id``, ``verdict``,
``seconds``, ``details``) to ``--out`` as soon as it is known, so a timeout keeps what was decided.
With ``--baseline`` (a JSON object ``{claim_id: verdict}``) it stops at the first claim that kills
the mutant (see :func:`kills`). This module imports nothing from ``aligntheory`` at import time.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["kills", "main"]


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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--pillar", action="append", default=[])
    p.add_argument("--claim", action="append", default=[], help="claim ids, run in this order")
    p.add_argument("--baseline", default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tier", default="quick")
    args = p.parse_args(argv)

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
    with open(args.out, "a") as out:
        for c in claims:
            ev = c.run(ctx)
            v = ev.verdict.value
            rec = {"id": c.id, "verdict": v, "seconds": round(float(ev.seconds or 0.0), 3),
                   "details": str(ev.details)[:400]}
            out.write(json.dumps(rec) + "\n")
            out.flush()
            if baseline is not None and kills(v, baseline.get(c.id)):
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
