"""Verification report: ``report.md``, self-contained ``report.html``, ``evidence.json`` and PNG plots.

Used by ``aligntheory verify``; importable for notebooks (:func:`write_report`). Every string that
comes from a claim (ids, kinds, tags, statements, details, tracebacks) is escaped for the format
it is written in: HTML-escaped in ``report.html``, Markdown-escaped in ``report.md`` (so a
statement holding ``|``, backticks or HTML cannot break a table or inject markup).

A run may hold several runs of the same claim (``aligntheory verify --seeds 0-19``): counts and
the RICE × stage matrix then count runs, and a pass-rate section gives per-claim rates.
"""

from __future__ import annotations

import base64
import html
import json
import os
import platform
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligntheory import __version__
from aligntheory._optional import require
from aligntheory.proofs_check._registry import RICE, STAGES, Claim, Evidence, Figure, Verdict

__all__ = ["write_report", "plot_figure", "rice_stage_matrix", "pass_rates", "ensure_writable",
           "md_escape", "standard_errors", "VERDICT_COLOURS"]

VERDICT_COLOURS = {"PASS": "#1a7f37", "FAIL": "#cf222e", "CONTRADICTED": "#8250df", "INCONCLUSIVE": "#9a6700"}
"""Colour of each verdict in ``report.html`` (the CLI uses green, red, magenta and yellow)."""

_ABBREV = {"PASS": "P", "FAIL": "F", "CONTRADICTED": "C", "INCONCLUSIVE": "I"}


