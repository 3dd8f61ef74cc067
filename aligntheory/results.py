"""Result vocabulary shared by every layer: :class:`RESULTS`, :class:`Bound`, :func:`provenance`.

The library follows one failure contract (docs/DESIGN.md §7):

* every solver-like function takes ``throw: bool = True``; with ``throw=True`` a failure raises a
  named error of :mod:`aligntheory.errors`; with ``throw=False`` the function returns its result
  object with ``result`` set to a member of :class:`RESULTS` saying what went wrong;
* input validation inside jitted kernels is a separate switch, ``validate=``;
* multi-valued results are frozen dataclasses or NamedTuples, never bare tuples or dicts;
* every bound calculator returns a :class:`Bound`, which behaves as the number it holds;
* provenance ([V] verbatim, [S] secondary source, [R] our reconstruction, [M] standard mathematics)
  is declared with :func:`provenance`, read back with :func:`get_provenance`.

Nothing here imports JAX or sympy at import time.
"""

from __future__ import annotations

import enum
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import numpy as np

from aligntheory.errors import InvalidInputError

__all__ = [
    "RESULTS",
    "Bound",
    "BOUND_KINDS",
    "PROVENANCE",
    "Provenance",
    "provenance",
    "get_provenance",
    "raise_or_flag",
]

PROVENANCE = {"V": "verbatim", "S": "secondary source", "R": "our reconstruction", "M": "standard mathematics"}
"""Provenance tags and their meaning."""

BOUND_KINDS = ("upper", "lower", "exact", "asymptotic", "estimate")
"""Kinds of :class:`Bound`: ``estimate`` marks a plug-in value with no guarantee."""


class RESULTS(enum.Enum):
    """Outcome of a solver-like function (optimistix's ``RESULTS`` idea).

    Examples
    --------
    >>> RESULTS.successful.succeeded, RESULTS.max_steps_reached.succeeded
    (True, False)
    >>> RESULTS("disconnected") is RESULTS.disconnected
    True
    """

    successful = "successful"
    max_steps_reached = "max_steps_reached"
    breakdown = "breakdown"
    nonfinite = "nonfinite"
    disconnected = "disconnected"
    infeasible = "infeasible"
    unbounded = "unbounded"
    inaccurate = "inaccurate"
    unstable = "unstable"

    @property
    def succeeded(self) -> bool:
        """True only for :attr:`successful`."""
        return self is RESULTS.successful

    def __str__(self) -> str:
        return self.value


def raise_or_flag(result: RESULTS, *, throw: bool, error: Callable[[], BaseException]) -> RESULTS:
    """Apply the failure contract: raise ``error()`` when ``throw`` and the result is a failure.

    Parameters
    ----------
    result : RESULTS
        The outcome the solver reached.
    throw : bool
        The caller's ``throw=`` argument.
    error : callable
        Builds the named error (called only when it is raised).

    Returns
    -------
    RESULTS
        ``result`` unchanged (when not raised), to store in the result object.

    Examples
    --------
    >>> from aligntheory.errors import ConvergenceError
    >>> raise_or_flag(RESULTS.max_steps_reached, throw=False, error=lambda: ConvergenceError("no"))
    <RESULTS.max_steps_reached: 'max_steps_reached'>
    >>> raise_or_flag(RESULTS.max_steps_reached, throw=True, error=lambda: ConvergenceError("no"))
    Traceback (most recent call last):
    ...
    aligntheory.errors.ConvergenceError: no
    """
    if throw and not result.succeeded:
        raise error()
    return result


# ----------------------------------------------------------------------------------------------
# provenance


class Provenance(NamedTuple):
    """Provenance of a public object: tag, references key and where in the source."""

    tag: str
    source: str | None
    where: str

    @property
    def meaning(self) -> str:
        return PROVENANCE[self.tag]


T = TypeVar("T")


