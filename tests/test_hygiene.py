"""Hygiene in CI: ruff, the import-linter layer contracts and the ``approx`` rule pass on the repository, and catch violations.

Both tools come with the ``test`` extra (``pip install -e ".[test]"``), so these tests never skip in
CI. The second half of each pair proves the check can fail: the project's own configuration is
applied to a small tree that breaks it on purpose.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tomllib():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def _lint_imports_exe() -> str:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    assert Path(exe).exists(), "lint-imports not found: install the test extra (pip install -e '.[test]')"
    return exe


def _lint_imports(*args: str, cwd: Path = ROOT, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pythonpath or ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([_lint_imports_exe(), "--no-cache", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


# ---------------------------------------------------------------------------------------------
# ruff


def test_ruff_is_clean():
    out = _ruff("check", "--no-cache", "--output-format", "concise", ".")
    assert out.returncode == 0, f"ruff found problems:\n{out.stdout[-6000:]}{out.stderr[-2000:]}"


def test_ruff_configuration_catches_violations(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nimport sys\n\n\ndef f(x=[]):\n    return undefined_name\n")
    out = _ruff("check", "--no-cache", "--output-format", "concise", "--config", str(ROOT / "pyproject.toml"),
                str(bad), cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    for rule in ("F401", "F821", "B006"):
        assert rule in out.stdout, f"{rule} not reported:\n{out.stdout}"


# ---------------------------------------------------------------------------------------------
# import-linter


def test_import_contracts_are_kept():
    out = _lint_imports()
    assert out.returncode == 0, f"import contracts broken:\n{out.stdout[-6000:]}{out.stderr[-2000:]}"
    assert "0 broken" in out.stdout


def _contracts_config() -> dict:
    return _tomllib().loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


_FAKE_MODULES = ["aligntheory", "aligntheory.cli", "aligntheory.report", "aligntheory.proofs_check",
                 "aligntheory.analysis", "aligntheory.kernels", "aligntheory.numerics", "aligntheory.theory",
                 "aligntheory.testing", "aligntheory.results", "aligntheory.errors", "aligntheory.config",
                 "aligntheory.references", "benchmarks"]


def _fake_tree(root: Path, extra: dict[str, str]) -> None:
    """A skeleton of the package with every module the contracts name, plus ``extra`` module sources."""
    for mod in _FAKE_MODULES:
        d = root.joinpath(*mod.split("."))
        d.mkdir(parents=True, exist_ok=True)
        (d / "__init__.py").write_text("")
    # legitimate imports, downwards
    (root / "aligntheory" / "cli" / "__init__.py").write_text("import aligntheory.report\nimport aligntheory.analysis\n")
    (root / "aligntheory" / "kernels" / "__init__.py").write_text("import jax\nimport aligntheory.theory\n")
    for mod, src in extra.items():
        (root.joinpath(*mod.split(".")) / "__init__.py").write_text(textwrap.dedent(src))


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    return "[" + ", ".join(json.dumps(x) for x in v) + "]"


def _write_config(root: Path) -> Path:
    """The project's [tool.importlinter] section, verbatim in content, as a stand-alone TOML file."""
    cfg = _contracts_config()
    lines = ["[tool.importlinter]"] + [f"{k} = {_toml(v)}" for k, v in cfg.items() if k != "contracts"]
    for c in cfg["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"] + [f"{k} = {_toml(v)}" for k, v in c.items()]
    path = root / "contracts.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("extra, broken", [
    ({}, None),
    ({"aligntheory.theory": "import jax\n"}, "The theory layer never imports JAX"),
    ({"aligntheory.theory": "import aligntheory.kernels\n"}, "Layers"),
    ({"aligntheory.kernels": "import aligntheory.proofs_check\n"}, "Layers"),
    ({"aligntheory.analysis": "def f():\n    import aligntheory.cli\n"}, "Layers"),
    ({"aligntheory.testing": "import aligntheory.cli\n"}, "Nothing in the library imports the CLI"),
    ({"aligntheory.proofs_check": "import benchmarks\n"}, "Nothing in the library imports the CLI"),
], ids=["clean", "theory-jax", "theory-up", "kernels-up", "analysis-cli", "testing-cli", "claims-benchmarks"])
def test_import_contracts_catch_violations(tmp_path, extra, broken):
    _fake_tree(tmp_path, extra)
    cfg = _write_config(tmp_path)
    out = _lint_imports("--config", str(cfg), cwd=tmp_path, pythonpath=tmp_path)
    if broken is None:
        assert out.returncode == 0, out.stdout + out.stderr
    else:
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"{broken}" in out.stdout and "BROKEN" in out.stdout, out.stdout


# ``pytest.approx(x, rel=r)`` keeps its default absolute tolerance of 1e-12, so a test at tiny scales
# (expected values of 1e-23 or 1e-300) passes whatever the code returns, and on O(1) values a stated
# ``rel=1e-14`` is in effect 1e-12. Three scale tests were vacuous this way (CHANGELOG, round 14).
# The rule: every ``approx`` call in tests/ states ``abs`` explicitly (``abs=0.0`` unless a floor is
# justified beside it), and every numpy ``isclose``/``allclose`` its ``atol`` (default 1e-8).


def _approx_calls_without_abs(source: str, name: str = "<src>") -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        kws = {k.arg for k in node.keywords}
        if called == "approx" and "abs" not in kws:
            out.append(f"{name}:{node.lineno}")
        # numpy's isclose/allclose carry atol=1e-8 by default, a floor far coarser than approx's
        elif (called in ("isclose", "allclose") and "atol" not in kws and len(node.args) < 4
              and not (isinstance(f, ast.Attribute) and getattr(f.value, "id", None) == "math")):
            out.append(f"{name}:{node.lineno}")
    return out


def test_every_approx_states_its_absolute_tolerance():
    bad = []
    files = sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 100  # the scan reads the real suite
    for p in files:
        bad += _approx_calls_without_abs(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))
    assert not bad, "approx without abs= or isclose/allclose without atol= (default floors hide tiny-scale errors): " + ", ".join(bad)


@pytest.mark.parametrize("src, n_bad", [
    ("x == pytest.approx(1e-23, rel=1e-9)\n", 1),
    ("from pytest import approx\nx == approx(2.0)\n", 1),
    ("x == pytest.approx(1e-23, rel=1e-9, abs=0.0)\n", 0),
    ("x == approx(0.0, abs=1e-15)\n", 0),
    ("assert np.allclose(R, 4.0, rtol=1e-14)\n", 1),
    ("assert jnp.isclose(a, b)\n", 1),
    ("assert np.allclose(R, 4.0, rtol=1e-14, atol=0.0) and math.isclose(a, b)\n", 0),
    ("assert f(a) == pytest.approx(b, 1e-3) and g == pytest.approx(c, rel=1e-3, abs=0.0)\n", 1),
])
def test_approx_rule_catches_violations(src, n_bad):
    assert len(_approx_calls_without_abs(src)) == n_bad
    # and the pitfall the rule exists for is real: rel alone accepts a value 1e5 times too large
    assert 3e-18 == pytest.approx(3e-23, rel=1e-9, abs=1e-12)
    assert 3e-18 != pytest.approx(3e-23, rel=1e-9, abs=0.0)
