"""Exception and warning hierarchy of aligntheory (DESIGN.md §3).

Every error the library raises on purpose derives from :class:`AlignTheoryError`. Errors
about bad input also derive from :class:`ValueError`, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    "AsymptoticRangeWarning",
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

    def __init__(self, message: str, *, components: Sequence[Sequence[int]] = (), directed: bool = False, nodes: tuple = ()):
        self.components = [sorted(int(v) for v in c) for c in components]
        self.directed = directed
        self.nodes = tuple(nodes)
        super().__init__(message)


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

    def __init__(self, message: str, *, iterations: int | None = None, residual: float | None = None):
        self.iterations = iterations
        self.residual = residual
        super().__init__(message)


class PaperUnverifiedError(AlignTheoryError, LookupError):
    """A quantity that only the (unavailable) paper text could fill was read while still empty."""


class DuplicateClaimError(AlignTheoryError, KeyError):
    """A claim id was registered twice."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class SizeCapError(InvalidInputError):
    """An instance exceeds the documented size cap of an exhaustive method."""


class AsymptoticRangeWarning(UserWarning):
    """An asymptotic formula is evaluated at sizes where it is a poor approximation."""
