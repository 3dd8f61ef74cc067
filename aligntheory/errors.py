"""Exception and warning hierarchy of aligntheory (DESIGN.md §3).

Every error the library raises on purpose derives from :class:`AlignTheoryError`. Errors
about bad input also derive from :class:`ValueError`, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AlignTheoryError",
    "InvalidInputError",
    "DisconnectedGraphError",
    "PrecisionError",
    "ConvergenceError",
    "PaperUnverifiedError",
    "DuplicateClaimError",
    "SizeCapError",
    "InfeasibleBudgetError",
    "UnstableParametersError",
    "BracketError",
    "InvalidOrderError",
    "MissingDependencyError",
    "AsymptoticRangeWarning",
    "IgnoredWeightWarning",
]


class AlignTheoryError(Exception):
    """Base class of every error raised on purpose by aligntheory."""


class InvalidInputError(AlignTheoryError, ValueError):
    """An argument violates a documented constraint.

    Parameters
    ----------
    argument : str
        Name of the offending argument, as in the signature.
    constraint : str
        The constraint that was violated, in words ("must be > 0").
    received : object, optional
        What was received (a value, a shape or a dtype); shown in the message.

    Examples
    --------
    >>> err = InvalidInputError("beta", "must be finite and > 0", received=-1.0)
    >>> str(err)
    'beta: must be finite and > 0 (received -1.0)'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, argument: str, constraint: str, received: Any = None, *, message: str | None = None):
        self.argument = argument
        self.constraint = constraint
        self.received = received
        if message is None:
            message = f"{argument}: {constraint}"
            if received is not None:
                message += f" (received {received if isinstance(received, str) else repr(received)})"
        super().__init__(message)


class DisconnectedGraphError(AlignTheoryError, ValueError):
    """A graph that must be connected (or strongly connected) is not.

    Attributes
    ----------
    components : list of list of int
        The (strongly, when ``directed``) connected components, each sorted.
    directed : bool
        True when strong connectivity of a directed graph (for instance the "beats" graph of a
        Bradley--Terry dataset) was required.
    nodes : tuple
        The query nodes involved, if any.
    """

    def __init__(self, message: str, *, components: Sequence[Sequence[int]] = (), directed: bool = False, nodes: tuple = (),
                 component_labels: Any = None):
        # ``component_labels`` (one component label per node) defers building the lists until they
        # are read: a graph of 10^7 isolated nodes has 10^7 components, and building them eagerly took
        # minutes inside a raise
        self._labels = component_labels
        self._components = None if self._labels is not None else [sorted(int(v) for v in c) for c in components]
        self.directed = directed
        self.nodes = tuple(nodes)
        super().__init__(message)

    @property
    def components(self) -> list[list[int]]:
        """The components, each sorted; built on first access when the error carries labels (largest first)."""
        if self._components is None:
            import numpy as np  # only here: the error module imports nothing heavy

            lab = np.asarray(self._labels, dtype=np.int64)
            sizes = np.bincount(lab) if lab.size else np.zeros(0, np.int64)
            order = np.argsort(lab, kind="stable")
            groups = np.split(order, np.cumsum(sizes)[:-1]) if lab.size else []
            by_size = np.argsort(-sizes, kind="stable")
            self._components = [groups[c].tolist() for c in by_size if sizes[c] > 0]
        return self._components


class PrecisionError(AlignTheoryError, TypeError):
    """A float64 computation received lower-precision input, or JAX runs with x64 disabled.

    The remedy is to enable float64 in JAX (``jax.config.update("jax_enable_x64", True)``)
    and pass float64 arrays; the library never downcasts or upcasts silently.
    """


class ConvergenceError(AlignTheoryError, RuntimeError):
    """An iterative method stopped before meeting its tolerance.

    Attributes
    ----------
    iterations : int
        Iterations performed.
    residual : float
        Final residual or gradient norm.
    """

    def __init__(self, message: str, *, iterations: int | None = None, residual: float | None = None,
                 last_iterate: Any = None, result: Any = None):
        self.iterations = iterations
        self.residual = residual
        self.last_iterate = last_iterate
        self.result = result
        super().__init__(message)


class PaperUnverifiedError(AlignTheoryError, LookupError):
    """A quantity that only the (unavailable) paper text could fill was read while still empty."""


