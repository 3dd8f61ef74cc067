"""Tests of ``tools/mutate.py``: site enumeration, seeded sampling, one-token mutants, and a full
run on a tiny synthetic package (its own code, claims runner and tests in a temporary directory, so
the real library is neither run nor touched)."""

from __future__ import annotations

import io
import json
import random
import sys
import tokenize
from pathlib import Path

import pytest

from tools import mutate
from tools._mutate_project import function_key
from tools._mutate_runner import kills
from tools._mutate_sites import apply_site, enumerate_sites, mutate_number, trivially_equivalent

ROOT = Path(__file__).resolve().parents[2]

SYNTH = '''"""Doc 1 + 2."""
from __future__ import annotations
__all__ = ["f"]
import warnings

def f(x: int = 2, *, flag: bool = True) -> float:
    """Docstring 3 * 4 < 5."""
    if x < 0 and flag:
        raise ValueError(f"x={x - 1}", 7)
    warnings.warn("w", stacklevel=2)
    y = -x ** 2
    y += 1.5
    s = "a" + "b" + ["c"] * 2  # comment 8 + 9
    assert y == y, "msg " + str(10)
    return y / 0.5 if y != 0 else 0.0


def g(a: list[int]) -> bool:
    return a[0] >= 3 or False
'''

# Written by hand from SYNTH: (line, original, replacement, kind). Nothing in the docstrings, the
# comment, the annotations, __all__, the raise statement, the warnings call, the arithmetic on
# strings and lists (a mutant would only raise TypeError) or the assert message.
EXPECTED = [
    (6, "2", "3", "constant"), (6, "True", "False", "bool"),
    (8, "<", "<=", "compare"), (8, "0", "1", "constant"), (8, "and", "or", "boolop"),
    (11, "-", "", "unary"), (11, "**", "*", "arith"), (11, "2", "3", "constant"),
    (12, "+=", "-=", "augassign"), (12, "1.5", "2.5", "constant"),
    (13, "2", "3", "constant"),  # the repetition count of ["c"] * 2 (but no * -> / on a list)
    (14, "==", "!=", "compare"),
    (15, "/", "*", "arith"), (15, "0.5", "0.25", "constant"), (15, "!=", "==", "compare"),
    (15, "0", "1", "constant"), (15, "0.0", "1.0", "constant"),
    (19, "0", "1", "constant"), (19, ">=", ">", "compare"), (19, "3", "4", "constant"),
    (19, "or", "and", "boolop"), (19, "False", "True", "bool"),
]


def test_sites_of_a_synthetic_module_are_the_hand_enumerated_ones():
    sites = enumerate_sites("synth.py", SYNTH)
    got = sorted((s.line, s.original, s.replacement, s.kind) for s in sites)
    assert got == sorted(EXPECTED)
    lines = SYNTH.splitlines()
    for s in sites:  # the column points at the token itself
        assert lines[s.line - 1][s.col: s.col + len(s.original)] == s.original
    assert len({s.id for s in sites}) == len(sites)


def test_number_mutations():
    assert [mutate_number(t) for t in ("0", "1", "2", "7", "0.5", "0.0", "1.0", "2.5", "1e-10", "0x10")] == [
        "1", "0", "3", "8", "0.25", "1.0", "0.0", "3.5", "1.0000000001", "17"]
    assert mutate_number("1e300") == repr(2e300)  # c + 1 == c in floating point: doubled instead


def _tokens(src: str) -> list[str]:
    return [t.string for t in tokenize.generate_tokens(io.StringIO(src).readline)
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)]


def _check_one_token(src: str, sites) -> None:
    base = _tokens(src)
    for s in sites:
        new = _tokens(apply_site(src, s))
        i = next(k for k, (a, b) in enumerate(zip(base, new)) if a != b)
        assert base[i] == s.original, s.describe()
        if s.kind == "unary":  # the minus removed, nothing else changed
            assert new == base[:i] + base[i + 1:], s.describe()
        else:  # one token replaced, nothing else changed
            assert new == base[:i] + [s.replacement] + base[i + 1:], s.describe()