def provenance(tag: str, *, source: str | None = None, where: str = "") -> Callable[[T], T]:
    """Declare the provenance of a public function or class (the one way to do so).

    Sets ``obj.__aligntheory_provenance__`` to the tag (a string, so older checks that compare
    it with ``"R"`` keep working) and ``obj.__aligntheory_source__`` to ``(source, where)``; an
    [R] object is also marked ``paper_unverified = True``.

    Parameters
    ----------
    tag : {'V', 'S', 'R', 'M'}
        Verbatim from the paper, secondary source, our reconstruction, standard mathematics.
    source : str, optional
        Key of :data:`aligntheory.references.REFERENCES` (required for V, S and R).
    where : str
        Section, theorem or equation in that source.

    Examples
    --------
    >>> @provenance("M", source="foster1949average", where="Thm 1")
    ... def f():
    ...     return 1
    >>> get_provenance(f)
    Provenance(tag='M', source='foster1949average', where='Thm 1')
    """
    if tag not in PROVENANCE:
        raise InvalidInputError("tag", f"must be one of {tuple(PROVENANCE)}", received=tag)
    if source is not None:
        from aligntheory.references import REFERENCES

        if source not in REFERENCES:
            raise InvalidInputError("source", "must be a key of aligntheory.references.REFERENCES", received=source)
    elif tag in ("V", "S", "R"):
        raise InvalidInputError("source", f"is required for provenance [{tag}]")

    def decorate(obj: T) -> T:
        obj.__aligntheory_provenance__ = tag  # type: ignore[attr-defined]
        obj.__aligntheory_source__ = (source, where)  # type: ignore[attr-defined]
        if tag == "R":
            obj.paper_unverified = True  # type: ignore[attr-defined]
        return obj

    return decorate


def get_provenance(obj: Any) -> Provenance | None:
    """The :class:`Provenance` declared on ``obj`` with :func:`provenance`, or None.

    Examples
    --------
    >>> get_provenance(len) is None
    True
    """
    tag = getattr(obj, "__aligntheory_provenance__", None)
    if tag is None:
        return None
    source, where = getattr(obj, "__aligntheory_source__", (None, ""))
    return Provenance(str(tag), source, where)


# ----------------------------------------------------------------------------------------------
# Bound


def _num(x: Any) -> Any:
    return x.value if isinstance(x, Bound) else x