class DuplicateClaimError(AlignTheoryError, KeyError):
    """A claim id was registered twice."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class SizeCapError(InvalidInputError):
    """An instance exceeds the documented size cap of a method; raised *before* any work.

    Parameters
    ----------
    argument : str
        The argument whose size is too large.
    cap : int or float
        The documented cap (a keyword argument of the function, which a user may raise).
    cost : int or float, optional
        The cost the call would have needed (elements, clauses, iterations, bytes), in the unit
        named by ``unit``.
    unit : str
        Unit of ``cap`` and ``cost``.

    Examples
    --------
    >>> err = SizeCapError("n_alternatives", cap=8, cost=10**12, unit="profiles")
    >>> str(err)
    'n_alternatives: size cap exceeded: needs 1000000000000 profiles, cap is 8 profiles (raise the cap argument deliberately to go further)'
    >>> isinstance(err, InvalidInputError)
    True
    """

    def __init__(self, argument: str, constraint: str | None = None, received: Any = None, *,
                 cap: Any = None, cost: Any = None, unit: str = "", message: str | None = None):
        self.cap = cap
        self.cost = cost
        self.unit = unit
        if constraint is None:
            u = f" {unit}" if unit else ""
            need = f"needs {cost}{u}, " if cost is not None else ""
            constraint = (f"size cap exceeded: {need}cap is {cap}{u} "
                          "(raise the cap argument deliberately to go further)")
        super().__init__(argument, constraint, received, message=message)


class InfeasibleBudgetError(AlignTheoryError, ValueError):
    """A cost budget is below the least cost any policy can reach (the constrained problem is infeasible).

    Attributes
    ----------
    min_cost : float
        The least attainable expected cost; any budget ``>= min_cost`` is feasible.
    budget : float or None
        The budget that was asked for.

    Examples
    --------
    >>> InfeasibleBudgetError(0.5, budget=0.1).min_cost
    0.5
    """

    def __init__(self, min_cost: float, *, budget: float | None = None, message: str | None = None):
        self.min_cost = float(min_cost)
        self.budget = None if budget is None else float(budget)
        if message is None:
            message = (f"budget: infeasible: the least attainable expected cost is {self.min_cost!r}"
                       + (f" (received budget {self.budget!r})" if self.budget is not None else ""))
        super().__init__(message)


class UnstableParametersError(AlignTheoryError, ValueError):
    """Parameters of a dynamical system lie outside its stability region.

    Attributes
    ----------
    spectral_radius : float
        Spectral radius of the linearised update (stable iff < 1).
    failed_conditions : tuple of str
        The stability conditions that do not hold, in words.

    Examples
    --------
    >>> UnstableParametersError(1.2, ("|kappa| < 1",)).failed_conditions
    ('|kappa| < 1',)
    """

    def __init__(self, spectral_radius: float, failed_conditions: Sequence[str] = (), *,
                 message: str | None = None):
        self.spectral_radius = float(spectral_radius)
        self.failed_conditions = tuple(failed_conditions)
        if message is None:
            message = (f"unstable parameters: spectral radius {self.spectral_radius:.6g} >= 1"
                       + (f"; failed: {', '.join(self.failed_conditions)}" if self.failed_conditions else ""))
        super().__init__(message)


class BracketError(AlignTheoryError, ValueError):
    """A root-finder's bracket does not contain a sign change.

    Attributes
    ----------
    bracket : tuple of float
        The interval ``(lo, hi)`` that was searched.
    """

    def __init__(self, message: str, *, bracket: tuple[float, float]):
        self.bracket = (float(bracket[0]), float(bracket[1]))
        super().__init__(message)


class InvalidOrderError(InvalidInputError):
    """A relation that must be a strict (or weak) order is not one.

    Attributes
    ----------
    offending : dict
        What breaks the order axioms (for instance ``{"self_loops": [...], "missing": [...]}``).
    """

    def __init__(self, argument: str, constraint: str, received: Any = None, *,
                 offending: Mapping[str, Any] | None = None):
        self.offending = dict(offending or {})
        super().__init__(argument, constraint, received)


class MissingDependencyError(AlignTheoryError, ImportError):
    """An optional dependency is not installed; the message names the extra that provides it.

    Examples
    --------
    >>> str(MissingDependencyError("cvxpy", extra="solvers"))
    "cvxpy is required for this function: pip install 'aligntheory[solvers]'"
    """

    def __init__(self, package: str, *, extra: str):
        self.package = package
        self.extra = extra
        super().__init__(f"{package} is required for this function: pip install 'aligntheory[{extra}]'",
                         name=package)


class AsymptoticRangeWarning(UserWarning):
    """An asymptotic formula is evaluated at sizes where it is a poor approximation."""


class IgnoredWeightWarning(UserWarning):
    """A networkx graph carries a ``weight`` edge attribute that the chosen ``weight=`` does not read.

    Warned by :func:`~aligntheory.theory.ibn.from_networkx` and every graph function of
    :mod:`aligntheory.theory.ibn` when ``weight`` is not ``"weight"`` (our default is ``"var"``)
    but some edge has a ``weight`` attribute: networkx users usually store their weights there,
    and reading another attribute (absent: weight 1) would silently treat the graph as unweighted.
    Also importable from :mod:`aligntheory.theory.ibn`.

    Examples
    --------
    >>> import warnings, networkx as nx
    >>> from aligntheory.theory.ibn import from_networkx
    >>> G = nx.Graph([(0, 1, {"weight": 2.0})])
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _ = from_networkx(G)
    >>> w[0].category.__name__
    'IgnoredWeightWarning'
    """
