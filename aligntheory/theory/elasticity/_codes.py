"""Mixtures, entropies and codes: the trained model (our Proposition E1) and compression rates
(spec ``elasticity.md`` §2.2 items 4-7, §3 Huffman facts)."""

from __future__ import annotations

import heapq
import math
from typing import Any, Literal

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import Bound, provenance
from aligntheory.theory.elasticity._validation import (
    _check_base,
    _log,
    _same_shape,
    _support_error,
    check_distribution,
)

MAX_DISTRIBUTIONS = 10**4
"""Default cap on the number of rows of ``mixture(dists, ...)`` (each is checked as a distribution)."""


@provenance("M", where="Proposition E1 (aligntheory), spec elasticity.md §3")
def mixture(dists: Any, sizes: Any, *, max_distributions: int = MAX_DISTRIBUTIONS) -> np.ndarray:
    """Size-weighted mixture, the trained model of Proposition E1 (aligntheory) [M].

    .. math:: q^* = \\frac{\\sum_i N_i P_i}{\\sum_i N_i}

    Spec ``elasticity.md`` §2.2 item 4 and Prop. E1; motivated by the joint-dataset formula of
    Ji et al. (arXiv 2406.06144) §3, as reported in secondary summaries.

    Parameters
    ----------
    dists : array_like, shape (m, M)
        Rows are probability vectors.
    sizes : array_like, shape (m,)
        Dataset sizes :math:`N_i > 0` (any scale: they are normalised by their largest entry first,
        so sizes near the float64 limits neither overflow nor underflow).
    max_distributions : int, default 10_000
        Cap on m (each row is validated); ``MAX_DISTRIBUTIONS``.

    Returns
    -------
    numpy.ndarray, shape (M,)

    Raises
    ------
    InvalidInputError
        A row that is not a probability vector, non-positive or non-finite sizes, mismatched shapes.
    SizeCapError
        More than ``max_distributions`` rows.

    Notes
    -----
    :math:`O(mM)`.

    Examples
    --------
    >>> mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0])
    array([0.75, 0.25])
    """
    D = V.as_float_array("dists", dists, ndim=2)
    V.check_size("dists", D.shape[0], cap=max_distributions, unit="distributions")
    N = V.as_float_array("sizes", sizes, ndim=1, positive=True)
    if D.shape[0] != N.shape[0]:
        raise InvalidInputError("sizes", f"must have one entry per row of dists (shape {D.shape})",
                                received=f"shape {N.shape}")
    for i in range(D.shape[0]):
        check_distribution(f"dists[{i}]", D[i])
    w = N / np.max(N)  # scale-safe: entries in (0, 1], the sum in [1, m]
    w = w / np.sum(w)
    return w @ D


@provenance("M", source="cover2006elements", where="§2.1")
def entropy(p: Any, base: float | None = None) -> float:
    """Shannon entropy :math:`H(p) = -\\sum_x p(x)\\log p(x)` [M] (Cover & Thomas 2006, §2.1).

    Parameters
    ----------
    p : array_like, shape (M,)
    base : float, optional
        Logarithm base > 1 (natural by default).

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        ``p`` not a probability vector; ``base <= 1`` (a base below 1 would make every entropy
        negative).

    Notes
    -----
    :math:`O(M)`.

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


@provenance("M", source="cover2006elements", where="§2.3")
def cross_entropy(p: Any, q: Any, base: float | None = None) -> float:
    """Cross-entropy :math:`\\mathrm{CE}(p,q) = -\\sum_x p(x)\\log q(x) = H(p) + D_{KL}(p\\|q)` [M].

    Cover & Thomas (2006) §2.3/§5.4; spec ``elasticity.md`` §2.2 item 6.

    Parameters
    ----------
    p, q : array_like, shape (M,)
        Probability vectors; :math:`q>0` wherever :math:`p>0` (else "support" error).
    base : float, optional
        Logarithm base > 1 (natural by default).

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not probability vectors, mismatched shapes, ``q = 0`` where ``p > 0`` ("support", with
        the first offending leaf index), ``base <= 1``.

    Notes
    -----
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


