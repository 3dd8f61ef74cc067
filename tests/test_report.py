"""Report writers: every string from a claim is escaped (HTML and Markdown), hostile input included."""

import json
import re

import pytest

from aligntheory.proofs_check import Claim, Evidence, Source, Verdict
from aligntheory.report import ensure_writable, md_escape, pass_rates, standard_errors, write_report

HOSTILE = "<script>alert('x')</script>|`code`|[link](http://evil)&amp;**b**\n# heading"


def _claim(cid=HOSTILE, **over):
    kw = dict(id=cid, statement=HOSTILE, sources=(Source(key="foster1949average", where=HOSTILE),),
              provenance="<M>", kind="<img src=x onerror=alert(1)>", tolerance=HOSTILE, rice=frozenset({"R"}),
              stage="backward:assurance", check=lambda ctx: None)
    kw.update(over)
    return Claim(**kw)


def _evidence(verdict=Verdict.FAIL, seed=0):
    return Evidence(verdict, predicted=HOSTILE, measured={HOSTILE: HOSTILE}, tolerance=HOSTILE, why=HOSTILE,
                    sizes={HOSTILE: 1}, details=HOSTILE + " 3 standard errors apart", counterexample={"x": HOSTILE},
                    claim_id=HOSTILE, seed=seed, tier="quick", seconds=0.1, traceback=HOSTILE + "\n```\nescape")


@pytest.fixture
def report(tmp_path):
    claims = [_claim(), _claim(), _claim("plain.claim")]
    evidence = [_evidence(Verdict.CONTRADICTED, 0), _evidence(Verdict.FAIL, 1), _evidence(Verdict.PASS, 0)]
    write_report(tmp_path, claims, evidence, meta={HOSTILE: HOSTILE})
    return tmp_path


def test_html_escapes_everything(report):
    text = (report / "report.html").read_text()
    assert "<script" not in text and "<img src=x" not in text and "<M>" not in text
    assert "&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    # ids in attributes are sanitised, not just escaped
    for attr in re.findall(r"(?:id|href)='([^']*)'", text):
        assert re.fullmatch(r"#?claim-[A-Za-z0-9_.-]+", attr), attr


def test_markdown_escapes_user_text(report):
    full = (report / "report.md").read_text()
    # fenced code blocks show their content literally; check everything outside them
    text = re.sub(r"(?ms)^(`{3,})$.*?^\1$", "", full)
    assert not re.search(r"(?<!\\)[<>`]", text), "unescaped HTML or code span outside code blocks"
    assert not re.search(r"(?<!\\)\]\(http", text), "link syntax leaked"
    # every row of the runs table has exactly the table's columns: no '|' leaked from user text
    lines = full.splitlines()
    start = lines.index("| claim | kind | tag | seed | verdict | seconds |")
    for line in lines[start:start + 5]:
        assert len(re.findall(r"(?<!\\)\|", line)) == 7, line
    # no heading or list item produced by the newline in user text
    assert "\n# heading" not in text
    # the traceback (with a ``` inside) stays inside one fenced block
    # (its fence is longer than the longest backtick run inside, so the inner ``` cannot close it)
    outer = [i for i, line in enumerate(lines) if line == "````"]
    inner = [i for i, line in enumerate(lines) if line == "```"]
    assert outer and len(outer) % 2 == 0 and inner
    pairs = list(zip(outer[::2], outer[1::2]))
    assert all(any(a < i < b for a, b in pairs) for i in inner)


def test_contradicted_section_and_json(report):
    md = (report / "report.md").read_text()
    assert "## Contradicted claims" in md
    data = json.loads((report / "evidence.json").read_text())
    assert data["counts"] == {"PASS": 1, "FAIL": 1, "CONTRADICTED": 1, "INCONCLUSIVE": 0}
    assert data["pass_rates"][HOSTILE]["runs"] == 2 and data["pass_rates"][HOSTILE]["seeds"]["FAIL"] == [1]
    assert [c["standard_errors"] for c in data["claims"] if c["verdict"] == "CONTRADICTED"] == [3.0]


def test_plot_file_names_cannot_escape_the_directory(tmp_path):
    from aligntheory.proofs_check import Figure, Series

    fig = Figure("t", "x", "y", (Series("s", [1.0, 2.0], [1.0, 2.0]),))
    ev = Evidence(Verdict.PASS, figures=(fig,), seed=0)
    paths = write_report(tmp_path / "out", [_claim("../../etc/evil")], [ev])
    pngs = [p for k, p in paths.items() if k.startswith("png:")]
    assert pngs and all(p.parent == tmp_path / "out" for p in pngs)


def test_md_escape():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("x\n\n# y") == "x \\# y"
    assert md_escape("<b>&") == "\\<b\\>\\&"


def test_standard_errors_and_pass_rates():
    assert standard_errors(Evidence(Verdict.CONTRADICTED, details="... 4.5 standard errors apart")) == 4.5
    assert standard_errors(Evidence(Verdict.CONTRADICTED, measured={"z": -6.0})) == 6.0
    c = _claim("a.b")
    r = pass_rates([c, c, c], [Evidence(Verdict.PASS, seed=0), Evidence(Verdict.FAIL, seed=1),
                               Evidence(Verdict.PASS, seed=2)])
    assert r["a.b"]["runs"] == 3 and r["a.b"]["pass_rate"] == pytest.approx(2 / 3, rel=1e-6, abs=0.0)


def test_ensure_writable_raises_oserror(tmp_path):
    f = tmp_path / "f"
    f.write_text("")
    with pytest.raises(OSError):
        ensure_writable(f / "sub")
    with pytest.raises(OSError):
        ensure_writable("/proc/nope")
    assert ensure_writable(tmp_path / "a" / "b").is_dir()
