"""Zipf/Pareto leaf masses and complete token trees pruned to a depth (spec ``elasticity.md`` §2.2
items 1-2 and 8)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from aligntheory import _validate as _V  # not V: three functions take the spec's V as a parameter
from aligntheory.errors import InvalidInputError
from aligntheory.results import Bound, provenance
from aligntheory.theory.elasticity._validation import check_distribution

MAX_LEAVES = 10**8
"""Default cap on the number of leaves a function allocates (``zipf_pmf``, trees)."""


@provenance("M", where="spec elasticity.md §2.2 item 8")
def zipf_pmf(M: Any, s: Any, perm: Any = None, *, max_leaves: int = MAX_LEAVES) -> np.ndarray:
    """Zipf masses :math:`P(x_{(r)}) \\propto r^{-s}`, rank :math:`r=1..M`, placed by ``perm`` [M].

    Spec §2.2 item 8 (a stand-in for the paper's Pareto Assumption A.7, whose parameters we do
    not know). ``perm[r-1]`` is the leaf receiving rank ``r``. Computed in log space relative to the
    top rank, so no weight underflows to a zero sum for large ``s``.

    Parameters
    ----------
    M : int
        Number of leaves, 1 <= M <= ``max_leaves``.
    s : float
        Exponent > 0.
    perm : array_like of int, shape (M,), optional
    max_leaves : int, default 100_000_000
        Size cap on the number of leaves (``MAX_LEAVES``).

    Returns
    -------
    numpy.ndarray, shape (M,)

    Raises
    ------
    InvalidInputError
        Invalid sizes or exponents.
    SizeCapError
        More than ``max_leaves`` leaves would be allocated.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> zipf_pmf(3, 1.0).round(4).tolist()
    [0.5455, 0.2727, 0.1818]
    """
    M = _V.check_int("M", M, lo=1)
    _V.check_size("M", M, cap=max_leaves, unit="leaves")
    s = _V.check_scalar("s", s, positive=True)
    w = np.exp(-s * np.log(np.arange(1, M + 1, dtype=np.float64)))  # rank 1 has weight 1: the sum is >= 1
    w /= np.sum(w)
    if perm is None:
        return w
    pm = _V.as_real_array("perm", perm)
    if pm.shape != (M,) or not np.array_equal(np.sort(pm), np.arange(M)):
        raise InvalidInputError("perm", f"must be a permutation of range({M})", received=f"shape {pm.shape}")
    out = np.empty(M)
    out[pm] = w
    return out


@provenance("R", source="ji2024language", where="Assumption A.7 (Pareto masses; as reported in secondary summaries); our generator, spec §2.2 item 8")
def pareto_masses(rng: np.random.Generator, M: Any, alpha: Any, x_m: Any = 1.0, *,
                  max_leaves: int = MAX_LEAVES) -> np.ndarray:
    """:math:`M` i.i.d. Pareto(:math:`\\alpha, x_m`) draws (survival :math:`(x_m/w)^\\alpha`), normalised [R].

    Spec §2.2 item 8; reconstruction; the full text was not available to us. The draws are
    normalised by their largest entry before summing (no overflow for small ``alpha``).

    Parameters
    ----------
    rng : numpy.random.Generator
    M : int
        1 <= M <= ``max_leaves``.
    alpha : float
        Shape > 0.
    x_m : float, default 1.0
        Scale > 0 (validated only: it cancels in the normalisation).
    max_leaves : int, default 100_000_000
        Size cap on the number of leaves (``MAX_LEAVES``).

    Returns
    -------
    numpy.ndarray, shape (M,)

    Raises
    ------
    InvalidInputError
        Invalid sizes or exponents.
    SizeCapError
        More than ``max_leaves`` leaves would be allocated.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> p = pareto_masses(np.random.default_rng(0), 5, 1.5)
    >>> bool(abs(p.sum() - 1) < 1e-12 and p.min() > 0)
    True
    """
    if not isinstance(rng, np.random.Generator):
        raise InvalidInputError("rng", "must be a numpy.random.Generator", received=type(rng).__name__)
    M = _V.check_int("M", M, lo=1)
    _V.check_size("M", M, cap=max_leaves, unit="leaves")
    a = _V.check_scalar("alpha", alpha, positive=True)
    _V.check_scalar("x_m", x_m, positive=True)  # the scale cancels in the normalisation
    logw = -np.log1p(-rng.random(M)) / a  # log(w / x_m), finite: 1 - U > 0
    w = np.exp(logw - np.max(logw))
    return w / np.sum(w)


@provenance("M", where="spec elasticity.md §2.2 item 8")
def zipf_entropy_limit(s: Any) -> Bound:
    """Entropy of Zipf(s) as :math:`M\\to\\infty`: :math:`H = \\log\\zeta(s) - s\\,\\zeta'(s)/\\zeta(s)` (nats) [M].

    Diverges for :math:`s\\le1`. :math:`\\zeta` from ``scipy.special.zeta``, :math:`\\zeta'` from
    ``mpmath.zeta(s, derivative=1)``. Spec §2.2 item 8: :math:`s=2` gives 1.637622.

    Parameters
    ----------
    s : float
        Exponent > 1.

    Returns
    -------
    Bound
        ``kind="exact"`` (the limit itself); ``.sympy()`` gives the closed form in ``s``.

    Raises
    ------
    InvalidInputError
        :math:`s \\le 1` (the entropy diverges) or non-finite.

    Notes
    -----
    :math:`O(1)` (two zeta evaluations).

    Examples
    --------
    >>> round(zipf_entropy_limit(2.0), 6)
    1.637622
    >>> zipf_entropy_limit(2.0).sympy()
    -s*Derivative(zeta(s), s)/zeta(s) + log(zeta(s))
    """
    s = _V.check_scalar("s", s, positive=True)
    if s <= 1.0:
        raise InvalidInputError("s", "must be > 1 (the Zipf entropy diverges for s <= 1)", received=s)
    import mpmath

    z = float(special.zeta(s))
    dz = float(mpmath.zeta(s, derivative=1))
    def expr():
        import sympy as sp

        ss = sp.Symbol("s", positive=True)
        return sp.log(sp.zeta(ss)) - ss * sp.diff(sp.zeta(ss), ss) / sp.zeta(ss)

    return Bound(math.log(z) - s * dz / z, kind="exact", quantity="entropy (nats) of Zipf(s) as M -> infinity",
                 assumptions=("s > 1",), where="spec elasticity.md §2.2 item 8", provenance="M", expr=expr,
                 subs={"s": s})


@provenance("R", source="ji2024language", where="Def 3.1, Def 3.3 (as reported in secondary summaries); our layout, spec §2.2 items 1-2")
def tree_n_leaves(V: Any, depth: Any, *, max_leaves: int = MAX_LEAVES) -> int:  # noqa: N803 -- the spec's V
    """Leaves of a complete V-ary token tree pruned at depth d: :math:`\\sum_{j<d}V^j + V^d` [R].

    Layout (spec §2.2 items 1--2): EOS leaves of levels 0..d-1 in prefix order, then the
    depth-d nodes (each carrying its subtree's weight).

    Parameters
    ----------
    V : int
        Alphabet size >= 2.
    depth : int
        >= 0.
    max_leaves : int, default 100_000_000
        Size cap on the number of leaves (``MAX_LEAVES``).

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        Invalid sizes or exponents.
    SizeCapError
        More than ``max_leaves`` leaves would be allocated.

    Notes
    -----
    :math:`O(\\log(V^d))` (exact integer arithmetic; the cap is checked before any list is built).

    Examples
    --------
    >>> tree_n_leaves(2, 3)
    15
    """
    v = _V.check_int("V", V, lo=2)
    d = _V.check_int("depth", depth, lo=0)
    _check_tree_size(v, d, max_leaves)
    return (v ** (d + 1) - 1) // (v - 1)  # = sum_{j<d} V^j + V^d


@provenance("R", source="ji2024language", where="Def 3.1 (as reported in secondary summaries); our layout, spec §2.2 items 1-2")
def tree_level_offsets(V: Any, depth: Any, *, max_leaves: int = MAX_LEAVES) -> list[int]:  # noqa: N803
    """Start index of each level's block in the leaf vector (levels 0..depth) [R].

    Parameters
    ----------
    V : int
        Alphabet size >= 2.
    depth : int
        >= 0.
    max_leaves : int, default 100_000_000
        Size cap on the number of leaves (``MAX_LEAVES``).

    Returns
    -------
    list of int, length depth + 1

    Raises
    ------
    InvalidInputError
        Invalid sizes or exponents.
    SizeCapError
        More than ``max_leaves`` leaves would be allocated.

    Notes
    -----
    :math:`O(d)` (exact integer arithmetic; the cap is checked before any list is built).

    Examples
    --------
    >>> tree_level_offsets(2, 2)
    [0, 1, 3]
    """
    v = _V.check_int("V", V, lo=2)
    d = _V.check_int("depth", depth, lo=0)
    _check_tree_size(v, d, max_leaves)
    out, o = [], 0
    for j in range(d + 1):
        out.append(o)
        o += v**j
    return out


def _check_tree_size(v: int, d: int, cap: int) -> None:
    # V^d alone exceeds the cap when d log V > log cap: decide with logarithms before any big power
    if d * math.log(v) > math.log(max(cap, 1)) + 1e-9:
        _V.check_size("depth", math.inf, cap=cap, unit="leaves", received=f"V = {v}, depth = {d}")
    _V.check_size("depth", (v ** (d + 1) - 1) // (v - 1), cap=cap, unit="leaves", received=f"V = {v}, depth = {d}")


@provenance("R", source="ji2024language", where="Def 3.3 pruning (as reported in secondary summaries); our lumping rule, spec §2.2 item 2")
def prune_leaf_probs(leaf_p: Any, V: Any, depth: Any, d: Any) -> np.ndarray:  # noqa: N803
    """Prune a depth-D token-tree leaf distribution to depth d by lumping subtrees [R].

    Reconstruction; the full text was not available to us. Spec §2.2 item 2: leaves of the pruned
    tree are the EOS leaves above depth d plus every
    depth-d node with its whole subtree weight :math:`W(u)`. The result is a coarse-graining of
    the depth-(d+1) distribution (refinement property [M]).

    Parameters
    ----------
    leaf_p : array_like, shape (tree_n_leaves(V, D),)
    V : int
        Alphabet size.
    depth : int
        :math:`D`.
    d : int
        :math:`1 \\le d \\le D`.

    Returns
    -------
    numpy.ndarray, shape (tree_n_leaves(V, d),)

    Raises
    ------
    InvalidInputError
        :math:`d \\notin [1, D]`, ``leaf_p`` not a probability vector of the right length.
    SizeCapError
        The tree would exceed the default leaf cap.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> p = np.full(7, 1 / 7)
    >>> (prune_leaf_probs(p, 2, 2, 1) * 7).round(6).tolist()
    [1.0, 3.0, 3.0]
    """
    v = _V.check_int("V", V, lo=2)
    D = _V.check_int("depth", depth, lo=1)
    d = _V.check_int("d", d, lo=1)
    if d > D:
        raise InvalidInputError("d", f"pruning depth must satisfy 1 <= d <= D = {D}", received=d)
    P = check_distribution("leaf_p", leaf_p)
    if P.size != tree_n_leaves(v, D):
        raise InvalidInputError("leaf_p", f"must have tree_n_leaves(V, depth) = {tree_n_leaves(v, D)} entries",
                                received=f"shape {P.shape}")
    off = tree_level_offsets(v, D)
    head = P[: off[d]]
    W = np.zeros(v**d)
    for j in range(d, D + 1):
        W += P[off[j]: off[j] + v**j].reshape(v**d, v ** (j - d)).sum(axis=1)
    return np.concatenate([head, W])
