"""JAX kernels for the learning side of representative social choice (spec ``social_choice.md`` §4.2).

Batches of ``B`` samples of ``N`` i.i.d. pairs; ``sample_pairs`` and ``sample_threshold_pairs`` take
a PRNG key first. Welfare kernels return float64 arrays of shape ``(B, |F|)``; ERM uses
``jnp.argmax`` (first maximum = the documented lowest-index tie-break). The model is our
reconstruction [R] of Qiu (arXiv 2410.23953); the estimators are standard [M].

Names: a kernel that is the batched twin of a theory function carries the suffix ``_batched``
(``empirical_welfare_batched``, ``issuewise_majority_batched``); :func:`erm_argmax` takes a welfare
table (the theory ``erm_choice`` takes a sample; :func:`scoring_erm` compares the exact sums). Value
checks run on the host before the jitted kernel (``validate=True``) and are skipped on tracers, so
every kernel works under ``jax.jit`` and ``jax.vmap``; sizes are checked against ``max_elements``
before any work.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64, ints, require_x64
from aligntheory.kernels.social_choice._threshold import (  # re-exported (split for size)
    ThresholdSample,
    sample_threshold_pairs,
    threshold_continuum_deviation,
    threshold_grid_welfare,
)
from aligntheory.kernels.social_choice._voting import MAX_ELEMENTS, _arr, _traced
from aligntheory.results import provenance

__all__ = [
    "ThresholdSample",
    "sample_pairs",
    "empirical_welfare_batched",
    "erm_argmax",
    "scoring_utilities",
    "scoring_erm",
    "uniform_deviation",
    "regret",
    "sample_threshold_pairs",
    "threshold_grid_welfare",
    "threshold_continuum_deviation",
    "issuewise_majority_batched",
]

_QIU = dict(source="qiu2024representative")


def _finite(validate: bool, **arrays: Any) -> None:
    """Host-side finiteness check (skipped on tracers): NaN/inf never pass silently."""
    if not validate or _traced(*arrays.values()):
        return
    for name, a in arrays.items():
        if not bool(jnp.all(jnp.isfinite(a))):
            raise InvalidInputError(name, "non-finite input: entries must be finite")


@partial(jax.jit, static_argnums=(2, 3))
def _sample_pairs(key, weights, n, b):
    return jax.random.choice(key, weights.shape[0], shape=(b, n), replace=True, p=weights)


@provenance("M", where="i.i.d. sampling from the pair distribution D (spec §2.2)")
def sample_pairs(key: Any, weights: Any, n_samples: int, batch_size: int, *, validate: bool = True,
                 max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """``B`` independent i.i.d. samples of ``N`` pair indices from the pair distribution :math:`D` [M].

    Parameters
    ----------
    key : PRNG key
    weights : float64 array, shape (n_pairs,)
        :math:`D(x)`, non-negative, summing to 1 within :math:`10^{-12}`.
    n_samples, batch_size : int
        :math:`N` and :math:`B` (static).
    validate : bool, default True
        Host-side check of ``weights`` (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on :math:`BN`, checked before any work.

    Returns
    -------
    int array, shape (B, N).

    Raises
    ------
    InvalidInputError, PrecisionError, SizeCapError

    Notes
    -----
    :math:`O(BN\\log n_{\\rm pairs})`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> s = sample_pairs(jax.random.PRNGKey(0), np.array([0.0, 1.0]), 4, 2)
    >>> np.asarray(s).tolist()
    [[1, 1, 1, 1], [1, 1, 1, 1]]
    """
    weights = _arr("weights", weights)
    check_precision_all("sample_pairs", weights=weights)
    n = V.check_int("n_samples", n_samples, lo=1)
    b = V.check_int("batch_size", batch_size, lo=1)
    V.check_size("n_samples", n * b, cap=V.check_int("max_elements", max_elements, lo=1), unit="draws")
    if validate and not _traced(weights):
        w = V.as_float_array("weights", np.asarray(weights), ndim=1, nonnegative=True)
        if abs(float(np.sum(w)) - 1.0) > 1e-12:
            raise InvalidInputError("weights", "pair weights must sum to 1 (tolerance 1e-12)",
                                    received=f"sum {w.sum()!r}")
        weights = jnp.asarray(w)
    w = f64("weights", weights, ndim=1)
    return _sample_pairs(key, w, n, b)


def _two_sum(a, b):
    """Knuth's error-free TwoSum: ``a + b = s + e`` exactly (any order of magnitudes, no overflow)."""
    s = a + b
    bp = s - a
    return s, (a - (s - bp)) + (b - bp)


def _exact_sum(v):
    """Sum over the last axis as the canonical pair ``(hi, lo)``: ``hi = fl(S)``, ``lo = S - hi`` exactly.

    A pairwise tree of TwoSum steps carries the partial sums; their rounding errors are added up
    separately in ``c``, and ``TwoSum(s, c)`` renormalises. When ``c`` is exact (see
    :func:`empirical_welfare_batched`) ``s + c`` is the exact sum :math:`S`, so ``hi`` is the correctly
    rounded sum (bitwise ``math.fsum``) and ``(hi, lo)`` compared lexicographically is :math:`S`
    compared exactly; the result does not depend on the order of the terms.
    """
    if v.shape[-1] == 0:  # the empty sum (N = 0; the mean is then 0/0 = nan, as before)
        z = jnp.zeros(v.shape[:-1], v.dtype)
        return z, z
    s, c = v, jnp.zeros_like(v)
    while s.shape[-1] > 1:
        if s.shape[-1] % 2:
            pad = [(0, 0)] * (s.ndim - 1) + [(0, 1)]
            s, c = jnp.pad(s, pad), jnp.pad(c, pad)
        s, c = s.reshape(s.shape[:-1] + (-1, 2)), c.reshape(c.shape[:-1] + (-1, 2))
        t, e = _two_sum(s[..., 0], s[..., 1])
        s, c = t, (c[..., 0] + c[..., 1]) + e
    return _two_sum(s[..., 0], c[..., 0])


def _ew_one(sample, util, issue, pol):
    # util[x_n, pol[f, issue[x_n]]] summed over n as (hi, lo), each (|F|,); memory O(|F| N)
    x = sample
    q = issue[x]
    out = pol[:, q]  # (|F|, N)
    return _exact_sum(util[x[None, :], out])


@partial(jax.jit, static_argnums=(4,))
def _empirical_welfare(sample_idx, util, issue, pol, chunk):
    b, n = sample_idx.shape
    if chunk >= b:
        return jax.vmap(_ew_one, in_axes=(0, None, None, None))(sample_idx, util, issue, pol)
    pad = (-b) % chunk
    s = jnp.concatenate([sample_idx, jnp.zeros((pad, n), sample_idx.dtype)]) if pad else sample_idx
    s = s.reshape(-1, chunk, n)
    hi, lo = lax.map(lambda blk: jax.vmap(_ew_one, in_axes=(0, None, None, None))(blk, util, issue, pol), s)
    return hi.reshape(-1, pol.shape[0])[:b], lo.reshape(-1, pol.shape[0])[:b]


@provenance("R", where="empirical welfare (spec §2.2); our reconstruction", **_QIU)
def empirical_welfare_batched(sample_idx: Any, util_table: Any, issue_of_pair: Any, policy_outcomes: Any, *,
                              chunk: int | None = None, validate: bool = True,
                              max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Empirical welfare :math:`\\hat W_S(f) = \\frac1N\\sum_n u_{x_n}(f(q_n))` for a batch of samples [R] (§2.2, §4.2).

    Gather and sum, ``vmap`` over samples; with ``chunk`` the batch is processed in blocks of that
    many samples by ``lax.map``, so memory stays :math:`O(\\text{chunk}\\,|F|N)` rather than
    :math:`O(B|F|N)`. The sum :math:`S(f)=\\sum_n u_{x_n}(f(q_n))` is the correctly rounded one
    (an error-free TwoSum tree, see Notes) and is then divided by :math:`N` (a true division, not a
    multiplication by :math:`1/N`), exactly as the theory's ``math.fsum(row) / N``; so equal exact
    welfare gives equal floats, whatever the order of the sample.

    Parameters
    ----------
    sample_idx : int array, shape (B, N)
        Pair indices of each sample; :math:`N \\ge 1` (the welfare is a mean over the sample).
    util_table : float64 array, shape (n_pairs, k)
    issue_of_pair : int array, shape (n_pairs,)
    policy_outcomes : int array, shape (|F|, Q)

    chunk : int, optional
        Samples per block; by default the largest block whose :math:`\\text{chunk}\\,|F|N` working set
        fits ``max_elements``.
    validate : bool, default True
        Host-side checks (skipped under tracing): finite utilities, indices in range.
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set :math:`\\text{chunk}\\,|F|N`, checked before any work.

    Returns
    -------
    float64 array, shape (B, |F|).

    Raises
    ------
    InvalidInputError, PrecisionError, SizeCapError

    Notes
    -----
    :math:`O(B|F|N)` time. The batched twin of :func:`aligntheory.theory.social_choice.empirical_welfare`,
    and bitwise equal to it whenever the TwoSum error accumulator is exact: every utility an integer
    multiple of :math:`2^{-L}` with :math:`N^2\\max|u| \\le 2^{106-L}` (e.g. utilities that are 0 or
    at least :math:`2^{-10}`, so :math:`L \\le 62`, with :math:`N \\le 2^{22}`; thirds,
    :math:`L = 54`, with :math:`N \\le 2^{26}`). Beyond that the sum is within about
    :math:`N^2\\max|u|\\,2^{-106}` of the correctly rounded one. Distinct sums closer than half an
    ulp round to the same float: an ERM on these floats (:func:`erm_argmax`) sees them as tied, while
    :func:`scoring_erm` compares the exact sums.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> w = empirical_welfare_batched(np.array([[0, 0, 1]]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 0]),
    ...                       np.array([[0], [1]]))
    >>> np.round(np.asarray(w), 6).tolist()
    [[0.666667, 0.333333]]
    """
    hi, _, n = _welfare_sums(sample_idx, util_table, issue_of_pair, policy_outcomes, chunk=chunk,
                             validate=validate, max_elements=max_elements)
    # a true IEEE division, as the theory's fsum / N: a divisor that is a scalar or a broadcast constant is
    # turned into "* (1/N)" by XLA (one ulp off), so it is a full array behind an optimization barrier
    return hi / lax.optimization_barrier(jnp.full(hi.shape, n, hi.dtype))


def _welfare_sums(sample_idx, util_table, issue_of_pair, policy_outcomes, *, chunk, validate, max_elements):
    """Checked inputs -> the exact sums :math:`S(f)` as canonical pairs ``(hi, lo)``, each (B, |F|), and N."""
    sample_idx, util_table = _arr("sample_idx", sample_idx), _arr("util_table", util_table)
    issue_of_pair, policy_outcomes = _arr("issue_of_pair", issue_of_pair), _arr("policy_outcomes", policy_outcomes)
    check_precision_all("empirical_welfare", util_table=util_table)
    util = f64("util_table", util_table, ndim=2)
    s = ints("sample_idx", sample_idx)
    iss = ints("issue_of_pair", issue_of_pair)
    pol = ints("policy_outcomes", policy_outcomes)
    if s.ndim != 2 or pol.ndim != 2 or iss.ndim != 1 or iss.shape[0] != util.shape[0]:
        raise InvalidInputError("sample_idx, issue_of_pair, policy_outcomes",
                                "need shapes (B, N), (n_pairs,), (|F|, Q)",
                                received=f"{tuple(s.shape)}, {tuple(iss.shape)}, {tuple(pol.shape)}")
    if s.shape[1] < 1:
        # the welfare is a mean over the sample: N = 0 would divide 0 by 0 (NaN), and every ERM choice would be an
        # arbitrary tie; the theory's empirical_welfare and erm_choice refuse it too (a static shape: checked traced)
        raise InvalidInputError("sample_idx", "every sample must contain at least one pair (N >= 1)",
                                received=f"shape {tuple(s.shape)}")
    if validate and not _traced(util, s, iss, pol):
        if not bool(np.all(np.isfinite(np.asarray(util)))):
            raise InvalidInputError("util_table", "non-finite input: utilities must be finite")
        if iss.size and (int(jnp.min(iss)) < 0 or int(jnp.max(iss)) >= pol.shape[1]):
            raise InvalidInputError("issue_of_pair", f"issue index out of range: must lie in [0, {pol.shape[1] - 1}] "
                                    "(policy table width = number of issues)")
        if pol.size and (int(jnp.min(pol)) < 0 or int(jnp.max(pol)) >= util.shape[1]):
            raise InvalidInputError("policy_outcomes", f"outcomes must lie in [0, {util.shape[1] - 1}]")
        if s.size and (int(jnp.min(s)) < 0 or int(jnp.max(s)) >= util.shape[0]):
            raise InvalidInputError("sample_idx", f"pair indices must lie in [0, {util.shape[0] - 1}]")
    cap = V.check_int("max_elements", max_elements, lo=1)
    per = max(1, int(pol.shape[0]) * int(s.shape[1]))
    V.check_size("policy_outcomes", per, cap=cap, unit="array elements per sample (|F| N)")
    c = min(int(s.shape[0]), max(1, cap // per)) if chunk is None else V.check_int("chunk", chunk, lo=1)
    V.check_size("chunk", c * per, cap=cap, unit="array elements (chunk |F| N)")
    return (*_empirical_welfare(s, util, iss, pol, int(c)), int(s.shape[1]))


@jax.jit
def _erm(w):
    return jnp.argmax(w, axis=-1)


@jax.jit
def _erm_exact(hi, lo):
    # lexicographic (hi, lo) = the exact sums; argmax of a boolean mask = its first True (lowest index)
    top = hi == jnp.max(hi, axis=-1, keepdims=True)
    lo_top = jnp.where(top, lo, -jnp.inf)
    return jnp.argmax(top & (lo_top == jnp.max(lo_top, axis=-1, keepdims=True)), axis=-1)


@provenance("R", where="majority-vote / scoring mechanism (spec §2.2); our reconstruction", **_QIU)
def erm_argmax(welfare: Any, *, validate: bool = True) -> jax.Array:
    """ERM choice per sample from a welfare table, :math:`\\arg\\max_f \\hat W_S(f)`, lowest index on ties [R] (§2.2).

    ``jnp.argmax`` returns the first maximum, which is the documented tie-break.

    Parameters
    ----------
    welfare : float64 array (B, |F|)
    validate : bool, default True
        Host-side finiteness check of ``welfare`` (skipped under tracing).

    Returns
    -------
    int array (B,)

    Raises
    ------
    InvalidInputError, PrecisionError

    Notes
    -----
    :math:`O(B|F|)`. Ties are those of the given floats. On the output of
    :func:`empirical_welfare_batched` equal exact welfare gives equal floats, so exact ties go to the
    lowest index as in :func:`aligntheory.theory.social_choice.erm_choice`; distinct welfare values
    that round to the same float also tie here, where ``erm_choice`` and :func:`scoring_erm` compare
    the exact sums.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(erm_argmax(np.array([[0.5, 0.5], [0.1, 0.9]]))).tolist()
    [0, 1]
    """
    welfare = _arr("welfare", welfare)
    check_precision_all("erm_argmax", welfare=welfare)
    w = f64("welfare", welfare, ndim=2)
    if w.shape[1] < 1:
        raise InvalidInputError("welfare", "must have at least one policy (|F| >= 1)", received=f"shape {w.shape}")
    _finite(validate, welfare=w)
    return _erm(w)


@jax.jit
def _scoring_util(rankings, s):
    n, k = rankings.shape
    return jnp.zeros((n, k), s.dtype).at[jnp.arange(n)[:, None], rankings].set(jnp.broadcast_to(s, (n, k)))


@provenance("R", where="ordinal utilities (spec §2.1); our reconstruction", **_QIU)
def scoring_utilities(rankings: Any, scoring: Any, *, validate: bool = True) -> jax.Array:
    """Utility table :math:`u_x(o) = s_{r_x(o)}` from rankings of outcomes (best first) [R] (§2.1).

    Parameters
    ----------
    rankings : int array, shape (n_pairs, k)
        Each row a permutation of ``0..k-1``.
    scoring : float64 array, shape (k,)
        Non-increasing, :math:`s_1 = 1, s_k = 0`.
    validate : bool, default True
        Host-side checks (skipped under tracing): every ranking a permutation, ``scoring`` finite,
        non-increasing, from 1 to 0.

    Returns
    -------
    float64 array, shape (n_pairs, k).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(scoring_utilities(np.array([[2, 0, 1]]), np.array([1.0, 0.5, 0.0]))).tolist()
    [[0.5, 0.0, 1.0]]
    """
    rankings, scoring = _arr("rankings", rankings), _arr("scoring", scoring)
    check_precision_all("scoring_utilities", scoring=scoring)
    r = ints("rankings", rankings)
    sv = f64("scoring", scoring, ndim=1)
    if r.ndim != 2 or r.shape[1] != sv.shape[0]:
        raise InvalidInputError("rankings", f"must be an int array (n_pairs, {sv.shape[0]})",
                                received=f"shape {tuple(r.shape)}")
    if validate and not _traced(r, sv):
        rn, svn = np.asarray(r), np.asarray(sv)
        if not np.array_equal(np.sort(rn, axis=1), np.broadcast_to(np.arange(rn.shape[1]), rn.shape)):
            raise InvalidInputError("rankings", "every row must be a permutation of 0..k-1")
        if not np.all(np.isfinite(svn)) or np.any(np.diff(svn) > 0) or svn[0] != 1.0 or svn[-1] != 0.0:
            raise InvalidInputError("scoring", "must be non-increasing with s_1 = 1 and s_k = 0",
                                    received=svn.tolist())
    return _scoring_util(r, sv)


@provenance("R", where="scoring mechanism (spec §2.2); our reconstruction", **_QIU)
def scoring_erm(sample_idx: Any, rankings: Any, scoring: Any, issue_of_pair: Any, policy_outcomes: Any, *,
                chunk: int | None = None, validate: bool = True, max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Scoring mechanism: ERM with utilities from a positional scoring vector, per sample [R] (§2.2).

    Returns the chosen policy index per sample, shape (B,): the maximiser of the exact sum
    :math:`\\sum_n s_{r_{x_n}(f(q_n))}`, lowest index on exact ties, as
    :func:`aligntheory.theory.social_choice.erm_choice`. The sums are the canonical pairs
    ``(hi, lo)`` of :func:`empirical_welfare_batched` compared lexicographically, so policies whose
    welfare differs by less than an ulp are not merged into a tie; exact under the condition stated
    there (always for plurality and Borda scoring with :math:`N \\le 2^{22}`).

    Parameters
    ----------
    sample_idx : int array, shape (B, N)
        Pair indices of each sample; :math:`N \\ge 1`.
    rankings, scoring
        As in :func:`scoring_utilities` (the utility table is built from them).
    issue_of_pair, policy_outcomes, chunk
        As in :func:`empirical_welfare_batched`.
    validate : bool, default True
        Host-side value checks of :func:`scoring_utilities` and :func:`empirical_welfare_batched`
        (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set :math:`\\text{chunk}\\,|F|N`, checked before the sums
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> r = np.array([[0, 1, 2], [2, 1, 0], [1, 0, 2]])
    >>> c = scoring_erm(np.array([[0, 2, 2]]), r, np.array([1.0, 0.5, 0.0]), np.zeros(3, int), np.array([[0], [1], [2]]))
    >>> np.asarray(c).tolist()
    [1]
    """
    util = scoring_utilities(rankings, scoring, validate=validate)
    hi, lo, _ = _welfare_sums(sample_idx, util, issue_of_pair, policy_outcomes, chunk=chunk, validate=validate,
                              max_elements=max_elements)
    if hi.shape[1] < 1:
        raise InvalidInputError("policy_outcomes", "must have at least one policy (|F| >= 1)",
                                received=f"shape {tuple(hi.shape)}")
    return _erm_exact(hi, lo)


@jax.jit
def _udev(emp, pop):
    return jnp.max(jnp.abs(emp - pop[None, :]), axis=1)


@jax.jit
def _regret(emp, pop):
    choice = jnp.argmax(emp, axis=1)
    return jnp.max(pop) - pop[choice]


@provenance("M", where="uniform deviation Delta_S (spec §2.2)")
def uniform_deviation(emp_welfare: Any, pop_welfare: Any, *, validate: bool = True) -> jax.Array:
    """:math:`\\Delta_S = \\max_f |\\hat W_S(f) - W(f)|` per sample, shape (B,) [M] (§2.2).

    Parameters
    ----------
    emp_welfare : float64 array (B, |F|)
    pop_welfare : float64 array (|F|,)
    validate : bool, default True
        Host-side finiteness checks (skipped under tracing).

    Returns
    -------
    float64 array (B,)

    Raises
    ------
    InvalidInputError, PrecisionError

    Notes
    -----
    :math:`O(B|F|)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(uniform_deviation(np.array([[0.5, 0.2]]), np.array([0.4, 0.4]))).tolist()
    [0.2]
    """
    emp_welfare, pop_welfare = _arr("emp_welfare", emp_welfare), _arr("pop_welfare", pop_welfare)
    check_precision_all("uniform_deviation", emp_welfare=emp_welfare, pop_welfare=pop_welfare)
    e, p = f64("emp_welfare", emp_welfare, ndim=2), f64("pop_welfare", pop_welfare, ndim=1)
    _finite(validate, emp_welfare=e, pop_welfare=p)
    if e.shape[1] != p.shape[0] or p.shape[0] < 1:
        raise InvalidInputError("pop_welfare", f"must have length |F| = {e.shape[1]} >= 1", received=f"shape {p.shape}")
    return _udev(e, p)


@provenance("M", where="welfare regret (spec §2.2)")
def regret(emp_welfare: Any, pop_welfare: Any, *, validate: bool = True) -> jax.Array:
    """Welfare regret of ERM, :math:`\\max_f W(f) - W(M(S))`, shape (B,) [M] (§2.2).

    Parameters
    ----------
    emp_welfare : float64 array (B, |F|)
    pop_welfare : float64 array (|F|,)
    validate : bool, default True
        Host-side finiteness checks (skipped under tracing).

    Returns
    -------
    float64 array (B,)

    Raises
    ------
    InvalidInputError, PrecisionError

    Notes
    -----
    :math:`O(B|F|)`; the ERM choice is the first maximum (lowest index).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(regret(np.array([[0.5, 0.2]]), np.array([0.3, 0.4]))).tolist()
    [0.10000000000000003]
    """
    emp_welfare, pop_welfare = _arr("emp_welfare", emp_welfare), _arr("pop_welfare", pop_welfare)
    check_precision_all("regret", emp_welfare=emp_welfare, pop_welfare=pop_welfare)
    e, p = f64("emp_welfare", emp_welfare, ndim=2), f64("pop_welfare", pop_welfare, ndim=1)
    _finite(validate, emp_welfare=e, pop_welfare=p)
    if e.shape[1] != p.shape[0] or p.shape[0] < 1:
        raise InvalidInputError("pop_welfare", f"must have length |F| = {e.shape[1]} >= 1", received=f"shape {p.shape}")
    return _regret(e, p)


@partial(jax.jit, static_argnums=(2,))
def _issuewise(iss, y, q):
    def one(i, yy):
        ones = jax.ops.segment_sum(yy, i, q)
        tot = jax.ops.segment_sum(jnp.ones_like(yy), i, q)
        return (2 * ones > tot).astype(jnp.int64)

    return jax.vmap(one)(iss, y)


@provenance("R", where="issue-wise majority (spec §2.2, G6); our reconstruction", **_QIU)
def issuewise_majority_batched(sample_issues: Any, sample_prefs: Any, n_issues: int, *, validate: bool = True,
                               max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Issue-wise majority on the binary product class :math:`\\{0,1\\}^{\\mathcal Q}`, batched [R] (§2.2, G6).

    Ties and unsampled issues take outcome 0 (the lowest-index rule).

    Parameters
    ----------
    sample_issues, sample_prefs : int arrays, shape (B, N)
    n_issues : int (static)
    validate : bool, default True
        Host-side value checks (skipped under tracing): issue indices in ``[0, n_issues)``, preferences 0 or 1.
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on :math:`BQ`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    int64 array, shape (B, Q).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, 1, 0, 0]]), 3)).tolist()
    [[1, 0, 0]]
    """
    sample_issues, sample_prefs = _arr("sample_issues", sample_issues), _arr("sample_prefs", sample_prefs)
    require_x64("issuewise_majority")
    iss = ints("sample_issues", sample_issues)
    y = ints("sample_prefs", sample_prefs)
    if iss.ndim != 2 or iss.shape != y.shape:
        raise InvalidInputError("sample_issues, sample_prefs", "must both have shape (B, N)",
                                received=f"{tuple(iss.shape)}, {tuple(y.shape)}")
    q = V.check_int("n_issues", n_issues, lo=1)
    V.check_size("n_issues", int(iss.shape[0]) * q, cap=V.check_int("max_elements", max_elements, lo=1),
                 unit="array elements (B Q)")
    if validate and not _traced(iss, y):
        if iss.size and (int(jnp.min(iss)) < 0 or int(jnp.max(iss)) >= q):
            raise InvalidInputError("sample_issues", f"issue indices must lie in [0, {q - 1}]")
        if y.size and (int(jnp.min(y)) < 0 or int(jnp.max(y)) > 1):
            raise InvalidInputError("sample_prefs", "preferences must be 0 or 1")
    return _issuewise(iss, y.astype(jnp.int64), q)