def test_applying_a_mutant_changes_exactly_one_token():
    _check_one_token(SYNTH, enumerate_sites("synth.py", SYNTH))


def test_applying_a_real_mutant_changes_exactly_one_token():
    project = mutate.Project()
    sources = {rel: (ROOT / rel).read_text(encoding="utf-8") for rel in project.module_files()}
    sites = []
    for rel, src in sources.items():
        try:
            sites += enumerate_sites(rel, src)
        except SyntaxError:  # a file being edited by someone else right now
            continue
    assert len(sites) > 1000
    for s in random.Random(0).sample(sites, 25):  # a seeded sample of the library keeps the test quick
        _check_one_token(sources[s.path], [s])


def test_sampling_is_uniform_and_deterministic_with_a_seed():
    src = SYNTH
    sites = enumerate_sites("synth.py", src)
    a, _ = mutate.choose_sample(sites, 8, 0, {"synth.py": src})
    b, _ = mutate.choose_sample(sites, 8, 0, {"synth.py": src})
    c, _ = mutate.choose_sample(sites, 8, 1, {"synth.py": src})
    assert [s.id for s in a] == [s.id for s in b]
    assert [s.id for s in a] != [s.id for s in c]
    allsites, _ = mutate.choose_sample(sites, 0, 3, {"synth.py": src})
    assert sorted(s.id for s in allsites) == sorted(s.id for s in sites)


def test_equivalents_listed_or_trivial_are_excluded_and_replaced():
    src = "y = x + 0\nz = x * 2\n"
    sites = enumerate_sites("m.py", src)
    plus = next(s for s in sites if s.original == "+")  # x + 0 -> x - 0: trivially equivalent
    times = next(s for s in sites if s.original == "*")
    chosen, excluded = mutate.choose_sample(sites, 0, 0, {"m.py": src}, {times.id: "judged by hand"})
    assert plus.id not in {s.id for s in chosen} and times.id not in {s.id for s in chosen}
    assert {(s.id, how) for s, how, _ in excluded} == {(plus.id, "trivial"), (times.id, "listed")}
    assert trivially_equivalent("y = 2 * 3\n", "y = 6\n")
    assert not trivially_equivalent("y = x * 1\n", "y = x / 1\n")  # int -> float: not equivalent


def test_equivalents_file_format(tmp_path):
    f = tmp_path / "eq.txt"
    f.write_text("# comment\n\nabc123 x + 0 == x - 0 for every x  # trailing\nfff000\n")
    assert mutate.load_equivalents(f) == {"abc123": "x + 0 == x - 0 for every x", "fff000": "(no reason given)"}
    assert mutate.load_equivalents(ROOT / "tools" / "mutate_equivalent.txt") is not None


def test_kill_rule():
    assert kills("FAIL", "PASS") and kills("CONTRADICTED", "INCONCLUSIVE") and kills("PASS", "CONTRADICTED")
    assert not kills("FAIL", "FAIL") and not kills("INCONCLUSIVE", "PASS") and not kills("PASS", "PASS")


TINY = '''def add(a, b):
    """Sum of two numbers.

    >>> add(2, 3)
    5
    """
    return a + b


def relu(x):
    return x if x > 0 else 0
'''

TINY_TESTS = '''from tinypkg.theory.tiny import relu


def test_relu():
    assert relu(2) == 2 and relu(1) == 1 and relu(-1) == 0
'''

# the claims protocol: append {"id", "verdict"} lines to --out; with --trace, write the functions
# each claim ran ("path:first line": add is defined on line 1 of tiny.py, relu is run by no claim)
TINY_CLAIMS = '''import json, sys
from tinypkg.theory.tiny import add
out = sys.argv[sys.argv.index("--out") + 1]
with open(out, "a") as fh:
    fh.write(json.dumps({"id": "tiny.add", "verdict": "PASS" if add(1, 1) == 2 else "FAIL"}) + "\\n")
if "--trace" in sys.argv:
    with open(sys.argv[sys.argv.index("--trace") + 1], "w") as fh:
        json.dump({"<import>": [], "tiny.add": ["tinypkg/theory/tiny.py:1"]}, fh)
'''


