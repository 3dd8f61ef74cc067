"""Plant a single-token mutant in a library function, as ``tools.mutate`` does, for the tests that show a claim
can fail (``tests/proofs_check/test_round*_claims_*.py``)."""

from __future__ import annotations

import inspect
import textwrap
import types
from typing import Any


def recompiled(module: Any, name: str, old: str, new: str):
    """``module.name`` recompiled from its source with its one occurrence of ``old`` replaced by ``new``.

    ``module`` is a module, or a class (then ``name`` is a method and the class's module gives the namespace).
    The copy runs in a copy of the module's namespace, so the module itself is untouched; a numba kernel is
    recompiled from its Python source and runs as Python (its ``@_jit`` line is dropped). Patch the result in
    with ``monkeypatch.setattr``.
    """
    fn = getattr(module, name)
    src = textwrap.dedent(inspect.getsource(getattr(fn, "py_func", fn)))
    src = src.replace("@_jit\n", "", 1)
    assert src.count(old) == 1, (name, old, src.count(old))
    home = inspect.getmodule(module) if isinstance(module, type) else module
    ns = types.ModuleType(f"{home.__name__}_mutant")
    ns.__dict__.update({k: v for k, v in vars(home).items() if not k.startswith("__")})
    exec(compile(src.replace(old, new), f"<mutant of {home.__name__}.{name}>", "exec"), ns.__dict__)
    return getattr(ns, name)


def plant(monkeypatch: Any, modname: str, fname: str, old: str, new: str, packages: tuple[str, ...] = ()) -> None:
    """Patch ``modname.fname`` (and its re-exports in ``packages``) with :func:`recompiled`'s mutant."""
    import importlib

    mod = importlib.import_module(modname)
    fn = recompiled(mod, fname, old, new)
    monkeypatch.setattr(mod, fname, fn)
    for p in packages:
        monkeypatch.setattr(importlib.import_module(p), fname, fn)
