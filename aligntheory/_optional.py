"""Optional dependencies: one place that imports them and names the extra that provides each.

``require("cvxpy")`` returns the imported module, or raises
:class:`~aligntheory.errors.MissingDependencyError` naming the ``pip install 'aligntheory[extra]'``
that provides it. Every module outside the slim core (numpy, scipy, sympy, networkx) imports its
optional packages through this function, lazily, inside the function that needs them.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from aligntheory.errors import MissingDependencyError

__all__ = ["EXTRA_OF", "require", "available"]

#: Import name -> the extra of ``pyproject.toml`` that installs it.
EXTRA_OF: dict[str, str] = {
    "jax": "jax",
    "jaxlib": "jax",
    "cvxpy": "solvers",
    "pysat": "solvers",
    "pyamg": "solvers",
    "hypothesis": "testing",
    "rich": "verify",
    "matplotlib": "verify",
    "pandas": "analysis",
    "pyarrow": "analysis",
    "pref_voting": "social",
    "choix": "bench",
}


def require(name: str, *, extra: str | None = None) -> ModuleType:
    """Import the optional module ``name`` or raise an error naming the extra that installs it.

    Parameters
    ----------
    name : str
        Import name (``"cvxpy"``, ``"jax.numpy"``); the top-level package decides the extra.
    extra : str, optional
        Overrides :data:`EXTRA_OF` for the message.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    MissingDependencyError
        The package is not installed; the message is ``pip install 'aligntheory[<extra>]'``.

    Examples
    --------
    >>> require("numpy").__name__
    'numpy'
    >>> require("surely_not_installed_pkg", extra="all")
    Traceback (most recent call last):
    ...
    aligntheory.errors.MissingDependencyError: surely_not_installed_pkg is required for this function: pip install 'aligntheory[all]'
    """
    top = name.split(".", 1)[0]
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".", 1)[0] != top:
            raise  # the package is there but one of ITS dependencies is broken: show that
        raise MissingDependencyError(top, extra=extra or EXTRA_OF.get(top, "all")) from exc


def available(name: str) -> bool:
    """Whether ``name`` can be imported (without importing it when it is already loaded).

    Examples
    --------
    >>> available("numpy"), available("surely_not_installed_pkg")
    (True, False)
    """
    import importlib.util
    import sys

    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