def _claims_argv(ids, out, base, trace):
    return [sys.executable, "claims.py", "--out", str(out), *(["--trace", str(trace)] if trace else [])]


def test_run_on_a_tiny_package_kills_the_bad_and_keeps_the_equivalent(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # quicker pytest start-up in the mutant runs
    root = tmp_path / "proj"
    (root / "tinypkg" / "theory").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "tinypkg" / "__init__.py").write_text("")
    (root / "tinypkg" / "theory" / "__init__.py").write_text("")
    (root / "tinypkg" / "theory" / "tiny.py").write_text(TINY)
    (root / "tests" / "test_tiny.py").write_text(TINY_TESTS)
    # fails with or without a mutation: must never be credited with a kill
    (root / "tests" / "test_tiny_broken.py").write_text(
        "import tinypkg.theory.tiny\n\n\ndef test_always_fails():\n    assert False\n")
    (root / "tests" / "test_unrelated.py").write_text("def test_other():\n    assert False\n")  # imports nothing
    (root / "claims.py").write_text(TINY_CLAIMS)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    project = mutate.Project(root=root, package="tinypkg", layers=("theory",), claim_pillars=("tiny",),
                             copy=("tests", "claims.py"),
                             claims_argv=_claims_argv)
    assert project.pillar_of("tinypkg/theory/tiny.py") == "tiny"
    assert project.tests_for("tinypkg/theory/tiny.py") == ["tests/test_tiny.py", "tests/test_tiny_broken.py"]
    out = tmp_path / "report"
    eq = tmp_path / "none.txt"
    rc = mutate.main(["--pillar", "tiny", "--sample", "0", "--seed", "0", "--out", str(out), "--timeout", "60",
                      "--equivalents", str(eq)], project=project)
    assert rc == 0
    data = json.loads((out / "report.json").read_text())
    outcome = {(m["site"]["original"], m["site"]["replacement"], m["site"]["line"], m["site"]["col"]): m["outcome"]
               for m in data["mutants"]}
    assert outcome == {
        ("+", "-", 7, 13): "killed-claims",   # add(1, 1) == 0: the claim FAILs
        (">", ">=", 11, 18): "survived",      # relu(0) is 0 either way: an equivalent mutant
        ("0", "1", 11, 20): "killed-tests",   # x > 1: relu(1) == 0; the claim is blind to relu
        ("0", "1", 11, 27): "killed-tests",   # else 1: relu(-1) == 1
    }
    runs = {(m["site"]["original"], m["site"]["line"], m["site"]["col"]): m["claims"].get("claims_selected", 0)
            for m in data["mutants"]}
    assert runs == {("+", 7, 13): 1, (">", 11, 18): 0, ("0", 11, 20): 0, ("0", 11, 27): 0}  # no claim runs relu
    s = data["summary"]["tiny"]
    assert (s["mutants"], s["claims_killed"], s["combined_killed"]) == (4, 1, 3)
    assert data["meta"]["flaky_tests"] == ["tests/test_tiny_broken.py::test_always_fails"]
    md = (out / "report.md").read_text()
    assert "Survivors (1)" in md and "- return x if x > 0 else 0" in md and "+ return x if x >= 0 else 0" in md
    # the project itself was never written to
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_static_import_map_selects_the_tests_and_the_claims_that_can_see_a_mutant(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/kernels/__init__.py": "from pkg.kernels._common import helper\n",
        "pkg/kernels/_common.py": "SCALE = 2\n\n\ndef helper(x):\n    return x + 1\n",
        "pkg/kernels/alpha.py": "from ._common import SCALE\n\n\ndef a(x):\n    return SCALE * x\n",
        "pkg/kernels/gamma.py": "x = 1\n",                       # imports nothing shared
        "tests/kernels/test_alpha_x.py": "from pkg.kernels.alpha import a\n",
        "tests/test_beta.py": "import pkg.kernels\n",          # through the re-exporting __init__
        "tests/test_gamma.py": "def f():\n    from pkg.kernels import gamma\n",  # a function-level import
        "tests/fuzz/test_fuzz_alpha.py": "from pkg.kernels import alpha\n",
        "tests/proofs_check/test_alpha.py": "from pkg.kernels.alpha import a\n",  # excluded: the claims phase
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    project = mutate.Project(root=tmp_path, package="pkg", layers=("kernels",), claim_pillars=("alpha",))
    assert project.pillar_of("pkg/kernels/_common.py") == "shared"
    assert project.pillar_of("pkg/kernels/alpha.py") == "alpha"
    # nearest first, fuzz files last at a depth, proofs_check left out; importing pkg.kernels.alpha
    # runs pkg/kernels/__init__.py, which imports _common (so does the function-level import of gamma)
    assert project.tests_for("pkg/kernels/alpha.py") == ["tests/kernels/test_alpha_x.py",
                                                         "tests/fuzz/test_fuzz_alpha.py"]
    assert project.tests_for("pkg/kernels/_common.py") == [
        "tests/kernels/test_alpha_x.py", "tests/test_beta.py", "tests/test_gamma.py", "tests/fuzz/test_fuzz_alpha.py"]
    assert project.tests_for("pkg/kernels/gamma.py") == ["tests/test_gamma.py"]
    assert project.importers("pkg/kernels/_common.py") == ["pkg/kernels/__init__.py", "pkg/kernels/alpha.py"]
    # claims: a function's own claims; module-level code: the claims running the module or an importer
    trace = {"<import>": set(), "c.helper": {"pkg/kernels/_common.py:4"}, "c.alpha": {"pkg/kernels/alpha.py:4"},
             "c.none": {"pkg/kernels/gamma.py:1"}}
    src = {"pkg/kernels/_common.py": files["pkg/kernels/_common.py"]}
    sites = {(s.line, s.original): s for s in enumerate_sites("pkg/kernels/_common.py", src["pkg/kernels/_common.py"])}
    assert project.claims_for_site(sites[(5, "+")], trace, src) == ["c.helper"]
    assert sorted(project.claims_for_site(sites[(1, "2")], trace, src)) == ["c.alpha", "c.helper"]
    # a function that ran while the claims were imported may have stored its value: judged like module code
    trace["<import>"] = {"pkg/kernels/_common.py:4"}
    assert sorted(project.claims_for_site(sites[(5, "+")], trace, src)) == ["c.alpha", "c.helper"]


def test_function_key_matches_the_code_objects_python_reports():
    src = "import functools\n\n\n@functools.lru_cache\ndef f(x=1):\n    g = lambda y: y * 2\n    return g(x) + 1\n"
    ns: dict = {}
    exec(compile(src, "k.py", "exec"), ns)
    f = ns["f"].__wrapped__
    lam = next(c for c in f.__code__.co_consts if hasattr(c, "co_firstlineno"))
    assert function_key(src, 7, 17) == f.__code__.co_firstlineno  # return g(x) + 1
    assert function_key(src, 6, 20) == lam.co_firstlineno          # y * 2 inside the lambda
    assert function_key(src, 5, 8) is None                         # the default, evaluated at def time


def test_run_kills_a_process_group_past_its_memory_limit(tmp_path):
    import os
    import time

    from tools._mutate_exec import _run, group_rss

    env = dict(os.environ)
    assert group_rss(os.getpgid(0)) > 10 * 2**20  # this pytest process alone holds more than 10 MiB
    # a child of the started process holds ~300 MiB: the group's sum, not the leader's own, is what counts
    grow = ("import subprocess, sys; subprocess.run([sys.executable, '-c', "
            "'import time; b = bytearray(300 * 2**20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep(30)'])")
    t0 = time.perf_counter()
    state, rc, secs = _run([sys.executable, "-c", grow], tmp_path, env, 60.0, tmp_path / "a.log", 150 * 2**20)
    assert (state, rc) == ("memory", None) and secs < 20.0 and time.perf_counter() - t0 < 25.0
    state, rc, _ = _run([sys.executable, "-c", grow], tmp_path, env, 2.0, tmp_path / "b.log", 2**40)
    assert (state, rc) == ("timeout", None)
    state, rc, _ = _run([sys.executable, "-c", "raise SystemExit(3)"], tmp_path, env, 30.0, tmp_path / "c.log",
                        150 * 2**20)
    assert (state, rc) == ("done", 3)
    state, rc, _ = _run([sys.executable, "-c", "pass"], tmp_path, env, 30.0, tmp_path / "d.log")
    assert (state, rc) == ("done", 0)


def test_static_import_map_follows_import_module_by_literal_name(tmp_path):
    # the optional numba route is loaded with importlib.import_module("aligntheory.numerics._bt_numba"); before
    # session 14 the map missed it, so its mutants' tests phase ran only the module's doctests
    files = {
        "pkg/__init__.py": "",
        "pkg/numerics/__init__.py": "from pkg.numerics.fit import fit\n",
        "pkg/numerics/_fast.py": "def loop(x):\n    return x\n",
        "pkg/numerics/fit.py": ("import importlib\n\n\ndef fit(x):\n"
                                "    return importlib.import_module('pkg.numerics._fast').loop(x)\n"),
        "pkg/numerics/other.py": "def g(name):\n    return __import__(name)\n",  # not a literal import_module
        "tests/test_fit.py": "from pkg.numerics import fit\n",
        "tests/test_other.py": "from pkg.numerics.other import g\n",
        "tests/test_direct.py": "from importlib import import_module\n\nm = import_module('pkg.numerics._fast')\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    project = mutate.Project(root=tmp_path, package="pkg", layers=("numerics",), claim_pillars=("fit",))
    assert project.import_map()["pkg/numerics/fit.py"] >= {"pkg/numerics/_fast.py"}
    # test_other imports pkg.numerics (the package), whose __init__ imports fit, which loads _fast lazily
    assert sorted(project.tests_for("pkg/numerics/_fast.py")) == ["tests/test_direct.py", "tests/test_fit.py",
                                                                   "tests/test_other.py"]
    assert project.importers("pkg/numerics/_fast.py") == ["pkg/numerics/__init__.py", "pkg/numerics/fit.py"]


def test_static_import_map_counts_a_package_walk_as_importing_every_module(tmp_path):
    # tests/test_api.py imports the public modules by walking the package (pkgutil.walk_packages over variable
    # names); before session 15 the map gave it no module, so its registry-wide checks never judged a mutant
    files = {
        "pkg/__init__.py": "",
        "pkg/numerics/__init__.py": "",
        "pkg/numerics/_fast.py": "def loop(x):\n    return x\n",
        "tests/test_walk.py": ("import importlib, pkgutil\n\nimport pkg\n\n"
                               "MODS = [importlib.import_module(m.name) for m in pkgutil.walk_packages(pkg.__path__, 'pkg.')]\n"),
        "tests/test_plain.py": "import pkg\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    project = mutate.Project(root=tmp_path, package="pkg", layers=("numerics",), claim_pillars=("fit",))
    assert project.tests_for("pkg/numerics/_fast.py") == ["tests/test_walk.py"]
    assert "tests/test_api.py" in mutate.Project().tests_for("aligntheory/kernels/safety/_policy.py")


@pytest.mark.parametrize("line, node", [
    ("FAILED tests/a.py::test_x - AssertionError: 1 != 2", "tests/a.py::test_x"),
    ("FAILED tests/a.py::test_x[histogram m=2] - assert 1 == 2", "tests/a.py::test_x[histogram m=2]"),
    ("FAILED tests/a.py::test_x[scan m=8]", "tests/a.py::test_x[scan m=8]"),
    ("ERROR tests/a.py - ImportError: no module", "tests/a.py"),
    ("FAILED pkg/m.py::pkg.m.f", "pkg/m.py::pkg.m.f"),
    ("FAILED tests/a.py::test_y[a-b] - ValueError: x - y", "tests/a.py::test_y[a-b]"),
])
def test_first_failure_keeps_parametrize_ids_with_spaces(line, node):
    from tools._mutate_exec import _first_failure

    assert _first_failure("....F\n=== short test summary info ===\n" + line + "\n1 failed\n") == node
