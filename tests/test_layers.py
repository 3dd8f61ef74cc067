"""Layering rules of DESIGN.md §2: the theory layer never imports JAX; importing the package is light."""

import subprocess
import sys

import pytest


def _modules(package: str) -> list[str]:
    import importlib
    import pkgutil

    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError as exc:
        if exc.name == package:
            return []
        raise
    return [package] + [m.name for m in pkgutil.walk_packages(pkg.__path__, package + ".")]


@pytest.mark.parametrize("package", ["aligntheory.theory", "aligntheory.numerics"])
def test_host_layers_do_not_import_jax_at_run_time(package):
    """Every module of the exact theory layer and of the host-side numerics imports without JAX.

    The import-linter contract (tests/test_hygiene.py) checks the static import graph; this checks
    what actually happens at run time, in a fresh interpreter, all modules of the package at once.
    """
    modules = _modules(package)
    if not modules:
        pytest.skip(f"{package} does not exist in this version")
    code = (
        f"import sys, importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m in ('jax', 'jaxlib') or m.startswith(('jax.', 'jaxlib.')))\n"
        "print(','.join(bad[:5])); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"importing {package} imported {out.stdout.strip()} {out.stderr[-800:]}"


def test_top_level_import_does_not_enable_x64_or_import_jax():
    code = ("import sys, aligntheory, aligntheory.errors, aligntheory.proofs_check; "
            "sys.exit(1 if 'jax' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_importing_kernels_does_not_flip_x64():
    code = ("import jax, aligntheory.kernels.ibn; import sys; "
            "sys.exit(1 if jax.config.read('jax_enable_x64') else 0)")
    env_run = subprocess.run([sys.executable, "-c", code], timeout=120,
                             env={**__import__("os").environ, "JAX_ENABLE_X64": "0"})
    assert env_run.returncode == 0
