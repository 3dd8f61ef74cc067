"""The slim core: ``pip install aligntheory`` (numpy, scipy, sympy, networkx) gives the exact layer.

One subprocess runs with a meta-path finder that refuses every optional package (as if none were
installed) and records what the library does: every module of ``aligntheory.theory`` and
``aligntheory.numerics`` imports, no blocked package gets imported on the way, functions that need
a solver raise ``MissingDependencyError`` naming the ``solvers`` extra, the kernels and the public
strategies name ``jax`` and ``testing``, and the CLI runs ``list`` and ``cite`` while ``verify``
prints one line naming the ``verify`` extra and exits 2. The tests below read its report.

A second group checks that ``pyproject.toml``'s extras and ``aligntheory._optional`` agree, so the
extra an error names is the one that installs the package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BLOCKED = ("jax", "jaxlib", "cvxpy", "pysat", "pyamg", "hypothesis", "rich", "matplotlib", "pandas", "pyarrow",
           "pref_voting", "preflibtools", "choix", "numba")

PRELUDE = textwrap.dedent(f"""
    import importlib.abc, sys
    BLOCKED = {set(BLOCKED)!r}

    class _Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked by test_slim_core)", name=name)
            return None

    sys.meta_path.insert(0, _Blocker())
    for _m in [m for m in sys.modules if m.split(".")[0] in BLOCKED]:  # nothing preloaded by site hooks
        del sys.modules[_m]