def ensure_writable(out: Path | str) -> Path:
    """Create the directory ``out`` if needed and prove it writable by writing a probe file.

    Called by ``aligntheory verify`` *before* any claim runs, so an unwritable ``--out`` costs
    nothing. Raises the ``OSError`` of the failing operation (``FileNotFoundError``,
    ``NotADirectoryError``, ``PermissionError``, ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ensure_writable(pathlib.Path(d) / "new" / "dir").is_dir()
    True
    >>> ensure_writable("/proc/nope")
    Traceback (most recent call last):
    ...
    FileNotFoundError: ...
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=out)
    os.close(fd)
    os.unlink(probe)
    return out


def md_escape(text: Any) -> str:
    """Escape text for an inline Markdown context (table cell, list item, heading).

    Whitespace runs (newlines included) become one space; Markdown punctuation that could start
    markup (``\\ ` * _ [ ] < > | & ~ #``) is backslash-escaped, so HTML, links, code spans and table
    separators in user text are shown literally.

    Examples
    --------
    >>> md_escape("a|b `c` <i>")
    'a\\\\|b \\\\`c\\\\` \\\\<i\\\\>'
    """
    s = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]<>|&~#])", r"\\\1", s)


def _md_code_block(text: str) -> list[str]:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, text.rstrip(), fence]


def _anchor(claim_id: str, seed: Any = None) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", str(claim_id))
    return f"claim-{base}" + ("" if seed is None else f"-s{seed}")


def _file_stem(claim_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", str(claim_id))[:120] or "claim"


def standard_errors(evidence: Evidence) -> float | None:
    """How many standard errors separate prediction and measurement, read from the evidence.

    The shared helper ``decide_hypothesis`` writes "... N standard errors apart ..." into the
    evidence's details; a ``z`` entry in a dict-valued ``measured`` is used too. None when neither
    is present.

    Examples
    --------
    >>> standard_errors(Evidence(Verdict.CONTRADICTED, details="measured 0.2 vs predicted 2.4: 22 standard errors apart"))
    22.0
    >>> standard_errors(Evidence(Verdict.PASS)) is None
    True
    """
    m = re.search(r"([0-9][0-9.eE+-]*|inf)\s+standard errors", evidence.details or "")
    if m:
        try:
            return float(m.group(1))
        except ValueError:
            pass
    if isinstance(evidence.measured, dict):
        for k in ("z", "z_score", "standard_errors"):
            if k in evidence.measured:
                try:
                    return abs(float(evidence.measured[k]))
                except (TypeError, ValueError):
                    return None
    return None


def plot_figure(fig: Figure, path: Path) -> Path:
    """Render one :class:`Figure` to a PNG with matplotlib (Agg backend).

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (it comes with the ``verify`` extra).

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
    matplotlib = require("matplotlib")
    matplotlib.use("Agg", force=False)
    plt = require("matplotlib.pyplot")

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
    """Counts of runs by verdict, RICE objective (rows) and stage (columns).

    A claim tagged with several RICE objectives counts once in each of their rows; a claim run at
    several seeds counts once per run.

    Examples
    --------
    >>> rice_stage_matrix([], [])["R"]["forward:feedback"]
    {'PASS': 0, 'FAIL': 0, 'CONTRADICTED': 0, 'INCONCLUSIVE': 0}
    """
    m = {r: {s: {v.value: 0 for v in Verdict} for s in STAGES} for r in RICE}
    for c, ev in zip(claims, evidence):
        for r in c.rice:
            if r in m and c.stage in m[r]:
                m[r][c.stage][ev.verdict.value] += 1
    return m


def pass_rates(claims: Sequence[Claim], evidence: Sequence[Evidence]) -> dict[str, dict[str, Any]]:
    """Per-claim verdict counts over runs (seeds), the seeds of each verdict and the pass rate.

    Examples
    --------
    >>> from aligntheory.proofs_check import load_all, Context
    >>> c = load_all().get("ibn.foster_theorem")
    >>> r = pass_rates([c, c], [c.run(Context(seed=0)), c.run(Context(seed=1))])
    >>> r["ibn.foster_theorem"]["runs"], r["ibn.foster_theorem"]["pass_rate"]
    (2, 1.0)
    """
    out: dict[str, dict[str, Any]] = {}
    for c, ev in zip(claims, evidence):
        r = out.setdefault(c.id, {"runs": 0, **{v.value: 0 for v in Verdict},
                                  "seeds": {v.value: [] for v in Verdict}})
        r["runs"] += 1
        r[ev.verdict.value] += 1
        r["seeds"][ev.verdict.value].append(ev.seed)
    for r in out.values():
        r["pass_rate"] = r["PASS"] / r["runs"]
    return out


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


def _summary(counts: dict[str, int]) -> str:
    return (f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['CONTRADICTED']} contradicted, "
            f"{counts['INCONCLUSIVE']} inconclusive")


def write_report(out: Path | str, claims: Sequence[Claim], evidence: Sequence[Evidence], *,
                 meta: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write the report files into ``out`` and return their paths.

    Parameters
    ----------
    out : path
        Directory (created if needed).
    claims, evidence : sequences of equal length
        The claims run and their evidence, in order. A claim may appear several times (one run per
        seed); the report then has a pass-rate section and details for each claim's first run and
        for every run that did not pass.
    meta : dict, optional
        Run metadata (seeds, tier, device, versions, wall time).

    Returns
    -------
    dict
        ``{"md": ..., "html": ..., "json": ..., "png:NAME": ...}``.

    Raises
    ------
    OSError
        When ``out`` cannot be created or written (``aligntheory verify`` checks this before
        running any claim, with :func:`ensure_writable`).

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
    if len(claims) != len(evidence):
        from aligntheory.errors import InvalidInputError

        raise InvalidInputError("evidence", "must have one entry per claim run",
                                received=f"{len(evidence)} for {len(claims)} claims")
    out = ensure_writable(out)
    meta = dict(meta or {})
    meta.setdefault("aligntheory", __version__)
    meta.setdefault("python", platform.python_version())
    runs = list(zip(claims, evidence))
    rates = pass_rates(claims, evidence)
    multi = any(r["runs"] > 1 for r in rates.values())
    # details for each claim's first run and for every run that did not pass
    shown: set[str] = set()
    detailed: list[int] = []
    for i, (c, ev) in enumerate(runs):
        if c.id not in shown or ev.verdict is not Verdict.PASS:
            detailed.append(i)
            shown.add(c.id)

    pngs: dict[int, list[Path]] = {}
    stems: set[str] = set()
    plotted: set[str] = set()
    for i in detailed:
        c, ev = runs[i]
        if c.id in plotted:
            continue
        plotted.add(c.id)
        stem = _file_stem(c.id)
        while stem in stems:
            stem += "_"
        stems.add(stem)
        for k, fig in enumerate(ev.figures):
            try:
                p = plot_figure(fig, out / f"{stem}_{k}.png")
                pngs.setdefault(i, []).append(p)
            except Exception as exc:  # a broken plot must not hide the verdicts
                pngs.setdefault(i, [])
                meta.setdefault("plot_errors", []).append(f"{c.id}: {exc!r}")
    matrix = rice_stage_matrix(claims, evidence)
    counts = {v.value: sum(ev.verdict is v for ev in evidence) for v in Verdict}
    contradicted = [i for i, (_, ev) in enumerate(runs) if ev.verdict is Verdict.CONTRADICTED]

    records = []
    for i, (c, ev) in enumerate(runs):
        rec = ev.to_json()
        rec.update({
            "statement": c.statement, "pillar": c.pillar, "kind": c.kind, "provenance": c.provenance,
            "sources": [s.label() for s in c.sources], "registered_tolerance": c.tolerance,
            "rice": sorted(c.rice), "stage": c.stage, "plots": [p.name for p in pngs.get(i, [])],
        })
        if ev.verdict is Verdict.CONTRADICTED:
            rec["standard_errors"] = standard_errors(ev)
        rec["figures"] = [f.title for f in ev.figures]
        records.append(rec)
    from aligntheory.proofs_check._registry import _jsonable

    payload = {"meta": meta, "counts": counts, "rice_stage": matrix, "pass_rates": rates, "claims": records}
    (out / "evidence.json").write_text(json.dumps(_jsonable(payload), indent=2), encoding="utf-8")

    # ---------------------------------------------------------------- Markdown
    m = md_escape
    md = ["# aligntheory verification report", ""]
    md += [f"- {m(k)}: {m(v)}" for k, v in meta.items()]
    md += ["", f"**{_summary(counts)}**", ""]
    md += ["Verdicts: PASS (agrees within the tolerance fixed in advance), FAIL (a bug: exit status 1), "
           "CONTRADICTED (an empirical or reconstruction claim whose measurement decisively contradicts "
           "its statement), INCONCLUSIVE (not enough evidence at this tier).", ""]
    md += ["| claim | kind | tag | seed | verdict | seconds |", "|---|---|---|---|---|---|"]
    for c, ev in runs:
        md.append(f"| {m(c.id)} | {m(c.kind)} | \\[{m(c.provenance)}\\] | {m(ev.seed)} | {m(ev.verdict.value)} "
                  f"| {ev.seconds or 0:.2f} |")
    if contradicted:
        md += ["", "## Contradicted claims", "",
               "The measurement decisively contradicts the statement (a hypothesis about a paper we cannot "
               "read in full); this is a finding, not a bug, and does not change the exit status.", "",
               "| claim | seed | predicted | measured | standard errors apart | details |",
               "|---|---|---|---|---|---|"]
        for i in contradicted:
            c, ev = runs[i]
            z = standard_errors(ev)
            md.append(f"| {m(c.id)} | {m(ev.seed)} | {m(_fmt(ev.predicted, 120))} | {m(_fmt(ev.measured, 120))} "
                      f"| {'n/a' if z is None else f'{z:.3g}'} | {m(_fmt(ev.details, 300))} |")
    if multi:
        md += ["", "## Pass rates over seeds", "",
               "| claim | runs | PASS | FAIL | CONTRADICTED | INCONCLUSIVE | pass rate | seeds not passing |",
               "|---|---|---|---|---|---|---|---|"]
        for cid, r in rates.items():
            bad = ", ".join(f"{_ABBREV[v]}:{s}" for v in ("FAIL", "CONTRADICTED", "INCONCLUSIVE") for s in r["seeds"][v])
            md.append(f"| {m(cid)} | {r['runs']} | {r['PASS']} | {r['FAIL']} | {r['CONTRADICTED']} | "
                      f"{r['INCONCLUSIVE']} | {r['pass_rate']:.2f} | {m(bad) or '-'} |")
    md += ["", "## RICE × stage (passed / failed / contradicted / inconclusive)", "",
           "| RICE | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for r in RICE:
        md.append(f"| {r} | " + " | ".join(
            "/".join(str(matrix[r][s][v.value]) for v in Verdict) for s in STAGES) + " |")
    for i in detailed:
        c, ev = runs[i]
        md += ["", f"## {m(c.id)} — {m(ev.verdict.value)} (seed {m(ev.seed)})", "",
               f"Statement: {m(c.statement)}", "",
               f"- provenance: \\[{m(c.provenance)}\\]; kind: {m(c.kind)}; rice: {m(','.join(sorted(c.rice)))}; "
               f"stage: {m(c.stage)}",
               f"- sources: {m('; '.join(s.label() for s in c.sources))}",
               f"- registered tolerance: {m(c.tolerance)}",
               f"- predicted: {m(_fmt(ev.predicted))}",
               f"- measured: {m(_fmt(ev.measured))}",
               f"- tolerance used: {m(_fmt(ev.tolerance))} — {m(ev.why)}",
               f"- sizes: {m(_fmt(dict(ev.sizes)))}; seed {m(ev.seed)}; tier {m(ev.tier)}; {ev.seconds or 0:.2f} s"]
        if ev.verdict is Verdict.CONTRADICTED:
            z = standard_errors(ev)
            md.append(f"- contradicted: predicted {m(_fmt(ev.predicted))}, measured {m(_fmt(ev.measured))}"
                      + ("" if z is None else f", {z:.3g} standard errors apart"))
        if ev.details:
            md.append(f"- details: {m(ev.details)}")
        if ev.counterexample:
            md.append(f"- counterexample: {m(_fmt(dict(ev.counterexample)))}")
        for p in pngs.get(i, []):
            md.append(f"\n![{m(c.id)}]({p.name})")
        if ev.traceback:
            md += ["", *_md_code_block(ev.traceback)]
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")

    # ---------------------------------------------------------------- HTML (self-contained)
    e = html.escape

    def verdict_html(v: str) -> str:
        return f"<b style='color:{VERDICT_COLOURS[v]}'>{e(v)}</b>"

    h = ["<!doctype html><html><head><meta charset='utf-8'><title>aligntheory verify</title><style>",
         "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:0.9em}"
         "code{font-size:0.95em}pre{background:#f6f8fa;padding:8px;overflow:auto}",
         "</style></head><body><h1>aligntheory verification report</h1><ul>"]
    h += [f"<li>{e(str(k))}: {e(str(v))}</li>" for k, v in meta.items()]
    h.append(f"</ul><p><b>{e(_summary(counts))}</b></p>")
    h.append("<table><tr><th>claim</th><th>kind</th><th>tag</th><th>seed</th><th>verdict</th><th>seconds</th></tr>")
    first_anchor = {}
    for i in detailed:
        first_anchor.setdefault(runs[i][0].id, _anchor(runs[i][0].id, runs[i][1].seed))
    for c, ev in runs:
        h.append(f"<tr><td><a href='#{e(first_anchor[c.id])}'><code>{e(c.id)}</code></a></td><td>{e(c.kind)}</td>"
                 f"<td>[{e(c.provenance)}]</td><td>{e(str(ev.seed))}</td><td>{verdict_html(ev.verdict.value)}</td>"
                 f"<td>{ev.seconds or 0:.2f}</td></tr>")
    h.append("</table>")
    if contradicted:
        h.append("<h2>Contradicted claims</h2><p>The measurement decisively contradicts the statement (a hypothesis "
                 "about a paper we cannot read in full); a finding, not a bug: the exit status is unchanged.</p>"
                 "<table><tr><th>claim</th><th>seed</th><th>predicted</th><th>measured</th>"
                 "<th>standard errors apart</th><th>details</th></tr>")
        for i in contradicted:
            c, ev = runs[i]
            z = standard_errors(ev)
            h.append(f"<tr><td><code>{e(c.id)}</code></td><td>{e(str(ev.seed))}</td><td>{e(_fmt(ev.predicted, 120))}</td>"
                     f"<td>{e(_fmt(ev.measured, 120))}</td><td>{'n/a' if z is None else f'{z:.3g}'}</td>"
                     f"<td>{e(_fmt(ev.details, 300))}</td></tr>")
        h.append("</table>")
    if multi:
        h.append("<h2>Pass rates over seeds</h2><table><tr><th>claim</th><th>runs</th><th>PASS</th><th>FAIL</th>"
                 "<th>CONTRADICTED</th><th>INCONCLUSIVE</th><th>pass rate</th><th>seeds not passing</th></tr>")
        for cid, r in rates.items():
            bad = ", ".join(f"{_ABBREV[v]}:{s}" for v in ("FAIL", "CONTRADICTED", "INCONCLUSIVE") for s in r["seeds"][v])
            h.append(f"<tr><td><code>{e(cid)}</code></td><td>{r['runs']}</td><td>{r['PASS']}</td><td>{r['FAIL']}</td>"
                     f"<td>{r['CONTRADICTED']}</td><td>{r['INCONCLUSIVE']}</td><td>{r['pass_rate']:.2f}</td>"
                     f"<td>{e(bad) or '-'}</td></tr>")
        h.append("</table>")
    h.append("<h2>RICE × stage (passed / failed / contradicted / inconclusive)</h2><table><tr><th>RICE</th>"
             + "".join(f"<th>{e(s)}</th>" for s in STAGES) + "</tr>")
    for r in RICE:
        h.append(f"<tr><td>{e(r)}</td>" + "".join(
            "<td>" + "/".join(str(matrix[r][s][v.value]) for v in Verdict) + "</td>" for s in STAGES) + "</tr>")
    h.append("</table>")
    for i in detailed:
        c, ev = runs[i]
        h.append(f"<h2 id='{e(_anchor(c.id, ev.seed))}'><code>{e(c.id)}</code> — {verdict_html(ev.verdict.value)} "
                 f"(seed {e(str(ev.seed))})</h2><p>{e(c.statement)}</p><ul>"
                 f"<li>provenance [{e(c.provenance)}], kind {e(c.kind)}, RICE {e(','.join(sorted(c.rice)))}, "
                 f"stage {e(c.stage)}</li>"
                 f"<li>sources: {e('; '.join(s.label() for s in c.sources))}</li>"
                 f"<li>registered tolerance: {e(c.tolerance)}</li>"
                 f"<li>predicted: {e(_fmt(ev.predicted))}</li><li>measured: {e(_fmt(ev.measured))}</li>"
                 f"<li>tolerance used: {e(_fmt(ev.tolerance))} — {e(ev.why)}</li>"
                 f"<li>sizes: {e(_fmt(dict(ev.sizes)))}; seed {e(str(ev.seed))}; tier {e(str(ev.tier))}; "
                 f"{ev.seconds or 0:.2f} s</li>")
        if ev.verdict is Verdict.CONTRADICTED:
            z = standard_errors(ev)
            h.append(f"<li>contradicted: predicted {e(_fmt(ev.predicted))}, measured {e(_fmt(ev.measured))}"
                     + ("" if z is None else f", {z:.3g} standard errors apart") + "</li>")
        if ev.details:
            h.append(f"<li>details: {e(ev.details)}</li>")
        if ev.counterexample:
            h.append(f"<li>counterexample: {e(_fmt(dict(ev.counterexample)))}</li>")
        h.append("</ul>")
        for p in pngs.get(i, []):
            b64 = base64.b64encode(p.read_bytes()).decode()
            h.append(f"<img alt='{e(c.id)}' src='data:image/png;base64,{b64}'/>")
        if ev.traceback:
            h.append(f"<pre>{e(ev.traceback)}</pre>")
    h.append("</body></html>")
    (out / "report.html").write_text("\n".join(h), encoding="utf-8")
    return {"md": out / "report.md", "html": out / "report.html", "json": out / "evidence.json",
            **{f"png:{p.name}": p for ps in pngs.values() for p in ps}}