@dataclass(frozen=True, eq=False)
class Bound:
    """A bound (or exact value) with what it assumes and where it comes from; behaves as its number.

    Parameters
    ----------
    value : int or float
        The number. Integer-valued results (sample sizes) stay Python ``int``.
    kind : {'upper', 'lower', 'exact', 'asymptotic', 'estimate'}
        What the number is for the quantity it bounds.
    quantity : str
        What is bounded, in words ("sample size n", "generalization gap").
    assumptions : tuple of str
        The hypotheses under which the bound holds.
    source : str, optional
        Key of :data:`aligntheory.references.REFERENCES`.
    where : str
        Section or theorem of the source.
    provenance : {'V', 'S', 'R', 'M'}
        Provenance tag of the statement.
    expr : sympy expression or callable, optional
        Closed form (a sympy expression, or a zero-argument callable building one lazily, so that
        sympy is imported only when asked).
    subs : mapping, optional
        Values of the symbols of ``expr`` used for :attr:`value`.

    Notes
    -----
    ``float(b)``, ``int(b)``, comparisons, arithmetic (which returns plain numbers),
    ``numpy.asarray(b)``, ``math.isclose`` and ``format(b, ".3g")`` all act on :attr:`value`;
    ``operator.index`` works when the value is an integer, so ``range(b)`` does too.

    Examples
    --------
    >>> b = Bound(1661, kind="upper", quantity="sample size", provenance="R", source="qiu2024reward",
    ...           assumptions=("finite class",))
    >>> b + 1, b > 1000, float(b), range(b)[-1]
    (1662, True, 1661.0, 1660)
    >>> import numpy as np
    >>> float(np.asarray(b) * 2)
    3322.0
    >>> b.kind, b.assumptions
    ('upper', ('finite class',))
    """

    value: int | float
    kind: str
    quantity: str = ""
    assumptions: tuple[str, ...] = ()
    source: str | None = None
    where: str = ""
    provenance: str = "M"
    expr: Any = field(default=None, repr=False)
    subs: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in BOUND_KINDS:
            raise InvalidInputError("kind", f"must be one of {BOUND_KINDS}", received=self.kind)
        if self.provenance not in PROVENANCE:
            raise InvalidInputError("provenance", f"must be one of {tuple(PROVENANCE)}", received=self.provenance)
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (numbers.Real, np.integer, np.floating)):
            raise InvalidInputError("value", "must be a real number", received=v)
        object.__setattr__(self, "value", int(v) if isinstance(v, (numbers.Integral, np.integer)) else float(v))
        object.__setattr__(self, "assumptions", tuple(self.assumptions))

    # -- symbolic --------------------------------------------------------------------------
    def sympy(self):
        """The closed form as a sympy expression (raises when the bound has none).

        Examples
        --------
        >>> import sympy as sp
        >>> n = sp.Symbol("n", positive=True)
        >>> Bound(0.5, kind="exact", expr=1 / n, subs={"n": 2}).sympy()
        1/n
        """
        if self.expr is None:
            raise InvalidInputError("expr", "this bound has no closed form")
        return self.expr() if callable(self.expr) and not hasattr(self.expr, "free_symbols") else self.expr

    def latex(self) -> str:
        """LaTeX of the closed form.

        Examples
        --------
        >>> import sympy as sp
        >>> n = sp.Symbol("n", positive=True)
        >>> Bound(0.5, kind="exact", expr=1 / n).latex()
        '\\\\frac{1}{n}'
        """
        import sympy as sp

        return sp.latex(self.sympy())

    def describe(self) -> str:
        """One line for a paper's appendix: kind, value, quantity, source and assumptions."""
        src = " ".join(part for part in (f"[{self.provenance}]", self.source, self.where) if part)
        src = f" {src}" if src else ""
        ass = f"; assumes {', '.join(self.assumptions)}" if self.assumptions else ""
        return f"{self.kind} bound on {self.quantity or 'the quantity'}: {self.value!r}{src}{ass}"

    # -- number protocol -------------------------------------------------------------------
    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        if not isinstance(self.value, int):
            raise TypeError(f"Bound value {self.value!r} is not an integer")
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __round__(self, ndigits: int | None = None):
        return round(self.value, ndigits)

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        o = _num(other)
        return self.value == o if isinstance(o, (numbers.Number, np.number)) else NotImplemented

    def __lt__(self, other: Any) -> bool:
        return self.value < _num(other)

    def __le__(self, other: Any) -> bool:
        return self.value <= _num(other)

    def __gt__(self, other: Any) -> bool:
        return self.value > _num(other)

    def __ge__(self, other: Any) -> bool:
        return self.value >= _num(other)

    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return abs(self.value)

    def __add__(self, o):
        return self.value + _num(o)

    def __radd__(self, o):
        return _num(o) + self.value

    def __sub__(self, o):
        return self.value - _num(o)

    def __rsub__(self, o):
        return _num(o) - self.value

    def __mul__(self, o):
        return self.value * _num(o)

    def __rmul__(self, o):
        return _num(o) * self.value

    def __truediv__(self, o):
        return self.value / _num(o)

    def __rtruediv__(self, o):
        return _num(o) / self.value

    def __floordiv__(self, o):
        return self.value // _num(o)

    def __rfloordiv__(self, o):
        return _num(o) // self.value

    def __pow__(self, o):
        return self.value ** _num(o)

    def __rpow__(self, o):
        return _num(o) ** self.value

