"""Optional dependencies: one place that imports them and names the extra that provides each.

``require("cvxpy")`` returns the imported module, or raises
:class:`~aligntheory.errors.MissingDependencyError` naming the ``pip install 'aligntheory[extra]'``
that provides it. Every module outside the slim core (numpy, scipy, sympy, networkx) imports its
optional packages through this function, lazily, inside the function that needs them.

The slim core (``pip install aligntheory``) is the exact layer: :mod:`aligntheory.theory`,
:mod:`aligntheory.numerics`, ``results``, ``errors``, ``config``, ``references`` and the claims
registry (``aligntheory list`` and ``cite``). The extras of ``pyproject.toml``:

=========== ====================================================================
extra       provides
=========== ====================================================================
jax         :mod:`aligntheory.kernels` (jax)
solvers     LP/MILP, SAT and multigrid back ends (cvxpy, python-sat, pyamg)
testing     :mod:`aligntheory.testing` hypothesis strategies (hypothesis)
analysis    data-frame input and output of :mod:`aligntheory.analysis` (pandas)
parquet     Parquet input files (pyarrow)
social      pref_voting profiles and PrefLib files (pref-voting, preflibtools)
verify      ``aligntheory verify``: jax + solvers + analysis + rich + matplotlib
bench       ``python -m benchmarks`` (checkout only): jax, solvers, analysis, social, choix
docs        the documentation site (mkdocs and plugins)
gpu         jax with CUDA 12
all         every runtime extra above except docs and gpu
=========== ====================================================================
"""
from __future__ import annotations

import importlib
import os
import sys
import threading
from types import ModuleType

from aligntheory.errors import MissingDependencyError

__all__ = ["EXTRA_OF", "EXTRA_MODULES", "require", "available", "missing", "highs_banner_to_stderr"]

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
    "pyarrow": "parquet",
    "pref_voting": "social",
    "preflibtools": "social",
    "choix": "bench",
    "numba": "fast",
}

#: Extra -> the import names it must make importable (used by commands that need a whole extra,
#: such as ``aligntheory verify``). Kept in step with ``[project.optional-dependencies]`` by
#: ``tests/test_slim_core.py``.
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "jax": ("jax",),
    "solvers": ("cvxpy", "pysat", "pyamg"),
    "testing": ("hypothesis",),
    "analysis": ("pandas",),
    "parquet": ("pyarrow",),
    "social": ("pref_voting", "preflibtools"),
    "verify": ("jax", "cvxpy", "pysat", "pyamg", "pandas", "rich", "matplotlib"),
    "bench": ("jax", "cvxpy", "pysat", "pyamg", "pandas", "pref_voting", "preflibtools", "choix", "numba"),
    "fast": ("numba",),
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
        module = importlib.import_module(name)
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".", 1)[0] != top:
            raise  # the package is there but one of ITS dependencies is broken: show that
        raise MissingDependencyError(top, extra=extra or EXTRA_OF.get(top, "all")) from exc
    if top == "cvxpy":
        highs_banner_to_stderr()
    return module


_BANNER_LOCK = threading.Lock()
_BANNER_DONE = False


def highs_banner_to_stderr() -> bool:
    """Send the HiGHS banner to standard error instead of standard output, once per process.

    HiGHS (cvxpy's ``HIGHS`` solver, through ``highspy``) writes a two-line copyright banner to the
    C-level standard output the first time a ``highspy.Highs`` object is made in a process, whatever
    cvxpy's ``verbose`` and HiGHS's ``output_flag`` say (the object is made before options are set).
    On standard output it corrupts machine-readable output, e.g. ``aligntheory list --coverage
    --json``. This function makes that first object itself with file descriptor 1 pointed at
    descriptor 2, so the banner goes to standard error, then restores descriptor 1. Later objects
    print nothing. :func:`require` calls it whenever it returns cvxpy.

    Returns
    -------
    bool
        True when this call moved the banner; False when it had already run, ``highspy`` is not
        installed, or the descriptors could not be duplicated (descriptor 1 or 2 closed): then
        nothing is changed.

    Notes
    -----
    O(1): one ``highspy.Highs()`` construction (well under a millisecond after import), once per
    process, under a lock. For that instant, output that other threads write to descriptor 1 also
    goes to standard error. The C library's buffers are flushed before the descriptor is restored,
    so a buffered banner cannot reach standard output later.

    Examples
    --------
    Only the first call in a process acts:

    >>> _ = highs_banner_to_stderr()
    >>> highs_banner_to_stderr()
    False
    """
    global _BANNER_DONE
    with _BANNER_LOCK:
        if _BANNER_DONE:
            return False
        _BANNER_DONE = True
        if not available("highspy"):
            return False
        import highspy

        try:
            sys.stdout.flush()
            saved = os.dup(1)
        except (OSError, ValueError):
            return False
        try:
            os.dup2(2, 1)
            highspy.Highs()
            _flush_c_stdio()
        except OSError:
            return False
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        return True


def _flush_c_stdio() -> None:
    """``fflush(NULL)`` of the C library, where ctypes can find it (not on every platform)."""
    import ctypes

    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):
        pass


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


def missing(extra: str) -> list[str]:
    """Import names of the packages of ``extra`` that are not installed (empty when it is complete).

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRA_MODULES` (``"verify"``, ``"solvers"``, ...).

    Returns
    -------
    list of str
        The absent import names, in the order of :data:`EXTRA_MODULES`.

    Raises
    ------
    InvalidInputError
        ``extra`` is not a known extra.

    Examples
    --------
    >>> isinstance(missing("verify"), list)
    True
    >>> missing("nope")
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: extra: ...
    """
    if extra not in EXTRA_MODULES:
        from aligntheory.errors import InvalidInputError

        raise InvalidInputError("extra", f"must be one of {sorted(EXTRA_MODULES)}", received=extra)
    return [m for m in EXTRA_MODULES[extra] if not available(m)]
