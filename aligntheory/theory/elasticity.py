"""Elasticity of language models: compression rates of mixed datasets (spec ``elasticity.md``).

Paper: Ji et al., *Language Models Resist Alignment: Evidence From Data Compression*
(arXiv 2406.06144, ACL 2025). The full text was not available to us; the paper's statements
reach this module only through secondary summaries [S], and everything the code computes is
either standard mathematics [M] or our reconstruction [R] (spec §2.2, §3).

Setting [R]. Leaves :math:`x\\in\\mathcal X`, :math:`|\\mathcal X|=M`; pre-training, alignment and
perturbation leaf distributions :math:`P_p, P_a, P_t`; sizes :math:`N_p = kN_a`, :math:`N_t = lN_a`.
The trained model is the size-weighted mixture (Proposition E1 (aligntheory))

.. math:: q_l = \\frac{kP_p + P_a + lP_t}{c}, \\qquad c = k + 1 + l,

and the compression rate of dataset :math:`i` is :math:`\\gamma_i(l) = \\mathbb E_{P_i}[-\\log q_l]`.
The elasticity ratio is :math:`R = -\\gamma_a'/\\gamma_p'` (derivatives in :math:`l`).

Logarithms are natural in the derivative functions; the ``compression_rate`` family takes a
``base`` (bits by default). Nothing here imports JAX.
"""

from __future__ import annotations

import heapq
import math
import warnings
from typing import Any, Literal

import numpy as np
import sympy as sp
from scipy import special

from aligntheory import _validate as V
from aligntheory.errors import AsymptoticRangeWarning, InvalidInputError

__all__ = [
    "check_distribution",
    "mixture",
    "entropy",
    "cross_entropy",
    "huffman_code_lengths",
    "compression_rate",
    "normalized_compression_rate",
    "paper_block_code_length",
    "elasticity_derivatives",
    "elasticity_ratio",
    "hooke_residual",
    "derivative_scales",
    "cross_term_A",
    "chi_square",
    "r_max",
    "is_opposite_configuration",
    "opposite_model_bounds",
    "asymptotic_ratio",
    "disjoint_support_rates",
    "alignment_mass_curve",
    "zipf_pmf",
    "pareto_masses",
    "zipf_entropy_limit",
    "tree_n_leaves",
    "tree_level_offsets",
    "prune_leaf_probs",
    "symbolic_elasticity",
    "symbolic_opposite_model",
]

SUM_TOL = 1e-9
RATIO_UNDEFINED_REL = 1e-14


# ----------------------------------------------------------------------------------------------
# input checks


def check_distribution(name: str, p: Any) -> np.ndarray:
    """Check that ``p`` is a probability vector (1-D, finite, >= 0, sum within 1e-9 of 1).

    Spec ``elasticity.md`` §7: the message says "not a probability vector" and gives the sum
    and the most negative entry.

    Parameters
    ----------
    name : str
        Argument name for the message.
    p : array_like, shape (M,)

    Returns
    -------
    numpy.ndarray of float64, shape (M,)

    Examples
    --------
    >>> check_distribution("P_p", [0.5, 0.5])
    array([0.5, 0.5])
    >>> check_distribution("P_p", [0.7, 0.5])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: P_p: not a probability vector: entries must be finite and >= 0 and sum to 1 within 1e-09 (received sum 1.2, most negative entry 0.5)
    """
    V.check_float64(name, p)
    try:
        arr = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(name, "not a probability vector: must be a real numeric array",
                                received=type(p).__name__) from exc
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidInputError(name, "not a probability vector: must be a non-empty 1-D array",
                                received=f"shape {arr.shape}")
    s = float(np.sum(arr)) if np.all(np.isfinite(arr)) else float("nan")
    mn = float(np.min(arr)) if arr.size else float("nan")
    if not np.all(np.isfinite(arr)) or mn < 0 or not abs(s - 1.0) <= SUM_TOL:
        raise InvalidInputError(
            name, f"not a probability vector: entries must be finite and >= 0 and sum to 1 within {SUM_TOL:g}",
            received=f"sum {s!r}, most negative entry {mn!r}")
    return arr


def _same_shape(**arrays: np.ndarray) -> None:
    items = list(arrays.items())
    n0, a0 = items[0]
    for n, a in items[1:]:
        if a.shape != a0.shape:
            raise InvalidInputError(n, f"mismatched leaf counts: shape {a.shape} differs from {n0} shape {a0.shape}",
                                    received=f"shapes {a0.shape} and {a.shape}")


