"""``python -m benchmarks [--pillar P] [--device cpu|gpu] [--quick] [--out DIR]``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks._harness import Harness


def main(argv=None) -> int:
    import benchmarks

    pillars = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if not m.name.startswith("_"))
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--pillar", action="append", choices=pillars, default=[])
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    p.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    p.add_argument("--out", default="bench-results")
    args = p.parse_args(argv)

    import jax

    jax.config.update("jax_platforms", "cuda" if args.device == "gpu" else "cpu")
    jax.config.update("jax_enable_x64", True)
    out = Path(args.out)
    summaries = []
    for name in args.pillar or pillars:
        mod = importlib.import_module(f"benchmarks.{name}")
        h = Harness(name, args.device, args.quick, out)
        mod.run(h)
        h.write()
        summaries.append((out / f"summary-{name}.md").read_text())
    (out / "summary.md").write_text("# Benchmarks\n\n" + "\n".join(summaries))
    print(f"wrote {out}/summary.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
