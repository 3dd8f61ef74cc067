"""Layering rules of DESIGN.md §2: the theory layer never imports JAX; importing the package is light."""

import subprocess
import sys

import pytest

import aligntheory.theory as theory_pkg


def _theory_modules():
    import pkgutil

    names = ["aligntheory.theory"]
    for m in pkgutil.walk_packages(theory_pkg.__path__, "aligntheory.theory."):
        names.append(m.name)
    return names


@pytest.mark.parametrize("module", _theory_modules())
def test_theory_module_does_not_import_jax(module):
    code = (
        "import sys, importlib; importlib.import_module(%r); "
        "bad = [m for m in sys.modules if m == 'jax' or m.startswith('jax.') or m == 'jaxlib']; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)" % module
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{module} imported {out.stdout.strip()} {out.stderr[-500:]}"


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