""")

SCRIPT = textwrap.dedent("""
    import contextlib, importlib, io, json, pkgutil, tempfile, traceback
    report = {"imports": {}, "calls": {}, "cli": {}}

    def leaked():
        return sorted({m.split(".")[0] for m in sys.modules} & BLOCKED)

    import aligntheory
    names = ["aligntheory.results", "aligntheory.errors", "aligntheory.config", "aligntheory.references",
             "aligntheory._optional", "aligntheory._validate", "aligntheory.theory", "aligntheory.numerics",
             "aligntheory.proofs_check"]
    for pkg in ("aligntheory.theory", "aligntheory.numerics"):
        names += [m.name for m in pkgutil.walk_packages(importlib.import_module(pkg).__path__, pkg + ".")]
    for name in names:
        try:
            importlib.import_module(name)
            report["imports"][name] = "ok"
        except BaseException as exc:
            report["imports"][name] = f"{type(exc).__name__}: {exc}"
    report["leaked_after_imports"] = leaked()

    def call(label, thunk):
        try:
            thunk()
            report["calls"][label] = {"error": None}
        except BaseException as exc:
            report["calls"][label] = {"error": type(exc).__name__, "extra": getattr(exc, "extra", None),
                                      "message": str(exc)}

    from aligntheory.theory import safety, social_choice
    call("count_social_welfare_functions", lambda: social_choice.count_social_welfare_functions(2, 3))
    call("max_min_subset_mass", lambda: social_choice.max_min_subset_mass(3))
    call("cvx_reference_solution", lambda: safety.cvx_reference_solution([0.5, 0.5], [0.0, 1.0], [0.0, 1.0], 1.0, 0.5))
    call("import aligntheory.kernels.ibn", lambda: importlib.import_module("aligntheory.kernels.ibn"))
    import numpy as _np
    from aligntheory.numerics import fit_bradley_terry
    _rows = _np.stack([_np.arange(30000) % 50, (_np.arange(30000) + 1 + _np.arange(30000) // 50 % 49) % 50], 1)
    call("fit_bradley_terry(auto, 30k rows)", lambda: fit_bradley_terry(_rows, n_items=50, stderr="none"))
    call("fit_bradley_terry(numba)", lambda: fit_bradley_terry(_rows, n_items=50, stderr="none",
                                                               accelerator="numba"))
    call("import aligntheory.testing", lambda: importlib.import_module("aligntheory.testing"))
    from pathlib import Path
    from aligntheory.analysis.arena import leaderboard
    parquet = Path(tempfile.mkdtemp()) / "battles.parquet"
    parquet.write_bytes(b"PAR1")
    call("leaderboard(parquet file)", lambda: leaderboard(parquet, n_bootstrap=0))
    from aligntheory.theory.ibn import effective_resistance
    report["effective_resistance"] = float(effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0],
                                                                pairs=[[0, 2]])[0])

    from aligntheory.cli import main
    for label, argv in (("list", ["list", "--pillar", "ibn"]), ("cite", ["cite", "ibn.foster_theorem"]),
                        ("verify", ["verify", "--claim", "ibn.foster_theorem", "--out", tempfile.mkdtemp()]),
                        ("coverage", ["list", "--coverage", "--claim", "ibn.foster_theorem",
                                      "--out", tempfile.mkdtemp()])):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except BaseException:
                code, _ = "raised", traceback.print_exc(file=err)
        report["cli"][label] = {"code": code, "out": out.getvalue(), "err": err.getvalue()}
    report["leaked_at_end"] = leaked()
    print("@@REPORT@@" + json.dumps(report))
""")


@pytest.fixture(scope="module")
def slim() -> dict:
    proc = subprocess.run([sys.executable, "-c", PRELUDE + SCRIPT], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0 and "@@REPORT@@" in proc.stdout, proc.stderr[-4000:]
    return json.loads(proc.stdout.split("@@REPORT@@", 1)[1])


def test_blocker_blocks():
    """The finder really hides the packages (else every test below would pass vacuously)."""
    code = PRELUDE + "\ntry:\n    import jax\nexcept ModuleNotFoundError:\n    print('blocked')\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "blocked", out.stderr


def test_theory_and_numerics_import_without_optional_packages(slim):
    names = slim["imports"]
    assert any(n.startswith("aligntheory.theory.ibn.") for n in names)  # the walk found the submodules
    assert any(n.startswith("aligntheory.numerics.") for n in names)
    # the one module that is the optional accelerator itself may refuse to import, naming its extra
    accel = "aligntheory.numerics._bt_numba"
    assert names[accel] == "ok" or (names[accel].startswith("MissingDependencyError") and "[fast]" in names[accel])
    bad = {n: why for n, why in names.items() if why != "ok" and n != accel}
    assert not bad, bad


def test_bradley_terry_falls_back_to_numpy_without_numba(slim):
    # accelerator="auto" on a large input runs the numpy route; forcing numba names the extra
    assert slim["calls"]["fit_bradley_terry(auto, 30k rows)"]["error"] is None, slim["calls"]
    forced = slim["calls"]["fit_bradley_terry(numba)"]
    assert forced["error"] == "MissingDependencyError" and forced["extra"] == "fast", forced


def test_no_blocked_package_is_imported(slim):
    assert slim["leaked_after_imports"] == []
    assert slim["leaked_at_end"] == []


def test_exact_results_on_the_slim_core(slim):
    assert slim["effective_resistance"] == pytest.approx(2.0, rel=1e-12, abs=0.0)  # two unit resistors in series


@pytest.mark.parametrize("label", ["count_social_welfare_functions", "max_min_subset_mass", "cvx_reference_solution"])
def test_solver_functions_name_the_solvers_extra(slim, label):
    got = slim["calls"][label]
    assert got["error"] == "MissingDependencyError" and got["extra"] == "solvers", got
    assert "pip install 'aligntheory[solvers]'" in got["message"]


@pytest.mark.parametrize(("label", "extra"), [("import aligntheory.kernels.ibn", "jax"),
                                              ("import aligntheory.testing", "testing"),
                                              ("leaderboard(parquet file)", "parquet")])
def test_optional_packages_name_their_extra(slim, label, extra):
    got = slim["calls"][label]
    assert got["error"] == "MissingDependencyError" and got["extra"] == extra, got


def test_verify_names_the_verify_extra_in_one_line(slim):
    for label in ("verify", "coverage"):
        got = slim["cli"][label]
        assert got["code"] == 2, got
        lines = got["err"].strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in got["err"], got["err"]
        assert "pip install 'aligntheory[verify]'" in lines[0] and "jax" in lines[0]


def test_list_and_cite_work_on_the_slim_core(slim):
    assert slim["cli"]["list"]["code"] == 0, slim["cli"]["list"]["err"]
    assert "ibn.foster_theorem" in slim["cli"]["list"]["out"]
    assert slim["cli"]["cite"]["code"] == 0, slim["cli"]["cite"]["err"]
    assert "@incollection{foster1949average," in slim["cli"]["cite"]["out"]


# ---------------------------------------------------------------------------------------------
# pyproject.toml and aligntheory._optional agree

#: distribution name (as pyproject spells it) -> import name
IMPORT_NAME = {"jax": "jax", "cvxpy": "cvxpy", "python-sat": "pysat", "pyamg": "pyamg", "hypothesis": "hypothesis",
               "pandas": "pandas", "pyarrow": "pyarrow", "pref-voting": "pref_voting", "rich": "rich",
               "matplotlib": "matplotlib", "choix": "choix", "preflibtools": "preflibtools",
               "numba": "numba"}


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _dist(req: str) -> str:
    return re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower()


def _expand(extras: dict, name: str) -> set[str]:
    """Distribution names an extra installs, self-references (``aligntheory[a,b]``) followed."""
    out: set[str] = set()
    for req in extras[name]:
        m = re.match(r"aligntheory\[([^\]]+)\]", req)
        if m:
            for sub in m.group(1).split(","):
                out |= _expand(extras, sub.strip())
        else:
            out.add(_dist(req))
    return out


def test_core_dependencies_are_the_slim_core():
    deps = {_dist(d) for d in _pyproject()["project"]["dependencies"]}
    assert deps == {"numpy", "scipy", "sympy", "networkx"}


def test_extras_install_what_the_errors_name():
    from aligntheory._optional import EXTRA_MODULES, EXTRA_OF

    extras = _pyproject()["project"]["optional-dependencies"]
    for extra, modules in EXTRA_MODULES.items():
        installed = {IMPORT_NAME[d] for d in _expand(extras, extra) if d in IMPORT_NAME}
        assert installed == set(modules), (extra, installed, modules)
    for module, extra in EXTRA_OF.items():
        if module == "jaxlib":
            continue  # installed by jax
        assert module in {IMPORT_NAME.get(d) for d in _expand(extras, extra)}, (module, extra)


def test_all_test_and_verify_extras():
    extras = _pyproject()["project"]["optional-dependencies"]
    runtime = set(extras) - {"all", "test", "docs", "gpu"}
    assert _expand(extras, "all") == set().union(*(_expand(extras, e) for e in runtime))
    # the suite needs every runtime extra but parquet (tests check the error naming it) and the docs build
    needed = set().union(*(_expand(extras, e) for e in runtime - {"parquet"})) | _expand(extras, "docs")
    assert needed <= _expand(extras, "test")
    assert {"pytest", "pytest-xdist", "ruff", "import-linter"} <= _expand(extras, "test")
    assert {"jax", "cvxpy", "python-sat", "rich", "matplotlib"} <= _expand(extras, "verify")


def test_no_prerelease_pins_but_python_sat():
    proj = _pyproject()["project"]
    reqs = list(proj["dependencies"]) + [r for rs in proj["optional-dependencies"].values() for r in rs]
    pre = [r for r in reqs if re.search(r"\d(\.?(a|b|rc|dev)\d*)", r)]
    assert {_dist(r) for r in pre} <= {"python-sat"}, pre