def _triple(P_p: Any, P_a: Any, P_t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    Pp, Pa, Pt = check_distribution("P_p", P_p), check_distribution("P_a", P_a), check_distribution("P_t", P_t)
    _same_shape(P_p=Pp, P_a=Pa, P_t=Pt)
    return Pp, Pa, Pt


def _kl_args(k: Any, l: Any) -> tuple[float, float]:
    return V.check_scalar("k", k, positive=True), V.check_scalar("l", l, nonnegative=True)


def _log(x: np.ndarray | float, base: float | None) -> Any:
    return np.log(x) if base is None or base == math.e else np.log(x) / math.log(base)


def _check_base(base: Any) -> float:
    b = V.check_scalar("base", base, positive=True)
    if b == 1.0:
        raise InvalidInputError("base", "must be > 0 and != 1", received=b)
    return b


# ----------------------------------------------------------------------------------------------
# mixtures, entropies, codes


def mixture(dists: Any, sizes: Any) -> np.ndarray:
    """Size-weighted mixture, the trained model of Proposition E1 (aligntheory) [M].

    .. math:: q^* = \\frac{\\sum_i N_i P_i}{\\sum_i N_i}

    Spec ``elasticity.md`` §2.2 item 4 and Prop. E1; motivated by the joint-dataset formula of
    Ji et al. (arXiv 2406.06144) §3, as reported in secondary summaries.

    Parameters
    ----------
    dists : array_like, shape (m, M)
        Rows are probability vectors.
    sizes : array_like, shape (m,)
        Dataset sizes :math:`N_i > 0`.

    Returns
    -------
    numpy.ndarray, shape (M,)

    Complexity
    ----------
    :math:`O(mM)`.

    Examples
    --------
    >>> mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0])
    array([0.75, 0.25])
    """
    D = V.as_float_array("dists", dists, ndim=2)
    N = V.as_float_array("sizes", sizes, ndim=1, positive=True)
    if D.shape[0] != N.shape[0]:
        raise InvalidInputError("sizes", f"must have one entry per row of dists (shape {D.shape})",
                                received=f"shape {N.shape}")
    for i in range(D.shape[0]):
        check_distribution(f"dists[{i}]", D[i])
    w = N / np.sum(N)
    return w @ D


def entropy(p: Any, base: float | None = None) -> float:
    """Shannon entropy :math:`H(p) = -\\sum_x p(x)\\log p(x)` [M] (Cover & Thomas 2006, §2.1).

    Parameters
    ----------
    p : array_like, shape (M,)
    base : float, optional
        Logarithm base (natural by default).

    Returns
    -------
    float

    Examples
    --------
    >>> entropy([0.5, 0.25, 0.25], base=2)
    1.5
    """
    P = check_distribution("p", p)
    if base is not None:
        _check_base(base)
    m = P > 0
    return float(-np.sum(P[m] * _log(P[m], base)))


def _support_error(name: str, idx: int, what: str) -> InvalidInputError:
    return InvalidInputError(name, f"support: {what} (first offending leaf index {idx})", received=int(idx))


def cross_entropy(p: Any, q: Any, base: float | None = None) -> float:
    """Cross-entropy :math:`\\mathrm{CE}(p,q) = -\\sum_x p(x)\\log q(x) = H(p) + D_{KL}(p\\|q)` [M].

    Cover & Thomas (2006) §2.3/§5.4; spec ``elasticity.md`` §2.2 item 6.

    Parameters
    ----------
    p, q : array_like, shape (M,)
        Probability vectors; :math:`q>0` wherever :math:`p>0` (else "support" error).
    base : float, optional
        Logarithm base (natural by default).

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(M)`.

    Examples
    --------
    >>> round(cross_entropy([0.5, 0.5], [0.25, 0.75], base=2), 6)
    1.207519
    """
    P, Q = check_distribution("p", p), check_distribution("q", q)
    _same_shape(p=P, q=Q)
    if base is not None:
        _check_base(base)
    bad = np.flatnonzero((P > 0) & (Q <= 0))
    if bad.size:
        raise _support_error("q", int(bad[0]), "q = 0 where p > 0 (infinite cross-entropy)")
    m = P > 0
    return float(-np.sum(P[m] * _log(Q[m], base)))


def huffman_code_lengths(q: Any, base: int = 2) -> np.ndarray:
    """Codeword lengths of a ``base``-ary Huffman code built on ``q`` [M] (Huffman 1952).

    Merges the ``base`` least probable nodes repeatedly (``heapq``); ties are broken
    deterministically by the smallest original index, so equal inputs give equal codes. For
    ``base > 2`` zero-probability dummy symbols pad the alphabet so that
    :math:`(M-1) \\bmod (b-1) = 0`. The expected length satisfies
    :math:`H_b(q) \\le L_H < H_b(q) + 1` and the Kraft sum is exactly 1 (spec §3, Huffman facts).

    Parameters
    ----------
    q : array_like, shape (M,), M >= 2
    base : int
        Code alphabet size :math:`b \\ge 2`.

    Returns
    -------
    numpy.ndarray of int64, shape (M,)

    Complexity
    ----------
    :math:`O(M\\log M)`.

    Examples
    --------
    >>> huffman_code_lengths([0.2542, 0.1288, 0.1496, 0.4303, 0.0371]).tolist()
    [2, 4, 3, 1, 4]
    """
    Q = check_distribution("q", q)
    b = V.check_int("base", base, lo=2)
    M = Q.size
    if M < 2:
        raise InvalidInputError("q", "Huffman coding needs M >= 2 symbols", received=f"M = {M}")
    n_dummy = 0 if b == 2 else (-(M - 1)) % (b - 1)
    # heap entries: (probability, smallest original index in the subtree, node id)
    heap: list[tuple[float, int, int]] = [(float(Q[i]), i, i) for i in range(M)]
    heap += [(0.0, -1 - j, M + j) for j in range(n_dummy)]  # dummies sort first among zeros
    heapq.heapify(heap)
    children: dict[int, list[int]] = {}
    nxt = M + n_dummy
    while len(heap) > 1:
        group = [heapq.heappop(heap) for _ in range(min(b, len(heap)))]
        children[nxt] = [g[2] for g in group]
        heapq.heappush(heap, (sum(g[0] for g in group), min(g[1] for g in group), nxt))
        nxt += 1
    lengths = np.zeros(M, dtype=np.int64)
    stack = [(heap[0][2], 0)]
    while stack:
        node, depth = stack.pop()
        if node in children:
            stack.extend((c, depth + 1) for c in children[node])
        elif node < M:
            lengths[node] = depth
    return lengths


def compression_rate(p: Any, q: Any, *, code: Literal["ideal", "huffman"] = "ideal", depth: int | None = None,
                     per_token: bool = False, base: float = 2) -> float:
    """Compression rate of dataset ``p`` under model ``q``: expected code length [R].

    .. math:: \\gamma(p; q) = \\mathbb E_{x\\sim p}[\\ell(x)],\\quad
              \\ell^{\\rm ideal}(x) = -\\log_b q(x),\\quad \\ell^{\\rm H}(x) = \\text{Huffman length on } q

    Spec ``elasticity.md`` §2.2 items 5--6 (our definition [R]; reconstruction; the full text was
    not available to us); the paper's rate (Ji et al.,
    arXiv 2406.06144, Def 3.3 / Thm 3.4, as reported in secondary summaries) is per token:
    ``per_token=True`` divides by the pruning ``depth`` :math:`d`.

    Parameters
    ----------
    p, q : array_like, shape (M,)
    code : {"ideal", "huffman"}
    depth : int, optional
        Block length :math:`d` (required when ``per_token``).
    per_token : bool
    base : float
        Logarithm / code base (bits by default; Huffman needs an integer base).

    Returns
    -------
    float

    Complexity
    ----------
    :math:`O(M)` ideal, :math:`O(M\\log M)` Huffman.

    Examples
    --------
    >>> compression_rate([0.5, 0.25, 0.25], [0.5, 0.25, 0.25])
    1.5
    >>> compression_rate([0.5, 0.25, 0.25], [0.5, 0.25, 0.25], code="huffman", depth=3, per_token=True)
    0.5
    """
    b = _check_base(base)
    d = None
    if depth is not None:
        d = V.check_int("depth", depth, lo=1)
    if per_token and d is None:
        raise InvalidInputError("depth", "is required when per_token=True", received=None)
    if code == "ideal":
        g = cross_entropy(p, q, base=b)
    elif code == "huffman":
        if float(b) != int(b):
            raise InvalidInputError("base", "must be an integer >= 2 for code='huffman'", received=b)
        P, Q = check_distribution("p", p), check_distribution("q", q)
        _same_shape(p=P, q=Q)
        g = float(np.dot(P, huffman_code_lengths(Q, base=int(b))))
    else:
        raise InvalidInputError("code", "must be 'ideal' or 'huffman'", received=code)
    return g / d if per_token else g


def normalized_compression_rate(p: Any, q: Any, n_leaves: int, **kw: Any) -> float:
    """Normalised compression rate :math:`\\tilde\\gamma = \\gamma - \\log_b M` (per token: divided by d) [R].

    Spec ``elasticity.md`` §2.2 item 7; the paper's "γ minus log M" (Ji et al., arXiv
    2406.06144, §3, as reported in secondary summaries). The offset does not depend on the
    model, so every derivative is the same for :math:`\\gamma` and :math:`\\tilde\\gamma`.

    Parameters
    ----------
    p, q : array_like, shape (M,)
    n_leaves : int
        :math:`M \\ge 2`, the number of leaves after pruning.
    **kw
        Passed to :func:`compression_rate` (``code``, ``depth``, ``per_token``, ``base``).

    Returns
    -------
    float

    Examples
    --------
    >>> normalized_compression_rate([0.25] * 4, [0.25] * 4, 4)
    0.0
    """
    M = V.check_int("n_leaves", n_leaves, lo=1)
    if M < 2:
        raise InvalidInputError("n_leaves", "normalisation needs M >= 2 leaves", received=M)
    base = _check_base(kw.get("base", 2))
    g = compression_rate(p, q, **kw)
    off = float(_log(float(M), base))
    if kw.get("per_token", False):
        return g - off / int(kw["depth"])
    return g - off


def paper_block_code_length(entropy_bits: Any, n_tokens: Any, depth: Any) -> int:
    """The transcribed Thm 3.4 expression :math:`\\lceil |x|/d\\rceil\\,\\lceil H\\rceil` [S].

    Ji et al. (arXiv 2406.06144) Thm 3.4, as reported in secondary summaries. It is neither
    the Huffman length nor an upper bound on it (spec §3, Huffman facts: for
    ``p = (0.2542, 0.1288, 0.1496, 0.4303, 0.0371)``, :math:`\\lceil H\\rceil = 2` but
    :math:`L_H = 2.0511`); the library documents it as an approximation only.

    Parameters
    ----------
    entropy_bits : float
        :math:`H \\ge 0` of the pruned leaf distribution, in bits.
    n_tokens : int
        :math:`|x| \\ge 0`.
    depth : int
        :math:`d \\ge 1`.

    Returns
    -------
    int

    Examples
    --------
    >>> paper_block_code_length(1.99296, 10, 4)
    6
    """
    H = V.check_scalar("entropy_bits", entropy_bits, nonnegative=True)
    n = V.check_int("n_tokens", n_tokens, lo=0)
    d = V.check_int("depth", depth, lo=1)
    return int(-(-n // d) * math.ceil(H))


# ----------------------------------------------------------------------------------------------
# derivatives (Prop. E2, stable forms), ratio, Hooke residual


def _terms(Pp, Pa, Pt, k, l):
    c = k + 1.0 + l
    m = Pt > 0
    u = k * Pp[m] + Pa[m] + l * Pt[m]  # c * q_l on supp P_t
    if np.any(u <= 0):
        idx = int(np.flatnonzero(m)[np.flatnonzero(u <= 0)[0]])
        raise _support_error("P_t", idx, "q_l = 0 where P_t > 0 (derivative undefined)")
    pt = Pt[m]
    num_p = Pa[m] + l * pt - (1.0 + l) * Pp[m]
    num_a = k * Pp[m] + l * pt - (k + l) * Pa[m]
    num_t = k * Pp[m] + Pa[m] - (k + 1.0) * pt
    return c, pt, u, num_p, num_a, num_t


def elasticity_derivatives(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> tuple[float, float, float]:
    """Derivatives :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` in :math:`l`, stable closed forms [M].

    Proposition E2 (aligntheory), motivated by Ji et al. (arXiv 2406.06144) Thm 4.2:

    .. math:: \\gamma_i'(l) = \\frac1c\\sum_x P_t\\,\\frac{q_l - P_i}{q_l}, \\quad
       \\gamma_p' = \\frac{1}{c^2}\\sum_x P_t\\frac{P_a+lP_t-(1+l)P_p}{q_l},\\;
       \\gamma_a' = \\frac{1}{c^2}\\sum_x P_t\\frac{kP_p+lP_t-(k+l)P_a}{q_l},\\;
       \\gamma_t' = \\frac{1}{c^2}\\sum_x P_t\\frac{kP_p+P_a-(k+1)P_t}{q_l}.

    The numerators are formed before dividing, so :math:`\\gamma_p' = O(k^{-2})` keeps full
    relative precision (the form :math:`(1-\\sum P_iP_t/q)/c` cancels catastrophically).
    Natural logarithms; derivatives with :math:`N_a` fixed, so :math:`d/dN_t = N_a^{-1}d/dl`.

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        :math:`N_p/N_a > 0`.
    l : float
        :math:`N_t/N_a \\ge 0`.

    Returns
    -------
    tuple of float

    Complexity
    ----------
    :math:`O(M)`.

    Examples
    --------
    >>> d = elasticity_derivatives([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)
    >>> [round(v, 12) for v in d]
    [-0.5, 0.5, -1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, num_t = _terms(Pp, Pa, Pt, k, l)
    return (float(np.sum(pt * num_p / u) / c), float(np.sum(pt * num_a / u) / c), float(np.sum(pt * num_t / u) / c))


def derivative_scales(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> tuple[float, float, float]:
    """Term scales :math:`c^{-2}\\sum_x P_t|\\text{numerator}_i|/q_l` of the stable forms [R].

    Used for scaled tolerances (spec §3 E5, §7 "ratio undefined").

    Examples
    --------
    >>> [round(v, 12) for v in derivative_scales([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [0.5, 0.5, 1.5]
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, num_t = _terms(Pp, Pa, Pt, k, l)
    return tuple(float(np.sum(pt * np.abs(n) / u) / c) for n in (num_p, num_a, num_t))  # type: ignore[return-value]


def elasticity_ratio(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> float:
    """Elasticity ratio :math:`R = -\\gamma_a'/\\gamma_p'` with the stable forms [R].

    Ji et al. (arXiv 2406.06144) Thm 4.2 states :math:`\\gamma_a' = \\Theta(-k\\gamma_p')` (as
    reported in secondary summaries); here :math:`R(0) = k` exactly (Prop. E4 (aligntheory)),
    :math:`k \\le R \\le (k+l(1+\\chi^2))/(1-l\\chi^2)` in the opposite-behaviour model (Prop. E6)
    and :math:`R \\to cA/(A+l\\chi^2)` (Prop. E7). If :math:`P_t = P_a` then
    :math:`A=\\chi^2(P_a\\|P_p)\\ge0`: the signs reverse (:math:`\\gamma_p'>0>\\gamma_a'`) but R stays positive.

    Raises ``InvalidInputError`` ("ratio undefined") when :math:`|\\gamma_p'|` is below
    :math:`10^{-14}` times its term scale (this includes :math:`A+l\\chi^2=0` and :math:`P_t=P_p`).

    Parameters
    ----------
    P_p, P_a, P_t : array_like, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> elasticity_ratio([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 10.0, 0.0)
    10.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    k, l = _kl_args(k, l)
    c, pt, u, num_p, num_a, _ = _terms(Pp, Pa, Pt, k, l)
    dp = float(np.sum(pt * num_p / u) / c)
    scale = float(np.sum(pt * np.abs(num_p) / u) / c)
    if not abs(dp) > RATIO_UNDEFINED_REL * scale or scale == 0.0:
        raise InvalidInputError("P_t", "ratio undefined: |gamma_p'| is below 1e-14 times its term scale "
                                "(A + l chi^2 = 0 or P_t = P_p)", received=f"gamma_p' = {dp!r}, scale {scale!r}")
    da = float(np.sum(pt * num_a / u) / c)
    return -da / dp


def hooke_residual(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any) -> float:
    """Left-hand side of the balance ("Hooke") identity :math:`k\\gamma_p'+\\gamma_a'+l\\gamma_t'` [M].

    Proposition E3 (aligntheory): it is 0 for every triple, i.e.
    :math:`\\sum_i N_i\\,d\\,D_{KL}(P_i\\|q)/dN_t = 0` (data first, model second); the precise form
    of the Hooke analogy of Ji et al. (arXiv 2406.06144) §4, as reported in secondary summaries.

    Examples
    --------
    >>> abs(hooke_residual([0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8], 7.0, 0.3)) < 1e-15
    True
    """
    dp, da, dt = elasticity_derivatives(P_p, P_a, P_t, k, l)
    k, l = float(k), float(l)
    return k * dp + da + l * dt


# ----------------------------------------------------------------------------------------------
# divergence quantities, bounds, asymptotics (E6--E8)


def _pp_support(Pp: np.ndarray, other: np.ndarray, name: str) -> None:
    bad = np.flatnonzero((Pp <= 0) & (other > 0))
    if bad.size:
        raise _support_error(name, int(bad[0]), "P_p = 0 where the other distributions are > 0")


def cross_term_A(P_p: Any, P_a: Any, P_t: Any) -> float:
    """Cross term :math:`A = \\sum_x P_aP_t/P_p - 1 = \\mathrm{Cov}_{P_p}(P_a/P_p, P_t/P_p)` [M].

    Spec ``elasticity.md`` §2.2 item 10. :math:`A\\in[-1,\\infty)`; :math:`A=-1` exactly in the
    opposite-behaviour configuration; :math:`A=\\chi^2(P_a\\|P_p)` when :math:`P_t=P_a`.

    Examples
    --------
    >>> cross_term_A([0.5, 0.5], [1.0, 0.0], [0.0, 1.0])
    -1.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    _pp_support(Pp, Pa + Pt, "P_p")
    m = Pp > 0
    # sum (P_a - P_p)(P_t - P_p)/P_p equals A and avoids cancellation when P_a, P_t ~ P_p
    return float(np.sum((Pa[m] - Pp[m]) * (Pt[m] - Pp[m]) / Pp[m]))


def chi_square(P_t: Any, P_p: Any) -> float:
    """Pearson divergence :math:`\\chi^2(P_t\\|P_p) = \\sum_x P_t^2/P_p - 1 = \\sum_x (P_t-P_p)^2/P_p` [M].

    Spec ``elasticity.md`` §2.2 item 10 (Cover & Thomas 2006 context); the second form is used
    (non-negative by construction).

    Examples
    --------
    >>> chi_square([0.0, 1.0], [0.5, 0.5])
    1.0
    """
    Pt, Pp = check_distribution("P_t", P_t), check_distribution("P_p", P_p)
    _same_shape(P_t=Pt, P_p=Pp)
    _pp_support(Pp, Pt, "P_p")
    m = Pp > 0
    return float(np.sum((Pt[m] - Pp[m]) ** 2 / Pp[m]))


def r_max(P_p: Any, P_a: Any, P_t: Any, l: Any) -> float:
    """:math:`r_{\\max} = \\max_{x: P_a+P_t>0} (P_a + lP_t)/P_p`, the scale that sets where E7 holds [M].

    Examples
    --------
    >>> r_max([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 0.5)
    2.0
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    l = V.check_scalar("l", l, nonnegative=True)
    _pp_support(Pp, Pa + Pt, "P_p")
    m = (Pa + Pt) > 0
    return float(np.max((Pa[m] + l * Pt[m]) / Pp[m]))


def is_opposite_configuration(P_p: Any, P_a: Any, P_t: Any) -> bool:
    """Whether supp P_a ∩ supp P_t = ∅ and P_p > 0 on supp P_a ∪ supp P_t (spec §2.2 item 9) [R].

    Examples
    --------
    >>> is_opposite_configuration([0.5, 0.5], [1.0, 0.0], [0.0, 1.0])
    True
    """
    Pp, Pa, Pt = _triple(P_p, P_a, P_t)
    return bool(not np.any((Pa > 0) & (Pt > 0)) and np.all(Pp[(Pa + Pt) > 0] > 0))


def opposite_model_bounds(k: Any, l: Any, chi2: Any, *, P_a: Any = None, P_t: Any = None) -> tuple[float, float]:
    """Bounds :math:`k \\le R \\le (k+l(1+\\chi^2))/(1-l\\chi^2)` of Proposition E6 (aligntheory) [M].

    Valid in the opposite-behaviour configuration when :math:`l\\chi^2<1`; there also
    :math:`\\gamma_p'<0<\\gamma_a'=1/c`. The rigorous version of Ji et al. (arXiv 2406.06144)
    Thm 4.2's :math:`\\Theta(k)` (as reported in secondary summaries). Tight when
    :math:`r_t=P_t/P_p` is constant on :math:`S_t`.

    Parameters
    ----------
    k : float
        > 0.
    l : float
        >= 0 with :math:`l\\chi^2 < 1`.
    chi2 : float
        :math:`\\chi^2(P_t\\|P_p) \\ge 0`.
    P_a, P_t : array_like, optional
        When given, their supports must be disjoint.

    Returns
    -------
    (lower, upper) : tuple of float

    Examples
    --------
    >>> opposite_model_bounds(10.0, 0.1, 1.0)
    (10.0, 11.333333333333332)
    """
    k, l = _kl_args(k, l)
    chi2 = V.check_scalar("chi2", chi2, nonnegative=True)
    if P_a is not None or P_t is not None:
        Pa, Pt = check_distribution("P_a", P_a), check_distribution("P_t", P_t)
        _same_shape(P_a=Pa, P_t=Pt)
        ov = np.flatnonzero((Pa > 0) & (Pt > 0))
        if ov.size:
            raise InvalidInputError("P_t", f"supports of P_a and P_t overlap (first shared leaf {int(ov[0])}); "
                                    f"the bounds need the opposite configuration (chi^2 = {chi2!r}, "
                                    f"admissible l < 1/chi^2)", received=int(ov[0]))
    if not l * chi2 < 1.0:
        lim = math.inf if chi2 == 0 else 1.0 / chi2
        raise InvalidInputError("l", f"needs l * chi^2 < 1: chi^2 = {chi2!r}, admissible range l < 1/chi^2 = {lim!r}",
                                received=l)
    return k, (k + l * (1.0 + chi2)) / (1.0 - l * chi2)


def asymptotic_ratio(k: Any, l: Any, A: Any, chi2: Any, *, r_max: Any = None) -> float:
    """Leading term :math:`R \\approx c\\,A/(A+l\\chi^2)` as :math:`k\\to\\infty` (Proposition E7 (aligntheory)) [M].

    Also :math:`\\gamma_p' \\approx (A+l\\chi^2)/c^2`, :math:`\\gamma_a' \\approx -A/c`; the relative
    correction is :math:`O(r_{\\max}/k)/|A+l\\chi^2|`. Given ``r_max`` it warns
    (:class:`~aligntheory.errors.AsymptoticRangeWarning`) when :math:`k < 10^4\\max(1,r_{\\max})`.

    Examples
    --------
    >>> asymptotic_ratio(1e5, 0.01, -1.0, 7.9379) / 1e5
    1.0862...
    """
    k, l = _kl_args(k, l)
    A = V.check_scalar("A", A, lo=-1.0 - 1e-12)
    chi2 = V.check_scalar("chi2", chi2, nonnegative=True)
    den = A + l * chi2
    if den == 0.0:
        raise InvalidInputError("A", "ratio undefined: A + l chi^2 = 0", received=A)
    if r_max is not None:
        rm = V.check_scalar("r_max", r_max, nonnegative=True)
        if k < 1e4 * max(1.0, rm):
            warnings.warn(f"asymptotic_ratio: k = {k:g} < 1e4 max(1, r_max) = {1e4 * max(1.0, rm):g}; "
                          "the O(r_max/k) correction may be large", AsymptoticRangeWarning, stacklevel=2)
    return (k + 1.0 + l) * A / den


def disjoint_support_rates(entropies: Any, sizes: Any) -> np.ndarray:
    """Rates :math:`\\gamma_i = H(P_i) - \\log(N_i/N)` for pairwise disjoint supports [M].

    Proposition E8 (aligntheory).

    Then :math:`\\gamma_p' = \\gamma_a' = 1/c > 0` and :math:`R=-1`: Thm 4.2 of Ji et al. (arXiv
    2406.06144) cannot hold for support-disjoint datasets (spec §8 item 2).

    Examples
    --------
    >>> disjoint_support_rates([0.0, 0.0], [1.0, 1.0]).round(6).tolist()
    [0.693147, 0.693147]
    """
    H = V.as_float_array("entropies", entropies, ndim=1, nonnegative=True)
    N = V.as_float_array("sizes", sizes, ndim=1, positive=True)
    if H.shape != N.shape:
        raise InvalidInputError("sizes", f"mismatched shapes: entropies {H.shape}", received=f"shape {N.shape}")
    return H - np.log(N / np.sum(N))


def alignment_mass_curve(pi: Any, k: Any, ls: Any) -> np.ndarray:
    """Alignment mass :math:`m_a(l) = (k\\pi+1)/(k+1+l)` of the exact mixture (Proposition E10 (aligntheory)) [M].

    In the opposite configuration with :math:`\\pi = P_p(S_a)`; it returns to :math:`\\pi` at
    :math:`l^*=(1-\\pi)/\\pi` independently of :math:`k`, and decays hyperbolically (no two-phase shape).

    Examples
    --------
    >>> alignment_mass_curve(0.25, 10.0, [0.0, 3.0]).tolist()
    [0.3181818181818182, 0.25]
    """
    p = V.check_scalar("pi", pi, lo=0.0, hi=1.0)
    k = V.check_scalar("k", k, positive=True)
    L = V.as_float_array("ls", ls, nonnegative=True)
    return (k * p + 1.0) / (k + 1.0 + L)


# ----------------------------------------------------------------------------------------------
# Zipf / Pareto


def zipf_pmf(M: Any, s: Any, perm: Any = None) -> np.ndarray:
    """Zipf masses :math:`P(x_{(r)}) \\propto r^{-s}`, rank :math:`r=1..M`, placed by ``perm`` [M].

    Spec §2.2 item 8 (a stand-in for the paper's Pareto Assumption A.7, whose parameters we do
    not know). ``perm[r-1]`` is the leaf receiving rank ``r``.

    Examples
    --------
    >>> zipf_pmf(3, 1.0).round(4).tolist()
    [0.5455, 0.2727, 0.1818]
    """
    M = V.check_int("M", M, lo=1)
    s = V.check_scalar("s", s, positive=True)
    w = np.arange(1, M + 1, dtype=np.float64) ** (-s)
    w /= np.sum(w)
    if perm is None:
        return w
    pm = np.asarray(perm)
    if pm.shape != (M,) or not np.array_equal(np.sort(pm), np.arange(M)):
        raise InvalidInputError("perm", f"must be a permutation of range({M})", received=f"shape {pm.shape}")
    out = np.empty(M)
    out[pm] = w
    return out


def pareto_masses(rng: np.random.Generator, M: Any, alpha: Any, x_m: Any = 1.0) -> np.ndarray:
    """:math:`M` i.i.d. Pareto(:math:`\\alpha, x_m`) draws (survival :math:`(x_m/w)^\\alpha`), normalised [R].

    Spec §2.2 item 8; reconstruction; the full text was not available to us.

    Examples
    --------
    >>> p = pareto_masses(np.random.default_rng(0), 5, 1.5)
    >>> bool(abs(p.sum() - 1) < 1e-12 and p.min() > 0)
    True
    """
    M = V.check_int("M", M, lo=1)
    a = V.check_scalar("alpha", alpha, positive=True)
    xm = V.check_scalar("x_m", x_m, positive=True)
    w = xm * (1.0 - rng.random(M)) ** (-1.0 / a)
    return w / np.sum(w)


def zipf_entropy_limit(s: Any) -> float:
    """Entropy of Zipf(s) as :math:`M\\to\\infty`: :math:`H = \\log\\zeta(s) - s\\,\\zeta'(s)/\\zeta(s)` (nats) [M].

    Diverges for :math:`s\\le1`. :math:`\\zeta` from ``scipy.special.zeta``, :math:`\\zeta'` from
    ``mpmath.zeta(s, derivative=1)``. Spec §2.2 item 8: :math:`s=2` gives 1.637622.

    Examples
    --------
    >>> round(zipf_entropy_limit(2.0), 6)
    1.637622
    """
    s = V.check_scalar("s", s, positive=True)
    if s <= 1.0:
        raise InvalidInputError("s", "must be > 1 (the Zipf entropy diverges for s <= 1)", received=s)
    import mpmath

    z = float(special.zeta(s))
    dz = float(mpmath.zeta(s, derivative=1))
    return math.log(z) - s * dz / z


# ----------------------------------------------------------------------------------------------
# token trees (numpy reference for the kernel layout)


def tree_n_leaves(V_: Any, depth: Any) -> int:
    """Leaves of a complete V-ary token tree pruned at depth d: :math:`\\sum_{j<d}V^j + V^d` [R].

    Layout (spec §2.2 items 1--2): EOS leaves of levels 0..d-1 in prefix order, then the
    depth-d nodes (each carrying its subtree's weight).

    Examples
    --------
    >>> tree_n_leaves(2, 3)
    15
    """
    v = V.check_int("V", V_, lo=2)
    d = V.check_int("depth", depth, lo=0)
    return sum(v**j for j in range(d)) + v**d


def tree_level_offsets(V_: Any, depth: Any) -> list[int]:
    """Start index of each level's block in the leaf vector (levels 0..depth).

    Examples
    --------
    >>> tree_level_offsets(2, 2)
    [0, 1, 3]
    """
    v = V.check_int("V", V_, lo=2)
    d = V.check_int("depth", depth, lo=0)
    out, o = [], 0
    for j in range(d + 1):
        out.append(o)
        o += v**j
    return out


def prune_leaf_probs(leaf_p: Any, V_: Any, depth: Any, d: Any) -> np.ndarray:
    """Prune a depth-D token-tree leaf distribution to depth d by lumping subtrees [R].

    Reconstruction; the full text was not available to us. Spec §2.2 item 2: leaves of the pruned
    tree are the EOS leaves above depth d plus every
    depth-d node with its whole subtree weight :math:`W(u)`. The result is a coarse-graining of
    the depth-(d+1) distribution (refinement property [M]).

    Parameters
    ----------
    leaf_p : array_like, shape (tree_n_leaves(V, D),)
    V_ : int
        Alphabet size.
    depth : int
        :math:`D`.
    d : int
        :math:`1 \\le d \\le D`.

    Returns
    -------
    numpy.ndarray, shape (tree_n_leaves(V, d),)

    Complexity
    ----------
    :math:`O(M)`.

    Examples
    --------
    >>> p = np.full(7, 1 / 7)
    >>> (prune_leaf_probs(p, 2, 2, 1) * 7).round(6).tolist()
    [1.0, 3.0, 3.0]
    """
    v = V.check_int("V", V_, lo=2)
    D = V.check_int("depth", depth, lo=1)
    d = V.check_int("d", d, lo=1)
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


# ----------------------------------------------------------------------------------------------
# symbolic forms


def symbolic_elasticity(M: Any) -> dict[str, Any]:
    """Sympy forms of :math:`\\gamma_p', \\gamma_a', \\gamma_t'` and the E3 residual for M leaves [M].

    Symbols ``pp0..``, ``pa0..``, ``pt0..`` (positive), ``k``, ``l``; the last coordinate of each
    distribution is eliminated by :math:`\\sum_x P_i(x)=1`, so the residual
    :math:`k\\gamma_p'+\\gamma_a'+l\\gamma_t'` simplifies to 0 (Proposition E3 (aligntheory)).
    The derivative is taken by ``sympy.diff`` of :math:`-\\sum_x P_i\\log q_l`, an independent route
    from the closed form.

    Parameters
    ----------
    M : int
        2 <= M <= 6 (expressions grow quickly).

    Returns
    -------
    dict with keys ``"derivatives"`` (tuple of 3 expressions), ``"residual"`` (simplified),
    ``"symbols"`` (dict).

    Examples
    --------
    >>> symbolic_elasticity(2)["residual"]
    0
    """
    M = V.check_int("M", M, lo=2, hi=6)
    k, l = sp.symbols("k l", positive=True)
    syms = {}
    dists = []
    for name in ("pp", "pa", "pt"):
        xs = list(sp.symbols(f"{name}0:{M - 1}", positive=True))
        syms[name] = xs
        dists.append(xs + [1 - sum(xs)])
    Pp, Pa, Pt = dists
    c = k + 1 + l
    q = [(k * Pp[x] + Pa[x] + l * Pt[x]) / c for x in range(M)]
    derivs = tuple(sp.diff(-sum(P[x] * sp.log(q[x]) for x in range(M)), l) for P in dists)
    residual = sp.simplify(sp.together(k * derivs[0] + derivs[1] + l * derivs[2]))
    return {"derivatives": derivs, "residual": residual, "symbols": {"k": k, "l": l, **syms}}


def symbolic_opposite_model() -> dict[str, Any]:
    """Sympy forms for the opposite-behaviour model with :math:`r_t` constant on :math:`S_t` [M].

    With :math:`P_t` on leaves where :math:`P_t/P_p = r` (so :math:`\\chi^2 = r-1`),
    :math:`\\gamma_a' = 1/c`, :math:`\\gamma_p' = 1/c - 1/(k+lr)` (Prop. E6), hence
    :math:`R(k,0) = k` (E4) and :math:`R` equals the E6 upper bound (the tight case).

    Returns
    -------
    dict with keys ``"R"``, ``"R_at_0"`` (simplifies to ``k``), ``"upper"`` (E6 bound in
    ``chi2``), ``"gap"`` (``R - upper`` at :math:`\\chi^2=r-1`, simplifies to 0), ``"symbols"``.

    Examples
    --------
    >>> f = symbolic_opposite_model()
    >>> f["R_at_0"], f["gap"]
    (k, 0)
    """
    k, l, r, chi2 = sp.symbols("k l r chi2", positive=True)
    c = k + 1 + l
    dgp = 1 / c - 1 / (k + l * r)
    dga = 1 / c
    R = sp.simplify(-dga / dgp)
    upper = (k + l * (1 + chi2)) / (1 - l * chi2)
    gap = sp.simplify(R - upper.subs(chi2, r - 1))
    return {"R": R, "R_at_0": sp.simplify(R.subs(l, 0)), "upper": upper, "gap": gap,
            "symbols": {"k": k, "l": l, "r": r, "chi2": chi2}}


for _f in (prune_leaf_probs, tree_n_leaves, compression_rate, normalized_compression_rate, elasticity_ratio,
           pareto_masses):
    _f.__aligntheory_provenance__ = "R"  # type: ignore[attr-defined]
paper_block_code_length.__aligntheory_provenance__ = "S"  # type: ignore[attr-defined]