@provenance("M", source="huffman1952method")
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
    base : int, default 2
        Code alphabet size :math:`b \\ge 2`. For :math:`b \\ge M` every symbol gets one letter
        (no padding is built, so a huge base costs nothing).

    Returns
    -------
    numpy.ndarray of int64, shape (M,)

    Raises
    ------
    InvalidInputError
        ``q`` not a probability vector or with fewer than 2 symbols; ``base`` not an integer >= 2.

    Notes
    -----
    :math:`O(M\\log M)` time, :math:`O(M)` memory (at most :math:`b-2 < M` dummy symbols).

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
    if b >= M:  # one merge of all symbols: every codeword has length 1
        return np.ones(M, dtype=np.int64)
    n_dummy = 0 if b == 2 else (-(M - 1)) % (b - 1)  # < b - 1 < M dummies
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


@provenance("R", source="ji2024language", where="Def 3.3, Thm 3.4 (as reported in secondary summaries); our definition spec §2.2 items 5-6")
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
    per_token : bool, default False
        Divide the expected code length by ``depth`` (the rate per token).
    base : float, default 2
        Logarithm / code base (bits by default; Huffman needs an integer base).

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Invalid distributions or support, unknown ``code``, ``depth`` missing with ``per_token``,
        ``base <= 1`` or a non-integer base for Huffman.

    Notes
    -----
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


@provenance("R", source="ji2024language", where="§3 normalised compression rate (as reported in secondary summaries)")
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

    Raises
    ------
    InvalidInputError
        ``n_leaves < 2`` and the errors of :func:`compression_rate`.

    Notes
    -----
    :math:`O(M)` (ideal code).

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


@provenance("S", source="ji2024language", where="Thm 3.4 (as transcribed by secondary summaries)")
def paper_block_code_length(entropy_bits: Any, n_tokens: Any, depth: Any) -> Bound:
    """The transcribed Thm 3.4 expression :math:`\\lceil |x|/d\\rceil\\,\\lceil H\\rceil` [S].

    Ji et al. (arXiv 2406.06144) Thm 3.4, as reported in secondary summaries. It is neither
    the Huffman length nor an upper bound on it (spec §3, Huffman facts: for
    ``p = (0.2542, 0.1288, 0.1496, 0.4303, 0.0371)``, :math:`\\lceil H\\rceil = 2` but
    :math:`L_H = 2.0511`); the library documents it as an approximation only.

    Parameters
    ----------
    entropy_bits : float
        :math:`0 \\le H \\le 2^{53}` of the pruned leaf distribution, in bits (:math:`2^{53}`: the
        library's cap on exact integer counts, as for ``n_tokens``).
    n_tokens : int
        :math:`0 \\le |x| \\le 2^{53}`.
    depth : int
        :math:`d \\ge 1`.

    Returns
    -------
    Bound
        ``kind="estimate"``, provenance [S], integer value; ``.sympy()`` gives the expression.

    Raises
    ------
    InvalidInputError
        Negative, non-finite or above :math:`2^{53}` entropy, ``n_tokens`` negative or above
        :math:`2^{53}`, ``depth < 1``.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> int(paper_block_code_length(1.99296, 10, 4))
    6
    """
    H = V.check_scalar("entropy_bits", entropy_bits, nonnegative=True, hi=2.0**53)
    n = V.check_int("n_tokens", n_tokens, lo=0, hi=2**53)
    d = V.check_int("depth", depth, lo=1)
    value = int(-(-n // d) * math.ceil(H))

    def expr():
        import sympy as sp

        Hs, xs, ds = sp.symbols("H n_tokens d", nonnegative=True)
        return sp.ceiling(xs / ds) * sp.ceiling(Hs)

    return Bound(value, kind="estimate", quantity="code length of a response in bits (paper's Thm 3.4 expression)",
                 assumptions=("ceil(H) stands for the Huffman block length (not an upper bound on it)",),
                 source="ji2024language", where="Thm 3.4 (as transcribed by secondary summaries)", provenance="S",
                 expr=expr, subs={"H": H, "n_tokens": n, "d": d})
