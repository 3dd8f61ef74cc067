"""Verification report: ``report.md``, self-contained ``report.html``, ``evidence.json`` and PNG plots.

Used by ``aligntheory verify``; importable for notebooks (:func:`write_report`).
"""

from __future__ import annotations

import base64
import html
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligntheory import __version__
from aligntheory.proofs_check._registry import RICE, STAGES, Claim, Evidence, Figure, Verdict

__all__ = ["write_report", "plot_figure", "rice_stage_matrix"]


def plot_figure(fig: Figure, path: Path) -> Path:
    """Render one :class:`Figure` to a PNG with matplotlib (Agg backend).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from aligntheory.proofs_check import Figure, Series
    >>> fig = Figure("demo", "x", "y", (Series("measured", [1, 2], [1.0, 4.0], "scatter"),))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     png = plot_figure(fig, pathlib.Path(d) / "demo.png")
    ...     png.read_bytes()[:4]
    b'\\x89PNG'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    f, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    for s in fig.series:
        if s.style == "scatter":
            ax.scatter(s.x, s.y, s=12, label=s.label, zorder=3)
        elif s.style == "band":
            ax.fill_between(s.x, s.y, s.y_hi, alpha=0.2, label=s.label, step="mid")
        else:
            ax.plot(s.x, s.y, label=s.label)
    if fig.logx:
        ax.set_xscale("log")
    if fig.logy:
        ax.set_yscale("log")
    ax.set_title(fig.title, fontsize=10)
    ax.set_xlabel(fig.xlabel)
    ax.set_ylabel(fig.ylabel)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    f.tight_layout()
    f.savefig(path)
    plt.close(f)
    return path


def rice_stage_matrix(claims: Sequence[Claim], evidence: Sequence[Evidence]) -> dict[str, dict[str, dict[str, int]]]:
    """Counts of passed / failed / inconclusive claims by RICE objective (rows) and stage (columns).

    A claim tagged with several RICE objectives counts once in each of their rows.

    Examples
    --------
    >>> rice_stage_matrix([], [])["R"]["forward:feedback"]
    {'PASS': 0, 'FAIL': 0, 'INCONCLUSIVE': 0}
    """
    m = {r: {s: {v.value: 0 for v in Verdict} for s in STAGES} for r in RICE}
    for c, ev in zip(claims, evidence):
        for r in c.rice:
            m[r][c.stage][ev.verdict.value] += 1
    return m


def _fmt(x: Any, limit: int = 300) -> str:
    if isinstance(x, float):
        text = f"{x:.6g}"
    elif isinstance(x, dict):
        text = "; ".join(f"{k}: {_fmt(v, 60)}" for k, v in x.items())
    elif isinstance(x, (list, tuple)):
        text = "[" + ", ".join(_fmt(v, 40) for v in x) + "]"
    else:
        text = str(x)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_report(out: Path | str, claims: Sequence[Claim], evidence: Sequence[Evidence], *,
                 meta: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write the report files into ``out`` and return their paths.

    Parameters
    ----------
    out : path
        Directory (created if needed).
    claims, evidence : sequences of equal length
        The claims run and their evidence, in order.
    meta : dict, optional
        Run metadata (seed, tier, device, versions, wall time).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from aligntheory.proofs_check import Context, load_all
    >>> c = load_all().get("ibn.foster_theorem")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_report(d, [c], [c.run(Context())])
    ...     sorted(p.name for p in paths.values())
    ['evidence.json', 'report.html', 'report.md']
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(meta or {})
    meta.setdefault("aligntheory", __version__)
    meta.setdefault("python", platform.python_version())
    pngs: dict[str, list[Path]] = {}
    for c, ev in zip(claims, evidence):
        for k, fig in enumerate(ev.figures):
            try:
                p = plot_figure(fig, out / f"{c.id.replace('.', '_')}_{k}.png")
                pngs.setdefault(c.id, []).append(p)
            except Exception as exc:  # a broken plot must not hide the verdicts
                pngs.setdefault(c.id, [])
                meta.setdefault("plot_errors", []).append(f"{c.id}: {exc!r}")
    matrix = rice_stage_matrix(claims, evidence)
    counts = {v.value: sum(ev.verdict is v for ev in evidence) for v in Verdict}

    records = []
    for c, ev in zip(claims, evidence):
        rec = ev.to_json()
        rec.update({
            "statement": c.statement, "pillar": c.pillar, "kind": c.kind, "provenance": c.provenance,
            "sources": [s.label() for s in c.sources], "registered_tolerance": c.tolerance,
            "rice": sorted(c.rice), "stage": c.stage, "plots": [p.name for p in pngs.get(c.id, [])],
        })
        rec.pop("figures", None)
        rec["figures"] = [f.title for f in ev.figures]
        records.append(rec)
    (out / "evidence.json").write_text(json.dumps({"meta": meta, "counts": counts, "rice_stage": matrix,
                                                    "claims": records}, indent=2))

    # Markdown
    md = ["# aligntheory verification report", ""]
    md += [f"- {k}: {v}" for k, v in meta.items()]
    md += ["", f"**{counts['PASS']} passed, {counts['FAIL']} failed, {counts['INCONCLUSIVE']} inconclusive**", ""]
    md += ["| claim | kind | tag | verdict | seconds |", "|---|---|---|---|---|"]
    for c, ev in zip(claims, evidence):
        md.append(f"| `{c.id}` | {c.kind} | [{c.provenance}] | {ev.verdict.value} | {ev.seconds or 0:.2f} |")
    md += ["", "## RICE × stage (passed / failed / inconclusive)", "",
           "| RICE | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for r in RICE:
        md.append(f"| {r} | " + " | ".join(
            f"{matrix[r][s]['PASS']}/{matrix[r][s]['FAIL']}/{matrix[r][s]['INCONCLUSIVE']}" for s in STAGES) + " |")
    for c, ev in zip(claims, evidence):
        md += ["", f"## `{c.id}` — {ev.verdict.value}", "", c.statement, "",
               f"- provenance: [{c.provenance}]; kind: {c.kind}; rice: {','.join(sorted(c.rice))}; stage: {c.stage}",
               f"- sources: {'; '.join(s.label() for s in c.sources)}",
               f"- registered tolerance: {c.tolerance}",
               f"- predicted: {_fmt(ev.predicted)}",
               f"- measured: {_fmt(ev.measured)}",
               f"- tolerance used: {_fmt(ev.tolerance)} — {ev.why}",
               f"- sizes: {_fmt(dict(ev.sizes))}; seed {ev.seed}; tier {ev.tier}; {ev.seconds or 0:.2f} s"]
        if ev.details:
            md.append(f"- details: {ev.details}")
        if ev.counterexample:
            md.append(f"- counterexample: {_fmt(dict(ev.counterexample))}")
        for p in pngs.get(c.id, []):
            md.append(f"\n![{c.id}]({p.name})")
        if ev.traceback:
            md += ["", "```", ev.traceback.rstrip(), "```"]
    (out / "report.md").write_text("\n".join(md) + "\n")

    # HTML (self-contained: PNGs embedded as data URIs)
    colour = {"PASS": "#1a7f37", "FAIL": "#cf222e", "INCONCLUSIVE": "#9a6700"}
    h = ["<!doctype html><html><head><meta charset='utf-8'><title>aligntheory verify</title><style>",
         "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:0.9em}"
         "code{font-size:0.95em}pre{background:#f6f8fa;padding:8px;overflow:auto}",
         "</style></head><body><h1>aligntheory verification report</h1><ul>"]
    h += [f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>" for k, v in meta.items()]
    h.append(f"</ul><p><b>{counts['PASS']} passed, {counts['FAIL']} failed, "
             f"{counts['INCONCLUSIVE']} inconclusive</b></p>")
    h.append("<table><tr><th>claim</th><th>kind</th><th>tag</th><th>verdict</th><th>seconds</th></tr>")
    for c, ev in zip(claims, evidence):
        h.append(f"<tr><td><a href='#{c.id}'><code>{c.id}</code></a></td><td>{c.kind}</td><td>[{c.provenance}]</td>"
                 f"<td style='color:{colour[ev.verdict.value]}'><b>{ev.verdict.value}</b></td>"
                 f"<td>{ev.seconds or 0:.2f}</td></tr>")
    h.append("</table><h2>RICE × stage (passed / failed / inconclusive)</h2><table><tr><th>RICE</th>"
             + "".join(f"<th>{s}</th>" for s in STAGES) + "</tr>")
    for r in RICE:
        h.append(f"<tr><td>{r}</td>" + "".join(
            f"<td>{matrix[r][s]['PASS']}/{matrix[r][s]['FAIL']}/{matrix[r][s]['INCONCLUSIVE']}</td>" for s in STAGES)
            + "</tr>")
    h.append("</table>")
    for c, ev in zip(claims, evidence):
        e = html.escape
        h.append(f"<h2 id='{c.id}'><code>{c.id}</code> — <span style='color:{colour[ev.verdict.value]}'>"
                 f"{ev.verdict.value}</span></h2><p>{e(c.statement)}</p><ul>"
                 f"<li>provenance [{c.provenance}], kind {c.kind}, RICE {','.join(sorted(c.rice))}, stage {c.stage}</li>"
                 f"<li>sources: {e('; '.join(s.label() for s in c.sources))}</li>"
                 f"<li>registered tolerance: {e(c.tolerance)}</li>"
                 f"<li>predicted: {e(_fmt(ev.predicted))}</li><li>measured: {e(_fmt(ev.measured))}</li>"
                 f"<li>tolerance used: {e(_fmt(ev.tolerance))} — {e(ev.why)}</li>"
                 f"<li>sizes: {e(_fmt(dict(ev.sizes)))}; seed {ev.seed}; tier {ev.tier}; {ev.seconds or 0:.2f} s</li>")
        if ev.details:
            h.append(f"<li>details: {e(ev.details)}</li>")
        if ev.counterexample:
            h.append(f"<li>counterexample: {e(_fmt(dict(ev.counterexample)))}</li>")
        h.append("</ul>")
        for p in pngs.get(c.id, []):
            b64 = base64.b64encode(p.read_bytes()).decode()
            h.append(f"<img alt='{c.id}' src='data:image/png;base64,{b64}'/>")
        if ev.traceback:
            h.append(f"<pre>{e(ev.traceback)}</pre>")
    h.append("</body></html>")
    (out / "report.html").write_text("\n".join(h))
    return {"md": out / "report.md", "html": out / "report.html", "json": out / "evidence.json",
            **{f"png:{p.name}": p for ps in pngs.values() for p in ps}}
