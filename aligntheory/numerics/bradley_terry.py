"""Host-side Bradley--Terry estimation (numpy/scipy; no JAX): aggregation, existence, Newton/Newman fits.

Public entry point :func:`fit_bradley_terry`, which takes plain ``(winner, loser)`` pairs like
``choix`` and the Chatbot-Arena notebooks -- integer ids or any hashable names -- aggregates them,
checks that the maximum-likelihood estimate exists (Ford 1957) and fits by Newton's method (one
Laplacian solve per step, solver chosen by the graph's structure,
:class:`aligntheory.numerics.LaplacianSolver`) or by Newman's (2023) fixed point. With numba
installed (the ``fast`` extra) large inputs take compiled loops (:mod:`._bt_numba`: counting-sort
aggregation, one pass over the pairs per Newman iteration). On CPU that is the fastest correct route; the JAX kernels :func:`aligntheory.kernels.ibn.fit_bt_newton` and
:func:`aligntheory.kernels.ibn.fit_bt_newman` serve ``jit``/``vmap`` pipelines.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import (
    AlignTheoryError,
    ConvergenceError,
    DisconnectedGraphError,
    InvalidInputError,
    PrecisionError,
)
from aligntheory.numerics._bt_fit import (
    _all_str,
    _beats_components,
    _index_pairs,
    _newman_host,
    _newton,
    _NumbaWork,
    _rounding_floor,
    _rows,
    _sorted_or_first_seen,
    _stderr_dense,
    _Work,
    aggregate_compiled,
    kernels_for,
    losses_by_pair,
    strongly_connected,
)
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = ["aggregate_comparisons", "AggregatedComparisons", "fit_bradley_terry", "BTFit", "DEFAULT_MAX_ITEMS"]

DEFAULT_MAX_ITEMS = 10_000_000
"""Default cap on the number of items (``max_items=``): arrays of that length are allocated."""

_HARD_MAX_ITEMS = 2**30  # pair keys min*N + max must fit in int64 with one spare bit
_STDERR_EXACT_CAP = 20_000  # dense inverse of the Fisher matrix: N^2 doubles


@provenance("M", where="aggregated pair counts")
class AggregatedComparisons(NamedTuple):
    """Result of :func:`aggregate_comparisons` (unpacks as ``edges, wins, K``).

    Attributes
    ----------
    edges : int64 array, shape (E, 2)
        Distinct pairs with ``edges[:, 0] < edges[:, 1]``.
    wins : float64 array, shape (E,)
        Wins of ``edges[:, 0]`` over ``edges[:, 1]``.
    K : float64 array, shape (E,)
        Comparisons per pair.

    Examples
    --------
    >>> aggregate_comparisons(2, [[1, 0]]).wins.tolist()
    [0.0]
    """

    edges: np.ndarray
    wins: np.ndarray
    K: np.ndarray


def _check_n_items(n_items: Any, max_items: int) -> int:
    n = V.check_int("n_items", n_items, lo=1)
    V.check_size("n_items", n, cap=min(int(max_items), _HARD_MAX_ITEMS), unit="items")
    return n


@provenance("M", where="sufficient statistics of the Bradley-Terry likelihood")
def aggregate_comparisons(n_items: int, comparisons: Any, counts: Any = None, *,
                          max_items: int = DEFAULT_MAX_ITEMS, accelerator: str = "auto") -> AggregatedComparisons:
    """Aggregate ``(winner, loser)`` pairs into distinct undirected pairs with win counts [M].

    The pair counts :math:`(w_{ij}, K_{ij})` are sufficient statistics of the Bradley--Terry
    likelihood. Vectorised: one sort of the pair keys :math:`\\min(a,b)\\cdot N+\\max(a,b)`; with
    numba (the ``fast`` extra) two stable counting sorts of the rows, :math:`O(m + N)`, with the same
    output (pairs sorted by ``(u, v)``, weights summed in input order).

    Parameters
    ----------
    n_items : int
    comparisons : int array, shape (m, 2)
        Row ``(a, b)``: item ``a`` beat item ``b`` (floats holding integers are accepted as ids).
    counts : float array, shape (m,), optional
        Multiplicity (or fractional weight, e.g. 0.5 for each half of a tie) of each row; finite
        and >= 0.
    max_items : int, default 10_000_000
        Size cap on ``n_items`` (``DEFAULT_MAX_ITEMS``; a cap above :math:`2^{30}` acts as :math:`2^{30}`;
        checked before any allocation).
    accelerator : {"auto", "numba", "numpy"}
        ``"numba"``: compiled counting sort (needs the ``fast`` extra); ``"numpy"``: sort;
        ``"auto"``: numba when installed and ``m >= 20000``.

    Returns
    -------
    AggregatedComparisons
        ``(edges, wins, K)``; pairs of total weight 0 are dropped.

    Raises
    ------
    InvalidInputError
        Ids out of range or not integers, a self-comparison, NaN/inf/negative counts.
    SizeCapError
        ``n_items > max_items``.
    MissingDependencyError
        ``accelerator="numba"`` without numba.

    Notes
    -----
    :math:`O(m\\log m)` (numpy) or :math:`O(m + N)` (numba).

    The losses of the smaller id are :math:`K_{ij} - w_{ij}`, which is exact for integer counts below
    :math:`2^{53}` but, for fractional weights of very different sizes on one pair, keeps only the
    absolute precision of :math:`K_{ij}` (weights 1 and :math:`10^{-12}`: about :math:`10^{-4}` relative
    error in the small side). :func:`fit_bradley_terry` therefore sums the losses directly from the rows
    when fractional weights are given, rather than reading them from this table.

    Examples
    --------
    >>> e, w, K = aggregate_comparisons(3, [[0, 1], [1, 0], [0, 1], [2, 1]])
    >>> e.tolist(), w.tolist(), K.tolist()
    ([[0, 1], [1, 2]], [2.0, 0.0], [3.0, 1.0])
    """
    n = _check_n_items(n_items, max_items)
    V.check_choice("accelerator", accelerator, ("auto", "numba", "numpy"))
    arr = V.as_real_array("comparisons", comparisons)
    return _aggregate(n, arr, counts, kernels_for(accelerator, len(arr)))


def _aggregate(n: int, arr: np.ndarray, counts: Any, kernels) -> AggregatedComparisons:
    if kernels is not None:
        try:
            wt = None if counts is None else V.as_float_array("counts", counts, shape=(len(arr),), nonnegative=True)
        except AlignTheoryError:  # the numpy route raises the errors in its order
            wt, kernels = None, None
        out = None if kernels is None else aggregate_compiled(kernels, n, arr, wt)
        if out is not None:
            return AggregatedComparisons(*out)
    c = _index_pairs(arr, n)
    a, b = c[:, 0], c[:, 1]
    same = a == b
    if same.any():
        i = int(np.argmax(same))
        raise InvalidInputError("comparisons", "an item cannot beat itself", received=f"row {i}: ({a[i]}, {b[i]})")
    del same
    wt = None if counts is None else V.as_float_array("counts", counts, shape=(len(c),), nonnegative=True)
    lo = np.minimum(a, b)
    keys = np.maximum(a, b)
    keys += lo * n  # pair key min*n + max
    first_won = a == lo
    del lo
    if wt is None:
        # one sort of (pair key, did-the-smaller-id-win bit); runs of equal pair keys give K, and
        # the sum of the bits over a run gives the wins of the smaller id (no return_inverse)
        keys <<= 1
        keys |= first_won
        del first_won
        keys.sort()
        bit = (keys & 1).astype(np.float64)
        keys >>= 1
        newpair = np.empty(len(keys), bool)
        if len(keys):
            newpair[0] = True
        np.not_equal(keys[1:], keys[:-1], out=newpair[1:])
        starts = np.flatnonzero(newpair)
        uk = keys[starts]
        K = np.diff(np.append(starts, len(keys))).astype(np.float64)
        wins = np.add.reduceat(bit, starts) if len(starts) else np.zeros(0)
    else:
        uk, inv = np.unique(keys, return_inverse=True)
        wins = np.bincount(inv, first_won * wt, len(uk))
        K = np.bincount(inv, wt, len(uk))
    edges = np.empty((len(uk), 2), np.int64)
    np.floor_divide(uk, n, out=edges[:, 0])
    np.remainder(uk, n, out=edges[:, 1])
    keep = K > 0
    if not keep.all():
        return AggregatedComparisons(edges[keep], wins[keep], K[keep])
    return AggregatedComparisons(edges, wins, K)


# ----------------------------------------------------------------------------------------------
# labels


_MAX_PAIR_COUNT = float(2**53)  # total comparisons of one pair that float64 still counts exactly


def _encode(comparisons: Any, labels: Sequence[Hashable] | None, n_items: int | None,
            max_items: int) -> tuple[np.ndarray, tuple, int]:
    """Integer pairs ``(m, 2)``, the label tuple and the number of items."""
    if labels is not None:
        if isinstance(labels, (str, bytes)):
            raise InvalidInputError("labels", "must be a sequence of hashable ids, not a string")
        labs = tuple(labels)
        try:
            index = {lab: i for i, lab in enumerate(labs)}
        except TypeError as exc:
            raise InvalidInputError("labels", "every label must be hashable") from exc
        if len(index) != len(labs):
            raise InvalidInputError("labels", "must not repeat a label", received=f"{len(labs) - len(index)} repeats")
        n = _check_n_items(len(labs), max_items) if labs else V.check_int("labels", 0, lo=1)
        if n_items is not None and V.check_int("n_items", n_items, lo=1) != n:
            raise InvalidInputError("n_items", f"must equal len(labels) = {n}", received=n_items)
        arr = comparisons if isinstance(comparisons, np.ndarray) else None
        if arr is not None and arr.ndim == 2 and arr.shape[1] == 2 and arr.dtype.kind in "iuUS":
            uniq, inv = np.unique(arr, return_inverse=True)
            look = np.empty(len(uniq), np.int64)
            for j, u in enumerate(uniq.tolist()):
                if u not in index:
                    row = int(np.argmax(inv.reshape(arr.shape) == j) // 2)
                    raise InvalidInputError("comparisons", "every id must be one of labels", received=f"row {row}: {u!r}")
                look[j] = index[u]
            return look[inv.reshape(arr.shape)], labs, n
        rows = _rows(comparisons)
        out = np.empty((len(rows), 2), np.int64)
        for i, (a, b) in enumerate(rows):
            try:
                out[i, 0], out[i, 1] = index[a], index[b]
            except KeyError as exc:
                raise InvalidInputError("comparisons", "every id must be one of labels",
                                        received=f"row {i}: {exc.args[0]!r}") from None
            except TypeError as exc:
                raise InvalidInputError("comparisons", "ids must be hashable", received=f"row {i}") from exc
        return out, labs, n
    arr = None
    if not isinstance(comparisons, (str, bytes)):
        try:
            arr = np.asarray(comparisons)
        except (ValueError, TypeError):
            arr = None
    if arr is not None and (arr.dtype.kind in "iuf" or (arr.size == 0 and arr.dtype.kind not in "USO")):
        arr = V.as_real_array("comparisons", arr)
        if arr.size == 0:
            arr = np.zeros((0, 2), np.int64)
        if n_items is None:
            if arr.dtype.kind == "f":
                arr = V.as_index_array("comparisons", arr, n=2**62, shape=(None, 2))
            if arr.size == 0:
                raise InvalidInputError("comparisons", "must hold at least one comparison (or pass n_items)")
            mx, mn = int(arr.max()), int(arr.min())
            if mn < 0:
                raise InvalidInputError("comparisons", "node ids must be >= 0", received=mn)
            n = _check_n_items(mx + 1, max_items)
        else:
            n = _check_n_items(n_items, max_items)
        return arr, tuple(range(n)), n
    if n_items is not None:
        raise InvalidInputError("n_items", "applies to integer ids only; with named ids pass labels= to fix the items",
                                received=n_items)
    if (arr is not None and arr.ndim == 2 and arr.shape[1] == 2 and arr.dtype.kind in "US"
            and (isinstance(comparisons, np.ndarray) or _all_str(comparisons, arr.dtype.kind))):
        uniq, inv = np.unique(arr, return_inverse=True)  # sorted: the documented order
        n = _check_n_items(len(uniq), max_items)
        return inv.reshape(arr.shape).astype(np.int64), tuple(uniq.tolist()), n
    rows = _rows(comparisons)
    index: dict = {}
    try:
        for a, b in rows:
            index.setdefault(a, len(index))
            index.setdefault(b, len(index))
    except TypeError as exc:
        raise InvalidInputError("comparisons", "ids must be hashable") from exc
    labs = _sorted_or_first_seen(list(index))
    n = _check_n_items(max(len(labs), 1), max_items)
    pos = {lab: i for i, lab in enumerate(labs)}
    out = np.array([(pos[a], pos[b]) for a, b in rows], np.int64).reshape(-1, 2)
    return out, labs, n


# ----------------------------------------------------------------------------------------------
# result


@provenance("M", source="hendrickx2019graph", where="Fisher information of Bradley-Terry = weighted Laplacian")
@dataclass(frozen=True)
class BTFit:
    """Result of :func:`fit_bradley_terry` (frozen).

    Attributes
    ----------
    scores : ndarray, shape (N,)
        Centred rewards :math:`\\hat r = \\hat\\theta/\\beta` in the order of :attr:`labels`
        (natural-log odds scale when :math:`\\beta=1`; then identical to ``choix``'s parameters
        after centring).
    stderr : ndarray, shape (N,) or None
        Standard error of each *centred* score: :math:`\\sqrt{\\mathrm{diag}(P H^{-1} P)}` with
        :math:`H` the Fisher information at the optimum (the Fisher Laplacian, plus the prior's
        diagonal) and :math:`P = I - J/N`; without a prior this is :math:`\\sqrt{\\mathrm{diag}\\,L^{+}}`.
        ``None`` when not computed (see the ``stderr`` argument).
    grad_norm : float
        :math:`\\|\\nabla_r \\log p(\\text{data}, r)\\|_2` at ``scores``.
    iterations : int
        Iterations of all phases together.
    method : str
        ``"newton"``, ``"newman"`` or ``"newman+newton"`` (``method="auto"``: Newman stalled and
        Newton finished).
    result : RESULTS
        ``successful``, ``max_steps_reached``, ``nonfinite`` or ``disconnected`` (only with
        ``throw=False``; then ``scores`` are NaN, ``iterations`` 0, ``stderr`` None, ``solver`` "none").
    labels : tuple
        The item ids, in the order of ``scores`` (see :func:`fit_bradley_terry` for the order).
    solver : str
        Linear solver of the Newton steps and of the step test at the returned iterate (``"dense"``,
        ``"tree"``, ``"splu"``, ``"pcg"``, ``"pcg->splu"``), or ``"none"`` when no system was solved (a
        disconnected fit).
    prior_strength, beta : float
    n_items, n_pairs : int
    n_comparisons : float
    loglik : float
        Log-likelihood of the data at ``scores`` (without the prior).
    newman_iterations : int, default 0
        Newman fixed-point iterations.
    linear_iterations : int, default 0
        PCG iterations summed over Newton steps.
    accelerator : {"numpy", "numba"}
        The route that computed the fit: ``"numba"`` when the compiled kernels ran the existence check and
        the Newman sums and log-likelihood (``accelerator="numba"``, or ``"auto"`` from
        :data:`~aligntheory.numerics._bt_fit.NUMBA_MIN_ROWS` comparison rows on with numba usable), else
        ``"numpy"``. Both routes compute the same fit (to rounding); the field records which one ran.

    Examples
    --------
    >>> fit = fit_bradley_terry([["a", "b"], ["a", "b"], ["b", "a"]])
    >>> fit.labels, {k: round(v, 6) for k, v in fit.as_dict().items()}
    (('a', 'b'), {'a': 0.346574, 'b': -0.346574})
    """

    scores: np.ndarray
    stderr: np.ndarray | None
    grad_norm: float
    iterations: int
    method: str
    result: RESULTS
    labels: tuple
    solver: str
    prior_strength: float
    beta: float
    n_items: int
    n_pairs: int
    n_comparisons: float
    loglik: float
    newman_iterations: int = 0
    linear_iterations: int = 0
    accelerator: str = "numpy"

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded

    def as_dict(self) -> dict:
        """``{label: score}`` in the order of :attr:`labels`."""
        return dict(zip(self.labels, self.scores.tolist()))

    def score_of(self, label: Hashable) -> float:
        """Score of one item by its label."""
        try:
            return float(self.scores[self.labels.index(label)])
        except ValueError:
            raise InvalidInputError("label", "is not one of the fitted labels", received=repr(label)) from None


# ----------------------------------------------------------------------------------------------
# numerics


# ----------------------------------------------------------------------------------------------
# public entry point


@provenance("M", source="newman2023efficient", where="MLE by Newton (Fisher Laplacian) or Newman's fixed point")
def fit_bradley_terry(comparisons: Any, _legacy_comparisons: Any = None, /, *, labels: Sequence[Hashable] | None = None,
                      n_items: int | None = None, counts: Any = None, method: str = "auto",
                      prior_strength: float = 0.0, tol: float = 1e-10, xtol: float = 1e-8, maxiter: int | None = None,
                      beta: float = 1.0, solver: str = "auto", stderr: str = "auto", throw: bool = True,
                      max_items: int = DEFAULT_MAX_ITEMS, accelerator: str = "auto") -> BTFit:
    """Fit Bradley--Terry scores to ``(winner, loser)`` pairs, with standard errors [M].

    .. math:: \\ell(r) = \\sum_{\\{i,j\\}} w_{ij}\\log\\sigma(\\beta(r_i-r_j)) + w_{ji}\\log\\sigma(\\beta(r_j-r_i)),
              \\qquad -\\nabla^2\\ell = L_c,\\ c_{ij} = \\beta^2K_{ij}p_{ij}(1-p_{ij})

    Spec ``ibn.md`` §3.2 (Hendrickx et al. 2019: the Fisher information is a weighted Laplacian;
    Ford 1957: the MLE exists iff the beats graph is strongly connected; Newman 2023: fixed
    point). Steps:

    1. encode the ids (see *Labels* below) and aggregate the pairs (:func:`aggregate_comparisons`);
    2. existence: without a prior, the directed beats graph (arc :math:`i\\to j` when :math:`i` beat
       :math:`j`) must be strongly connected (``scipy.sparse.csgraph``), else
       :class:`~aligntheory.errors.DisconnectedGraphError` with ``directed=True`` and its
       strongly connected components;
    3. fit: ``method="newton"`` takes Newton steps :math:`\\Delta = (L_c + D)^{-1}\\nabla` with
       backtracking and a linear solver chosen by the graph's structure
       (:class:`~aligntheory.numerics.LaplacianSolver`). A step that moves a score by more than 30 is scaled
       down to a largest move of 30 (beyond a gap of ~30 a logistic term is linear to 1e-13, so the quadratic
       model says nothing there); the full step is kept when the directional derivative at the new point is
       still :math:`\\ge 0`, else halved until the objective does not decrease (to :math:`10^{-13}` relative,
       at most 60 halvings). ``method="newman"`` runs Newman's fixed
       point from zero with Anderson acceleration of depth 5 (Walker & Ni 2011; first-order: fast
       per iteration on well-connected graphs, stalls on chains); whenever the gradient norm does not
       decrease, the history is dropped and the step relaxed (halved, down to 1/8, no acceleration).
       ``"auto"`` (default) runs Newman while it contracts the gradient norm by at least a factor
       0.7 per iteration (5-iteration average, checked from the 8th iteration) and hands over to
       Newton from its iterate when it stalls (``method``: ``"newman"`` or ``"newman+newton"``);
    4. step test: the fit is ``successful`` only when the gradient norm is at most ``tol`` **and** the Newton
       step :math:`\\Delta = (L_c + D)^{-1}\\nabla` at the returned iterate moves no centred score by more than
       ``xtol * max(1, max|theta|)``. The step is the local distance to the optimum; the gradient alone is
       not: on a flat objective (a tiny prior on separable data, near-separable counts) a gradient below
       ``tol`` sits far from it (before round 13, a prior of 1e-12 on "0 beat 1 three times" returned
       ``successful`` at twice the MAP's score gap). Newman's iterate is checked the same way (one linear
       solve), and Newton takes over when the check fails (``"newman+newton"``). The gradient and Hessian of
       the Newton phase use :math:`\\sigma(\\pm d)` in full relative precision, and a prior far below the
       counts is solved by deflating each component's mean (its curvature is the prior's alone);
    5. standard errors from the Fisher information at the optimum (see :class:`BTFit`).

    The prior (``prior_strength`` :math:`s>0`): every item gets :math:`s/2` virtual wins and
    :math:`s/2` virtual losses against a virtual item of score 0 (pseudo-counts; Newman 2023 uses
    :math:`s=2`); the MAP estimate then exists for every dataset.

    **Labels.** Ids may be integers ``0..N-1`` (items ``range(n_items)``, default ``max id + 1``)
    or any hashable names (strings, tuples, ...). Without ``labels=`` named ids are ordered by
    sorting them (numpy order for strings) -- or, when they cannot be compared with each other, by
    first appearance. With ``labels=`` every id must be one of ``labels`` and the order is that of
    ``labels`` (items never compared are allowed and need a prior). The order is stable under
    resampling of the data: ``BTFit.labels[i]`` is the name of ``BTFit.scores[i]``, and
    :meth:`BTFit.as_dict` maps names to scores. The older form ``fit_bradley_terry(n_items,
    comparisons)`` is still accepted.

    Parameters
    ----------
    comparisons : array_like, shape (m, 2)
        Row ``(a, b)``: item ``a`` beat item ``b`` (the ``choix`` and Chatbot-Arena convention).
    labels : sequence of hashable, optional
        The items and their order.
    n_items : int, optional
        Number of items for integer ids (default ``max id + 1``); with ``labels=``, ``len(labels)`` if given.
    counts : float array, shape (m,), optional
        Multiplicity of each row (fractional weights allowed, e.g. ties as half a win each way).
    method : {"auto", "newton", "newman"}
    prior_strength : float, default 0.0
        Pseudo-comparisons per item (0: maximum likelihood).
    xtol : float, default 1e-8
        Step test (see step 4): the Newton step at the returned iterate moves no centred score by more than
        ``xtol * max(1, max|theta|)`` (:math:`\\theta = \\beta r`). ``float("inf")`` switches the test off
        (the gradient test alone, as before round 13: no linear solve after a converged Newman run, which on
        well-connected graphs costs about half as much again as the whole Newman fit; a flat objective can
        then return ``successful`` far from the optimum).
    tol : float, default 1e-10
        Stop when :math:`\\|\\nabla_r\\|_2\\le\\max(\\mathrm{tol}, 16\\,\\epsilon\\,\\beta\\,\\|d\\|_2)`, with
        :math:`\\epsilon = 2^{-52}` and :math:`d_i` the comparisons of item :math:`i` (plus ``prior_strength``):
        the gradient's terms are of the size of the counts, so below that rounding floor it is noise (the
        floor exceeds the default ``tol`` from about :math:`\\|d\\|_2 \\approx 3\\cdot 10^4`; the scores are
        then still the MLE to working precision, for every count up to the :math:`2^{53}` refusal).
    maxiter : int, optional
        Default 100 (Newton), 100000 (Newman: Newman's iterations and any Newton steps after a failed step
        test together) or 200 (auto: for each phase).
    beta : float, default 1.0
        Inverse temperature: scores are :math:`r = \\theta/\\beta`.
    solver : {"auto", "dense", "tree", "splu", "pcg"}
        Linear solver for Newton steps; ``"pcg"`` solves each step to the relative tolerance
        :math:`\\min(10^{-6}, \\max(10^{-14}, 10^{-3}\\lVert g\\rVert))` (:math:`g`: the current gradient).
    stderr : {"auto", "exact", "none"}
        ``"exact"``: dense :math:`O(N^3)` inverse of the Fisher matrix (at most 20000 items);
        ``"auto"``: exact when :math:`N\\le 2000`, else not computed (``None``).
    throw : bool, default True
        Raise on failure (:class:`~aligntheory.errors.ConvergenceError` when ``tol`` is not met
        within ``maxiter``, with iterations, gradient norm and last iterate;
        :class:`~aligntheory.errors.DisconnectedGraphError` when the MLE does not exist). With
        ``False`` return the :class:`BTFit` with ``result`` set.
    max_items : int, default 10_000_000
        Size cap on the number of items (``DEFAULT_MAX_ITEMS``; a cap above :math:`2^{30}` acts as
        :math:`2^{30}`; checked before any allocation).
    accelerator : {"auto", "numba", "numpy"}
        ``"numba"`` (the ``fast`` extra): aggregation, existence check and Newman's iteration as
        compiled loops over the pairs (one pass per iteration); ``"numpy"``: sparse products;
        ``"auto"``: numba when installed and there are at least 20000 comparison rows. Both give
        the same scores (to rounding: the exponential form
        :math:`\\sigma(\\theta_u-\\theta_v)=\\pi_u/(\\pi_u+\\pi_v)` replaces ``tanh``). The
        loops compile once per machine (seconds; cached on disk); a new process loads them in
        about half a second, so one-off fits may prefer ``"numpy"``.

    Returns
    -------
    BTFit

    Raises
    ------
    InvalidInputError
        Bad ids, a self-comparison, NaN/inf/negative counts, unknown options.
    SizeCapError
        More items than ``max_items``, or ``stderr="exact"`` above 20000 items.
    MissingDependencyError
        ``accelerator="numba"`` without numba (the ``fast`` extra).
    PrecisionError
        With ``throw=True``: the gradient reached its float64 rounding floor while the Newton step is still
        above ``xtol`` (``result`` ``inaccurate``: float64 cannot locate the optimum more closely); the Fisher
        information singular in float64 when standard errors are asked for. Always: float32 ``counts``; a pair compared more than :math:`2^{53}` times in total (its win/loss
        split :math:`K-w` is then not exact in float64, and the fit's likelihood terms cancel);
        scores :math:`\\theta/\\beta` overflowing float64 (extreme ``beta``).
    DisconnectedGraphError, ConvergenceError
        With ``throw=True``, see ``throw``.

    Notes
    -----
    Aggregation :math:`O(m\\log m)`; Newton: a few steps, each one Laplacian solve on the
    :math:`E` distinct pairs; Newman :math:`O(E)` per iteration (numpy: two sparse products and
    one ``tanh`` over the pairs; numba: one pass, one division per pair; aggregation
    :math:`O(m + N)`). float64 throughout, whatever JAX's x64 setting.

    Examples
    --------
    Item 0 beat item 1 three times out of four, and item 1 beat item 2 once out of two:

    >>> fit = fit_bradley_terry([[0, 1], [0, 1], [0, 1], [1, 0], [1, 2], [2, 1]], method="newton")
    >>> round(float(fit.scores[0] - fit.scores[1]), 9), round(float(np.log(3)), 9)
    (1.098612289, 1.098612289)
    >>> fit.method, fit.solver, fit.converged, fit.grad_norm <= 1e-10
    ('newton', 'dense', True, True)

    Named models:

    >>> fit = fit_bradley_terry([("gpt", "llama"), ("llama", "gpt"), ("gpt", "llama")])
    >>> fit.labels, round(fit.score_of("gpt") - fit.score_of("llama"), 9)
    (('gpt', 'llama'), 0.693147181)
    """
    if _legacy_comparisons is not None:  # fit_bradley_terry(n_items, comparisons)
        if n_items is not None:
            raise InvalidInputError("n_items", "given twice (positionally and by keyword)")
        n_items, comparisons = V.check_int("n_items", comparisons, lo=1), _legacy_comparisons
    V.check_choice("method", method, ("auto", "newton", "newman"))
    V.check_choice("solver", solver, ("auto", "dense", "tree", "splu", "pcg"))
    V.check_choice("stderr", stderr, ("auto", "exact", "none"))
    V.check_choice("accelerator", accelerator, ("auto", "numba", "numpy"))
    prior = V.check_scalar("prior_strength", prior_strength, nonnegative=True)
    tol = V.check_scalar("tol", tol, positive=True)
    xtol = V.check_scalar("xtol", xtol, positive=True, finite=False)
    beta = V.check_scalar("beta", beta, positive=True)
    if maxiter is None:
        maxiter = {"newton": 100, "newman": 100000, "auto": 200}[method]
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    max_items = V.check_int("max_items", max_items, lo=1)
    idx, labs, n = _encode(comparisons, labels, n_items, max_items)
    if n < 2:
        raise InvalidInputError("comparisons", "need at least two items", received=f"{n} item")
    if stderr == "exact":
        V.check_size("stderr", n, cap=_STDERR_EXACT_CAP, unit="items (dense Fisher inverse)")
    kernels = kernels_for(accelerator, len(idx))
    edges, w, K = _aggregate(n, V.as_real_array("comparisons", idx), counts, kernels)
    lose = None
    if counts is not None and len(edges):
        # the losses summed directly; where K - w differs from them (fractional counts of very different sizes),
        # the fit uses them, on the numpy route (the compiled kernels read K - w)
        lose = losses_by_pair(n, _index_pairs(V.as_real_array("comparisons", idx), n),
                              V.as_float_array("counts", counts, shape=(len(idx),), nonnegative=True), edges)
        if np.array_equal(lose, K - w):
            lose = None
        else:
            kernels = None
    if K.size and float(K.max()) > _MAX_PAIR_COUNT:
        raise PrecisionError(f"fit_bradley_terry: a pair is compared {float(K.max()):.3g} times in total (counts "
                             f"summed); above 2**53 its win/loss split is not exact in float64 and the likelihood's "
                             "terms cancel: rescale the counts (the MLE depends only on their ratios)")
    tol = max(tol, _rounding_floor(n, edges, K, prior, beta))  # an absolute tol below rounding is unreachable
    common = dict(labels=labs, prior_strength=prior, beta=beta, n_items=n, n_pairs=len(edges),
                  n_comparisons=float(K.sum()), accelerator="numpy" if kernels is None else "numba")
    if prior == 0 and (kernels is None or not strongly_connected(kernels, n, edges, w, K)):
        ncomp, lab = _beats_components(n, edges, w, K)
        if ncomp > 1:

            def err():
                # the message needs the 8 largest sizes and the first members of the 4 largest components:
                # O(n) each, never one array per component (10^7 singletons took minutes)
                sizes = np.bincount(lab, minlength=ncomp)
                top = np.argsort(-sizes, kind="stable")[:8]
                shown = "; ".join(str([labs[j] for j in m[:8]])[:-1] + (", ...]" if len(m) > 8 else "]")
                                  for m in (np.flatnonzero(lab == c) for c in top[:4]))
                return DisconnectedGraphError(
                    f"fit_bradley_terry: the Bradley-Terry MLE does not exist: the beats graph is not strongly "
                    f"connected ({ncomp} strongly connected components, sizes "
                    f"{sizes[top].tolist()}{'...' if ncomp > 8 else ''}: {shown}"
                    f"{'; ...' if ncomp > 4 else ''}). Pass prior_strength > 0 for a MAP estimate, or fit each "
                    "component separately.", component_labels=lab, directed=True)

            raise_or_flag(RESULTS.disconnected, throw=throw, error=err)
            return BTFit(scores=np.full(n, np.nan), stderr=None, grad_norm=float("nan"), iterations=0,
                         method=method, result=RESULTS.disconnected, solver="none", loglik=float("nan"), **common)
    newman_its = 0
    if method == "newton":
        theta0, newman_W = None, (_Work(n, edges, w, K, prior, lose) if kernels is None
                                  else _NumbaWork(n, edges, w, K, prior, kernels))
    else:
        # Newman's fixed point first (O(E) per iteration, fastest on well-connected graphs). "auto" leaves it when
        # it stalls (chains, weakly connected graphs); either way Newton starts from its iterate and checks it
        # (the step test below), taking over only if the check fails
        newman_W = _Work(n, edges, w, K, prior, lose) if kernels is None else _NumbaWork(n, edges, w, K, prior, kernels)
        if method == "auto":
            out = _newman_host(n, edges, w, K, prior, beta, tol, min(maxiter, 200), newman_W, ll=False,
                               stall_exit=True)
        else:
            out = _newman_host(n, edges, w, K, prior, beta, tol, maxiter, newman_W, ll=False)
        theta0, newman_its = out[0], out[2]
    # "newman": maxiter caps both phases together; "auto": each phase (as documented)
    newton_maxiter = maxiter - newman_its if method == "newman" else maxiter
    theta, gn, it2, ll, solver_used, cg_its, verdict = _newton(
        n, edges, w, K, prior, beta, tol, newton_maxiter, solver, W=newman_W, theta0=theta0, xtol=xtol)
    it = newman_its + it2
    if method != "newton":
        method = "newman" if it2 == 0 else "newman+newton"
    theta_map = theta  # the prior's curvature is at the uncentred MAP (its mean is set by the prior, not 0)
    theta = theta - theta.mean()
    if not (np.isfinite(gn) and np.all(np.isfinite(theta))) or verdict == "nonfinite":
        result = RESULTS.nonfinite
    else:
        result = {"converged": RESULTS.successful, "floor": RESULTS.inaccurate}.get(verdict,
                                                                                    RESULTS.max_steps_reached)
    raise_or_flag(result, throw=throw, error=lambda: PrecisionError(
            f"fit_bradley_terry ({method}): at gradient norm {gn:.3e} float64's rounding (of the gradient, or of the "
            "objective along the Newton step) allows no further progress, "
            f"but the Newton step there is still larger than xtol={xtol:g} relative to the scores: "
            "float64 cannot locate the optimum more closely (a tiny prior_strength or counts on flat, "
            "near-separable data): increase prior_strength or rescale the counts") if result is RESULTS.inaccurate
        else ConvergenceError(
            f"fit_bradley_terry ({method}): not converged after {it} iterations (gradient norm {gn:.3e}, tol "
            f"{tol:.3e}; the Newton step must also be below xtol={xtol:g} relative to the scores; "
            f"maxiter={maxiter})", iterations=int(it), residual=float(gn), last_iterate=theta / beta, result=result))
    with np.errstate(over="ignore"):
        scores = theta / beta
    if not np.all(np.isfinite(scores)):
        raise PrecisionError(f"fit_bradley_terry: the scores theta/beta overflow float64 at beta={beta!r} "
                             "(fit on the theta scale, beta=1, and divide with care)")
    se = None
    if result.succeeded and (stderr == "exact" or (stderr == "auto" and n <= 2000)):
        with np.errstate(over="ignore"):
            se = _stderr_dense(n, edges, K, theta_map, prior) / beta
        if not np.all(np.isfinite(se)):
            raise PrecisionError(f"fit_bradley_terry: the standard errors overflow float64 at beta={beta!r} "
                                 "(pass stderr='none' or fit with beta=1)")
    return BTFit(scores=scores, stderr=se, grad_norm=float(gn), iterations=int(it), method=method,
                 result=result, solver=solver_used, loglik=float(ll), newman_iterations=int(newman_its),
                 linear_iterations=int(cg_its), **common)
