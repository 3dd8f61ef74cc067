"""Registered claims confronting theory with simulation, exhaustive search or optimisation.

Each pillar module (``proofs_check/ibn.py``, ...) registers its claims on import;
:func:`load_all` imports every pillar module of this package.

Dependencies: loading the registry needs only the slim core (numpy, scipy, sympy, networkx), so
``aligntheory list`` and ``aligntheory cite`` work on ``pip install aligntheory``. A claim module
therefore imports JAX, the kernels and the solvers *inside* its checks, never at module level
(``tests/test_slim_core.py`` loads the registry with every optional package hidden). Running the
checks needs the ``verify`` extra.
"""

from __future__ import annotations

import importlib
import pkgutil

from aligntheory.proofs_check._registry import (
    KINDS,
    PROVENANCE,
    REGISTRY,
    RICE,
    STAGES,
    Claim,
    Context,
    Evidence,
    Figure,
    Registry,
    Series,
    Source,
    Verdict,
    claim,
)

__all__ = [
    "KINDS",
    "PROVENANCE",
    "REGISTRY",
    "RICE",
    "STAGES",
    "Claim",
    "Context",
    "Evidence",
    "Figure",
    "Registry",
    "Series",
    "Source",
    "Verdict",
    "claim",
    "load_all",
    "pillar_modules",
]


def pillar_modules() -> list[str]:
    """Names of the pillar modules of this package (public, non-underscore modules).

    Examples
    --------
    >>> {"ibn", "social_choice", "elasticity", "progress", "safety"} <= set(pillar_modules())
    True
    """
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load_all() -> Registry:
    """Import every pillar module so that its claims are registered; return :data:`REGISTRY`.

    Examples
    --------
    >>> reg = load_all()
    >>> reg.get("ibn.foster_theorem").provenance
    'M'
    """
    for name in pillar_modules():
        importlib.import_module(f"{__name__}.{name}")
    return REGISTRY
