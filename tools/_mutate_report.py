"""Kill rates and the report of a mutation run (used by :mod:`tools.mutate`)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from tools._mutate_exec import Mutant

__all__ = ["summarise", "write_report"]


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} = {100.0 * k / n:.1f} %" if n else "—"


def summarise(mutants: Sequence[Mutant], excluded, do_claims: bool, do_tests: bool, tests_only: bool,
              sites_per_pillar: dict[str, int] | None = None) -> dict:
    by_pillar: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_pillar[m.pillar].append(m)
    rows = {}
    for pillar, ms in sorted(by_pillar.items()) + [("all", list(mutants))]:
        valid = [m for m in ms if m.outcome != "error"]
        n = len(valid)
        sp = sites_per_pillar or {}
        row = {"sites": sum(sp.values()) if pillar == "all" else sp.get(pillar, 0), "mutants": n, "errors": len(ms) - n,
               "equivalents_excluded": sum(1 for s, _h, _r in excluded if pillar == "all" or s.pillar == pillar)}
        if do_claims:
            row["claims_killed"] = sum(m.killed_by_claims for m in valid)
            row["claims_timeouts"] = sum(m.claims.get("state") == "timeout" for m in valid)
            row["claims_crashes"] = sum(m.claims.get("state") == "crash" for m in valid)
            row["claims_rate"] = row["claims_killed"] / n if n else None
        if do_tests:
            row["tests_timeouts"] = sum(m.tests.get("state") == "timeout" for m in valid)
            if tests_only:
                row["tests_killed"] = sum(m.killed_by_tests for m in valid)
                row["tests_rate"] = row["tests_killed"] / n if n else None
        if do_claims and do_tests:
            row["combined_killed"] = sum(m.killed_by_claims or m.killed_by_tests for m in valid)
            row["combined_rate"] = row["combined_killed"] / n if n else None
        rows[pillar] = row
    return rows


def write_report(out: Path, mutants: Sequence[Mutant], excluded, meta: dict, rows: dict) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    survivors = [m for m in mutants if m.outcome == "survived"]
    tests_only_kills = [m for m in mutants if m.outcome == "killed-tests"]
    timeouts = [m for m in mutants if "timeout" in (m.claims.get("state"), m.tests.get("state"))]
    errors = [m for m in mutants if m.outcome == "error"]
    kinds: dict[str, Counter] = defaultdict(Counter)
    for m in mutants:
        if m.outcome != "error":
            kinds[m.site.kind]["n"] += 1
            kinds[m.site.kind]["claims"] += m.killed_by_claims
            kinds[m.site.kind]["combined"] += m.killed_by_claims or m.killed_by_tests
    data = {"meta": meta, "summary": rows, "mutants": [m.to_json() for m in mutants],
            "equivalents_excluded": [{"id": s.id, "how": how, "reason": r, "site": s.to_json()}
                                     for s, how, r in excluded]}
    (out / "report.json").write_text(json.dumps(data, indent=1))

    L = ["# Mutation testing report", ""]
    L += [f"- command: `{meta['command']}`", f"- date: {meta['date']}; snapshot: {meta['snapshot']}",
          f"- seed {meta['seed']}, sample {meta['sample']} non-equivalent mutants drawn from "
          f"{meta['sites']} sites; timeouts: claims {meta['claims_timeout']:.0f} s, tests {meta['tests_timeout']:.0f} s",
          "- a mutant is **killed by the claims** when one of the claims that run the mutated function "
          "(from the traced unmutated run) FAILs where it did not, a CONTRADICTED verdict appears or "
          "disappears, the claims runner crashes, or it times out; **by the tests** when `pytest -x` on "
          "the mutated module's doctests and the test files that import it (static import map) fails or "
          "times out (run only on claim survivors).", ""]
    L += ["## Kill rates", "", "| pillar | sites | mutants | claims alone | claims + tests + doctests | tests + doctests alone "
          "| timeouts (claims/tests) | errors | equivalents excluded |", "|---|---|---|---|---|---|---|---|---|"]
    for p, r in rows.items():
        claims = _pct(r["claims_killed"], r["mutants"]) if "claims_killed" in r else "—"
        comb = _pct(r["combined_killed"], r["mutants"]) if "combined_killed" in r else "—"
        tests = _pct(r["tests_killed"], r["mutants"]) if "tests_killed" in r else "—"
        name = f"**{p}**" if p == "all" else p
        L.append(f"| {name} | {r['sites']} | {r['mutants']} | {claims} | {comb} | {tests} | {r.get('claims_timeouts', 0)}/"
                 f"{r.get('tests_timeouts', 0)} | {r['errors']} | {r['equivalents_excluded']} |")
    L += ["", "Targets (issue 11): claims alone ≥ 80 %, claims + tests + doctests ≥ 95 %, on a uniform "
          "sample of ≥ 200 non-equivalent mutants. Timeouts count as kills (listed below).", ""]
    L += ["## By mutation kind", "", "| kind | mutants | claims alone | claims + tests + doctests |", "|---|---|---|---|"]
    for k, c in sorted(kinds.items()):
        L.append(f"| {k} | {c['n']} | {_pct(c['claims'], c['n'])} | {_pct(c['combined'], c['n'])} |")

    def block(m: Mutant) -> list[str]:
        s = m.site
        return [f"### `{s.id}` {s.path}:{s.line} — {s.kind}: `{s.original}` → `{s.replacement or '(removed)'}`",
                f"in `{s.qualname or '<module>'}`; claims that run it: {m.claims.get('claims_selected', 0)}; "
                f"test files that import it: {max(m.tests.get('files', 1) - 1, 0)}", "", "```diff", f"- {s.line_text.strip()}",
                f"+ {s.mutated_line.strip()}", "```", ""]

    L += ["", f"## Survivors ({len(survivors)})", "",
          "Judge each: a real gap (add a claim or test that kills it) or an equivalent mutant (add "
          "`<id> <reason>` to `tools/mutate_equivalent.txt`).", ""]
    for m in survivors:
        L += block(m)
    if tests_only_kills:
        L += [f"## Missed by the claims, killed by tests or doctests ({len(tests_only_kills)})", "",
              "| id | where | mutation | killed by |", "|---|---|---|---|"]
        for m in tests_only_kills:
            s = m.site
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | "
                     f"{m.tests.get('by', m.tests.get('state'))} |")
        L.append("")
    if timeouts:
        L += [f"## Timeouts and memory overruns ({len(timeouts)}, counted as killed)", "", "| id | where | mutation | phase |",
              "|---|---|---|---|"]
        for m in timeouts:
            s = m.site
            phase = "claims" if m.claims.get("state") == "timeout" else "tests"
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | {phase} |")
        L.append("")
    if errors:
        L += [f"## Errors ({len(errors)}, not counted)", ""]
        for m in errors:
            L.append(f"- `{m.site.id}` {m.site.describe()}: {m.claims.get('why') or m.tests.get('why')}")
        L.append("")
    L += [f"## Equivalent mutants excluded ({len(excluded)})", ""]
    if excluded:
        L += ["| id | where | mutation | how | reason |", "|---|---|---|---|---|"]
        for s, how, r in excluded:
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | {how} | {r} |")
    L += ["", "## Baseline", ""]
    for cid, b in sorted(meta.get("claims_baseline", {}).items()):
        if cid in meta.get("claims_used", ()):
            L.append(f"- claim `{cid}`: {b['verdict']} ({b.get('seconds', 0):.1f} s)")
    for f in meta.get("flaky_tests", []):
        L.append(f"- flaky: `{f}` killed a mutant but also failed without it; deselected for the rest of the run")
    (out / "report.md").write_text("\n".join(L) + "\n")
    return {"md": out / "report.md", "json": out / "report.json"}


