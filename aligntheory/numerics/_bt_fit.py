"""Numerics of :func:`aligntheory.numerics.fit_bradley_terry` (private; numpy/scipy, no JAX).

Every per-pair pass of an iteration is a sparse matrix--vector product on structures built once
per fit: the half differences :math:`h_e = (\\theta_u-\\theta_v)/2` are one CSR product with the
incidence matrix, :math:`\\sigma(\\pm d_e) = (1\\pm\\tanh h_e)/2` one ``tanh``, and the sums of
Newman's fixed point (or the gradient) one CSC product that scatters into item-length vectors
(three passes over the pairs per iteration instead of a dozen ``take``/``bincount`` passes).

With numba (the ``fast`` extra), :class:`_NumbaWork` replaces those passes by one compiled loop
(:mod:`._bt_numba`); :func:`kernels_for` picks the route (``accelerator=``), and the numpy route
stays the fallback, with the same iterates to rounding.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
from scipy.linalg.blas import dnrm2
from scipy.special import expit

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, MissingDependencyError, PrecisionError
from aligntheory.numerics.laplacian import LaplacianSolver

__all__: list[str] = []


def _sorted_or_first_seen(uniq: list) -> tuple:
    try:
        return tuple(sorted(uniq))
    except TypeError:  # ids that cannot be ordered against each other: order of first appearance
        return tuple(uniq)


def _all_str(comparisons: Any, kind: str) -> bool:
    """numpy turns mixed lists such as ``[("x", 3)]`` into strings; accept the string array only if it was."""
    t = str if kind == "U" else bytes
    return all(isinstance(x, t) for row in comparisons for x in row)


def _rows(comparisons: Any) -> list:
    try:
        rows = [tuple(r) for r in comparisons]
    except TypeError as exc:
        raise InvalidInputError("comparisons", "must be a sequence of (winner, loser) pairs") from exc
    for i, r in enumerate(rows):
        if len(r) != 2:
            raise InvalidInputError("comparisons", "every row must be a (winner, loser) pair", received=f"row {i}: {r!r}")
    return rows


def _index_pairs(arr: np.ndarray, n: int) -> np.ndarray:
    """``(m, 2)`` int64 node ids in ``[0, n)`` without copies where possible."""
    if arr.dtype.kind == "f":
        return V.as_index_array("comparisons", arr, n=n, shape=(None, 2))
    if arr.dtype.kind not in "iu":
        raise InvalidInputError("comparisons", "node ids must be integers", received=f"dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] != 2:
        if arr.size == 0:
            return np.zeros((0, 2), np.int64)
        raise InvalidInputError("comparisons", "must have shape (m, 2)", received=f"shape {arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= n:
            raise InvalidInputError("comparisons", f"node ids must lie in [0, {n - 1}]", received=lo if lo < 0 else hi)
    return arr


def arc_components(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[int, np.ndarray]:
    """Strongly connected components of the digraph on ``n`` nodes with arcs ``src[k] -> dst[k]``.

    Arcs in any order, repeats allowed (scipy's strong components on a COO-built CSR matrix). Returns
    ``(number of components, label of each node)``. The existence check of the Bradley--Terry-type
    fits outside this module (an MLE exists iff the "beats" graph is strongly connected, Ford 1957):
    :func:`aligntheory.kernels.ibn.fit_bt_newton`, :func:`~aligntheory.kernels.ibn.fit_bt_newman` and
    :func:`aligntheory.kernels.safety.fit_cost_model`. O(n + arcs).
    """
    src = np.asarray(src, dtype=np.int64).ravel()
    dst = np.asarray(dst, dtype=np.int64).ravel()
    G = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    return csgraph.connected_components(G, directed=True, connection="strong")


def largest_components(lab: np.ndarray, ncomp: int, *, shown: int = 4, members: int = 8,
                       mark: int = -1, mark_text: str = "") -> str:
    """``"[a, b, ...]; [c]; ..."``: the first ``members`` nodes of the ``shown`` largest components (ties by label),
    for error messages; component ``mark`` gets ``mark_text`` appended. O(n) per component shown."""
    sizes = np.bincount(lab, minlength=ncomp)
    top = [int(c) for c in np.argsort(-sizes, kind="stable")[:shown] if sizes[c]]
    return "; ".join(str(np.flatnonzero(lab == c)[:members].tolist()) + (mark_text if c == mark else "") for c in top)


def _beats_components(n: int, edges: np.ndarray, wins: np.ndarray, K: np.ndarray) -> tuple[int, np.ndarray]:
    """Strongly connected components of the beats graph (arc u -> v when u beat v at least once).

    ``edges`` are sorted by ``(u, v)`` (:func:`aggregate_comparisons`), so the arcs ``u -> v`` are
    already in CSR order and the arcs ``v -> u`` are the transpose of a CSR matrix: no sort.
    """
    u, v = edges[:, 0], edges[:, 1]
    fw = wins > 0
    bw = (K - wins) > 0

    def rows_of(mask):
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(u[mask], minlength=n), out=indptr[1:])
        return sp.csr_matrix((np.ones(int(mask.sum())), v[mask], indptr), shape=(n, n))

    G = rows_of(fw) + rows_of(bw).T.tocsr()
    return csgraph.connected_components(G, directed=True, connection="strong")


def _norm2(x) -> float:
    """Euclidean norm without overflow of the squares (BLAS ``dnrm2`` scales): counts near 1e300 give
    gradients whose squares overflow ``numpy.linalg.norm``."""
    r = float(dnrm2(np.ascontiguousarray(x, dtype=np.float64)))
    if not np.isfinite(r):  # inf/nan entries: numpy's value (inf stays inf, nan stays nan)
        with np.errstate(over="ignore", invalid="ignore"):
            r = float(np.linalg.norm(x))
    return r


def _log_sigmoid_and_p(d):
    ed = np.exp(-np.abs(d))
    lsp = np.minimum(d, 0.0) - np.log1p(ed)  # log sigma(d), stable
    p = np.where(d >= 0, 1.0, ed) / (1.0 + ed)  # sigma(d), stable
    return lsp, p


class _Work:
    """Sparse operators of one fit, built once: every iteration is two sparse products and a tanh.

    With :math:`T_e = \\tanh((\\theta_u-\\theta_v)/2)` (``u < v`` the pair, ``w`` wins of ``u``,
    ``l = K - w``, or the directly summed losses): :math:`\\sigma(\\theta_u-\\theta_v) = (1+T)/2` and
    Newman's sums are :math:`(A, B) = c_0 + M_{AB} T`. Newton's gradient and Hessian weights are formed from
    both sigmoids in full precision instead (:meth:`eval`).
    """

    def __init__(self, n, edges, w, K, prior, lose=None):
        self.n, self.u, self.v, self.w, self.K, self.prior = n, edges[:, 0], edges[:, 1], w, K, prior
        E = len(w)
        self.E = E
        self._inc = self._Mab = self._h = None
        if lose is not None:  # summed directly (fractional counts): K - w can lose its relative precision
            self.__dict__["lose"] = lose

    @functools.cached_property
    def lose(self):
        """Wins of ``v`` over ``u``, :math:`K - w` (built on first use: the numba route never needs it)."""
        return self.K - self.w

    @property
    def inc(self):
        """Half differences :math:`h = \\mathrm{Inc}\\,\\theta` (CSR, two entries per pair, rows in pair order; built on first use)."""
        if self._inc is None:
            E, u, v = self.E, self.u, self.v
            self._inc = sp.csr_matrix((np.tile([0.5, -0.5], E), self._interleave(u, v), np.arange(0, 2 * E + 1, 2)),
                                      shape=(E, self.n))
            self._h, self._t = np.empty(E), np.empty(E)
        return self._inc

    @staticmethod
    def _interleave(*cols):
        out = np.empty((len(cols[0]), len(cols)), dtype=np.result_type(*cols))
        for k, c in enumerate(cols):
            out[:, k] = c
        return out.ravel()

    def _newman_ops(self):
        """Newman's sums operator (built on first use): :math:`(A, B) = c_0 + M_{AB} T`."""
        if self._Mab is None:
            n, u, v, E = self.n, self.u, self.v, self.E
            hl, hw = self.lose / 2, self.w / 2
            self._Mab = sp.csc_matrix((self._interleave(hl, -hw, hl, -hw), self._interleave(v, u, u + n, v + n),
                                       np.arange(0, 4 * E + 1, 4)), shape=(2 * n, E))
            self._ab0 = np.concatenate([np.bincount(v, hl, n) + np.bincount(u, hw, n),
                                        np.bincount(u, hl, n) + np.bincount(v, hw, n)])
        return self._ab0, self._Mab

    def tanh_half(self, theta):
        """:math:`T = \\tanh((\\theta_u - \\theta_v)/2)` into ``self._t`` (half differences kept in ``self._h``)."""
        inc = self.inc
        np.copyto(self._h, inc @ theta)
        np.tanh(self._h, out=self._t)
        return self._t

    def diff(self, theta):
        return 2.0 * (self.inc @ theta)

    def loglik_at(self, theta):
        """Log-likelihood of the pair counts at ``theta``."""
        return self.loglik(self.diff(theta))

    def loglik(self, d):
        t = np.abs(d)
        np.negative(t, out=t)
        np.exp(t, out=t)
        np.log1p(t, out=t)  # log(1 + e^{-|d|})
        # log sigma(+-d) = min(+-d, 0) - log1p(e^{-|d|}), so loglik = w.min(d, 0) + lose.min(-d, 0) - K.t: a sum
        # of non-positive terms. (The form K.min(d, 0) - lose.d cancels; with counts near 1e300, where K - w
        # is a rounding residue, a trial step's lose.d overflowed into inf - inf.) An overflow here is a value
        # below -1.8e308: it reads -inf, which the line search rejects.
        with np.errstate(over="ignore"):
            return float(self.w @ np.minimum(d, 0.0) + self.lose @ np.minimum(-d, 0.0) - self.K @ t)

    @functools.cached_property
    def abs_inc(self):
        """:math:`|\\mathrm{Inc}|` (CSR, entries 1/2): scatters per-pair magnitudes to both ends."""
        return abs(self.inc)

    def eval(self, theta, need_obj=True):
        """(objective, log-likelihood, gradient, Hessian weights, rounding floor of the gradient) at ``theta``.

        Unlike Newman's sums (the ``tanh`` form, fast), the gradient and the weights
        :math:`c_e = K_e\\sigma(d_e)\\sigma(-d_e)` are formed from both :math:`\\sigma(\\pm d_e)` in full relative
        precision: :math:`g_u = \\sum_e w_e\\sigma(-d_e) - l_e\\sigma(d_e)` (scattered with opposite signs to
        ``v``). With ``tanh``, :math:`1-\\tanh` cancels to 0 once :math:`|d_e|\\gtrsim 37`, so the gradient of
        near-separable data (a gap :math:`\\ln(10^9)` overshot to twice that) read :math:`-l_e` and its
        Hessian weight 0. The rounding floor is :math:`16\\,\\epsilon\\,\\|a\\|_2` with :math:`a_u` the sum of
        the absolute terms of :math:`g_u` (plus :math:`s/2` of a prior): cancellation between the terms cannot
        leave an error above it.
        """
        inc = self.inc
        np.copyto(self._h, inc @ theta)
        d = 2.0 * self._h
        sp_, sm_ = expit(d), expit(-d)
        loglik = self.loglik(d) if need_obj else float("nan")
        wm, ls = self.w * sm_, self.lose * sp_
        g = 2.0 * (inc.T @ (wm - ls))
        mag = 2.0 * (self.abs_inc.T @ (wm + ls))
        c = self.K * sp_ * sm_
        obj = loglik
        if self.prior > 0:
            lp, q = _log_sigmoid_and_p(theta)
            obj += float(0.5 * self.prior * np.sum(2.0 * lp - theta))  # s/2 [log s(t) + log s(-t)]
            g += self.prior * (0.5 - q)
            mag += 0.5 * self.prior
        floor = _FLOOR_FACTOR * np.finfo(np.float64).eps * _norm2(mag)
        return obj, loglik, g, c, floor

    def newman_sums(self, theta):
        n = self.n
        ab0, Mab = self._newman_ops()
        AB = ab0 + Mab @ self.tanh_half(theta)
        A, B = AB[:n], AB[n:]
        if self.prior > 0:
            A += 0.5 * self.prior * _log_sigmoid_and_p(-theta)[1]
            B += 0.5 * self.prior * _log_sigmoid_and_p(theta)[1]
        return A, B


_STEP_CAP = 30.0
"""Largest Newton move of one score per iteration (theta units): beyond a gap of ~30 a logistic term is linear
to 1e-13, so the quadratic model says nothing about moves that long (from far out on a flat objective, with a
tiny prior, Newton's step was 1e20; backtracking from there never reached a sensible length)."""


def _newton_step(S, c, g, extra, rtol):
    """Newton step :math:`(L_c + D)^{-1} g` (``D = diag(extra)``, the prior's curvature, or none); returns
    (step, solver, linear iterations).

    A prior far below the counts' curvature makes :math:`L_c + D` singular in float64: :math:`D` rounds away
    against :math:`L_c` while it alone carries the curvature of each component's mean (a prior of 1e-20 beside
    counts of 3 gave a NaN step at the first iterate). There, when ``max D <= 1e-6 max c`` or the direct solve
    fails, the step is split as :math:`y + \\alpha_k 1_k` per connected component :math:`k`: :math:`\\alpha_k`
    from the component's mean equation :math:`1_k^T D (y + \\alpha_k 1_k) = 1_k^T g` (exact: :math:`1_k^T L_c
    = 0`), :math:`y` from the grounded Laplacian on the rest, alternated (block Gauss--Seidel; it contracts by
    about :math:`\\max D / \\lambda_2` per sweep, so a few sweeps where it is used).
    """
    direct = extra is None or not (float(np.max(extra)) <= 1e-6 * float(np.max(c, initial=0.0)))
    its = 0
    if direct:
        sol = S.solve(c, g, extra_diag=extra, rtol=rtol)
        if sol.result.succeeded or extra is None:
            return sol.x, sol.method, sol.iterations
        its = sol.iterations
    lab, ncomp = S.labels, S.ncomp
    size = np.bincount(lab, minlength=ncomp).astype(np.float64)
    dsum = np.bincount(lab, extra, ncomp)
    gsum = np.bincount(lab, g, ncomp)
    y = np.zeros_like(g)
    used = S.method
    for _ in range(100):
        Dy = extra * y
        alpha = _mean_shift(gsum - np.bincount(lab, Dy, ncomp), dsum)
        r = g - Dy - extra * alpha[lab]
        r -= (np.bincount(lab, r, ncomp) / size)[lab]
        sol = S.solve(c, r, rtol=rtol)
        its += sol.iterations
        used = sol.method
        y_new = sol.x
        done = float(np.max(np.abs(y_new - y))) <= 1e-15 * float(np.max(np.abs(y_new), initial=0.0))
        y = y_new
        if done:
            break
    alpha = _mean_shift(gsum - np.bincount(lab, extra * y, ncomp), dsum)
    return y + alpha[lab], used, its


def _mean_shift(num, dsum):
    """``num / dsum`` per component, 0 where the prior's curvature ``dsum`` underflowed to 0 (the component's
    mean is then flat to float64, and the centred scores do not depend on it)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dsum > 0, num / np.where(dsum > 0, dsum, 1.0), 0.0)


def losses_by_pair(n: int, rows: np.ndarray, weights: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Weighted wins of the larger id of each aggregated pair (``edges`` sorted, smaller id first), summed directly.

    ``K - wins`` loses relative precision when the losses are far smaller than the wins (fractional counts: wins 1
    and losses 1e-12 give ``K - w`` 1.0000889e-12, and the fitted gap ``ln(1e12)`` off by 9e-5). O(m log E).
    """
    a, b = rows[:, 0], rows[:, 1]
    keys = np.minimum(a, b) * n + np.maximum(a, b)
    pos = np.searchsorted(edges[:, 0] * n + edges[:, 1], keys)
    return np.bincount(pos, weights * (a > b), len(edges) + 1)[: len(edges)]


def _newton(n, edges, w, K, prior, beta, tol, maxiter, solver, warm_iters=4, W=None, theta0=None, xtol=1e-8):
    """Newton with backtracking; returns (theta, grad norm, iterations, loglik, solver used, PCG iterations,
    verdict), the verdict ``"converged"``, ``"floor"`` or ``"maxiter"`` (or ``"nonfinite"``).

    Stopping rule: *converged* when the gradient norm is at most ``tol`` **and** the Newton step there,
    :math:`\\Delta = H^{-1}\\nabla`, has every entry at most ``xtol * max(1, max|theta|)``. The step is the
    local distance to the optimum; the gradient alone is not: where the objective is flat (a tiny prior on
    separable data, near-separable fractional counts) a gradient below ``tol`` sits far from the optimum (a
    prior of 1e-12 on "0 beat 1 three times" met ``tol`` at a score gap twice the MAP's). *floor*: the
    gradient is at or below its rounding floor (:meth:`_Work.eval`) while the step is still larger than that
    (float64 cannot locate the optimum more closely than the step). ``maxiter`` counts Newton steps taken; the check at the
    last iterate costs one more solve.
    """
    W = _Work(n, edges, w, K, prior) if W is None else W
    S = LaplacianSolver(n, edges, method=solver)
    # warm start: a few of Newman's fixed-point iterations (cheap, O(E) each), which bring the
    # gradient down by one to three orders of magnitude on well-connected graphs; Newton's
    # quadratic phase then starts almost at once
    if theta0 is not None:
        theta = theta0
    else:
        theta = (_newman_host(n, edges, w, K, prior, beta, tol, warm_iters, W, ll=False)[0] if warm_iters
                 else np.zeros(n))
    obj, ll, g, c, fl = W.eval(theta, need_obj=False)  # the objective is evaluated only when backtracking
    it, cg_iters, used = 0, 0, "none"  # the solver once a system is solved
    gn = beta * _norm2(g)
    verdict, restart = "nonfinite", True
    while np.isfinite(gn):
        if gn <= tol and xtol == np.inf:  # the step test switched off: the gradient test alone, no solve
            verdict = "converged"
            break
        extra = None
        if prior > 0:
            extra = prior * expit(theta) * expit(-theta)  # not q (1 - q): 1 - q cancels to 0 from |theta| ~ 37
        rtol = min(1e-6, max(1e-14, 1e-3 * gn))
        step, used, its = _newton_step(S, c, g, extra, rtol)
        cg_iters += its
        if not np.all(np.isfinite(step)):
            if restart and np.any(theta != 0.0):
                # Newman's iterate can overshoot so far that every pair's curvature underflows (a prior of
                # 1e-300: a gap of 1385 for a MAP gap of 692); start once more from zero
                restart = False
                theta = np.zeros(n)
                obj, ll, g, c, fl = W.eval(theta, need_obj=False)
                gn = beta * _norm2(g)
                continue
            break
        smax = float(np.max(np.abs(step)))
        # the test reads the step's centred part: the fit reports centred scores, and the common shift is set
        # by the prior alone (with a tiny prior it is determined only to ~ rounding / prior, harmlessly)
        smove = float(np.max(np.abs(step - step.mean())))
        if gn <= tol and smove <= xtol * max(1.0, float(np.max(np.abs(theta - theta.mean())))):
            verdict = "converged"
            break
        if gn <= beta * fl:
            verdict = "floor"
            break
        if it >= maxiter:
            verdict = "maxiter"
            break
        if smax > _STEP_CAP:  # far out on a flat objective the quadratic model is meaningless (steps of 1e20)
            step = step * (_STEP_CAP / smax)
        # full step accepted without evaluating the objective when the directional derivative at
        # the new point is still >= 0 (concavity then guarantees an increase); otherwise backtrack
        th_new = theta + step
        obj_new, ll_new, g_new, c_new, fl_new = W.eval(th_new, need_obj=False)
        with np.errstate(over="ignore", invalid="ignore"):  # counts near 1e300: inf/nan -> backtrack
            dd = float(g_new @ step)
        if not dd >= 0.0:
            if not np.isfinite(obj):
                obj = W.eval(theta)[0]
            a, accepted = 1.0, False
            for _ in range(60):
                th_new = theta + a * step
                obj_new, ll_new, g_new, c_new, fl_new = W.eval(th_new)
                if obj_new >= obj - 1e-13 * abs(obj):
                    accepted = True
                    break
                a *= 0.5
            if not accepted:  # no increase along the Newton direction: the objective's rounding, at the optimum
                verdict = "floor"
                break
        theta, obj, ll, g, c, fl = th_new, obj_new, ll_new, g_new, c_new, fl_new
        it += 1
        gn = beta * _norm2(g)
    if not np.isfinite(ll):
        ll = W.loglik_at(theta)  # the compiled pass on the numba route
    return theta, gn, it, ll, used, cg_iters, verdict


def _newman_host(n, edges, w, K, prior, beta, tol, maxiter, W=None, ll=True, stall_exit=False, anderson=5):
    """Newman's fixed point on the host, Anderson-accelerated. With ``stall_exit`` it returns early
    (``stalled=True``) once the gradient norm contracts by less than a factor 0.7 per iteration on
    average over 5 iterations (first-order methods stall on chains and other poorly connected graphs).

    Anderson acceleration (Walker & Ni 2011) of depth ``anderson`` on the map
    :math:`G(\\theta) = \\theta + \\log A - \\log B`: the next iterate combines the last few
    :math:`G(\\theta_k)` with weights that minimise the combined residual (a least-squares problem of
    ``anderson`` columns, :math:`O(N)` work against the :math:`O(E)` pass). Safeguard: when the
    gradient norm fails to decrease, the history is dropped and a plain (damped) Newman step taken.
    ``anderson=0`` is the plain iteration.
    """
    W = _Work(n, edges, w, K, prior) if W is None else W
    theta = np.zeros(n)
    it, om, gn_old = 0, 1.0, np.inf
    hist: list = []
    stalled = False
    Gs: list = []
    Fs: list = []
    while True:
        A, B = W.newman_sums(theta)
        gn = beta * _norm2(A - B)
        if not (np.all(A > 0) and np.all(B > 0) and np.isfinite(gn)):
            # a sum underflowed to 0 or overflowed (scores hundreds apart, counts near 1e308): log A - log B
            # is not finite there; stop and leave the iterate to Newton (the caller's final check)
            stalled = True
            break
        if gn >= gn_old:
            om = max(0.5 * om, 0.125)
            Gs.clear()
            Fs.clear()
        gn_old = gn
        hist.append(gn)
        if gn <= tol or it >= maxiter:
            break
        if stall_exit and it >= 8 and gn > 0.7**5 * hist[-6]:
            stalled = True
            break
        f = om * (np.log(A) - np.log(B))
        g = theta + f
        if prior == 0:
            g -= g.mean()
            f = g - theta
        theta_new = g
        if anderson and om == 1.0:
            Gs.append(g)
            Fs.append(f)
            if len(Fs) > anderson + 1:
                Gs.pop(0)
                Fs.pop(0)
            if len(Fs) >= 2:
                dF = np.stack([Fs[k + 1] - Fs[k] for k in range(len(Fs) - 1)], 1)
                dG = np.stack([Gs[k + 1] - Gs[k] for k in range(len(Gs) - 1)], 1)
                gamma = np.linalg.lstsq(dF, f, rcond=1e-10)[0]
                cand = g - dG @ gamma
                if np.all(np.isfinite(cand)):
                    theta_new = cand
        theta = theta_new
        if prior == 0:
            theta -= theta.mean()
        it += 1
    out_ll = W.loglik_at(theta) if ll else float("nan")
    return (theta, gn, it, out_ll, stalled) if stall_exit else (theta, gn, it, out_ll)


_FLOOR_FACTOR = 16.0
"""The gradient's rounding floor is ``_FLOOR_FACTOR * 2**-52 * beta * ||d||_2`` (``d_i``: comparisons of item
``i`` plus the prior's pseudo-comparisons): its terms are of the size of the counts, so an absolute ``tol`` below
that is unreachable in float64. Measured plateaus of the iterations (random graphs of 2..30 items, counts scaled
by 1, 1e6, 1e12): Newton 0.18, Newman 2.6 (units of ``2**-52 ||d||_2``); 16 leaves a factor 6."""


def _rounding_floor(n: int, edges: np.ndarray, K: np.ndarray, prior: float, beta: float) -> float:
    """The gradient norm float64 can resolve for these counts (see ``_FLOOR_FACTOR``); 0 when it overflows."""
    deg = np.bincount(edges[:, 0], K, n) + np.bincount(edges[:, 1], K, n) + prior
    with np.errstate(over="ignore"):  # pair counts are <= 2**53 here, so only an extreme beta overflows
        f = _FLOOR_FACTOR * np.finfo(np.float64).eps * beta * float(np.linalg.norm(deg))
    return f if np.isfinite(f) else 0.0


def _stderr_dense(n, edges, K, theta, prior):
    """Standard errors of the centred scores: :math:`\\sqrt{\\mathrm{diag}(P H^{-1} P)}`, :math:`P = I - J/n`,
    :math:`H = L_c + D` the Fisher information (``D``: the prior's curvature, or none). Dense, :math:`O(n^3)`.

    With a prior, :math:`H` is written in the basis ``[B | Q]``: ``B`` the normalised indicators of the comparison
    graph's connected components (the null space of :math:`L_c`), ``Q`` an orthonormal complement. Every block
    that involves ``B`` is formed from ``D`` alone, and the inverse is the block inverse through the Schur
    complement :math:`S = Q^T L_c Q + Q^T D Q - Q^T D B (B^T D B)^{-1} B^T D Q`. Forming :math:`L_c + D` first, as
    the Cholesky route did, rounds a prior far below the counts away (``D`` then carries the components' means
    alone): a prior of 1e-20 beside counts of 3 raised LAPACK's "not positive definite". Raises
    :class:`~aligntheory.errors.PrecisionError` when the information is singular in float64 all the same.
    """
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    u, v = edges[:, 0], edges[:, 1]
    d = theta[u] - theta[v]
    c = K * expit(d) * expit(-d)
    L = np.zeros((n, n))
    np.add.at(L, (u, v), -c)
    np.add.at(L, (v, u), -c)
    L[np.diag_indices(n)] = np.bincount(u, c, n) + np.bincount(v, c, n)
    try:
        if prior > 0:
            dvec = prior * expit(theta) * expit(-theta)
            ncomp, lab = csgraph.connected_components(
                sp.csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n)), directed=False)
            B = np.zeros((n, ncomp))
            B[np.arange(n), lab] = 1.0 / np.sqrt(np.bincount(lab, minlength=ncomp))[lab]
            V = np.linalg.qr(B, mode="complete")[0]  # first ncomp columns span B's range
            Bv, Q = V[:, :ncomp], V[:, ncomp:]
            A = np.diag(Bv.T @ (dvec[:, None] * Bv)) if ncomp else np.zeros(0)  # B^T D B is diagonal
            if not np.all(A > 0):
                raise LinAlgError("the prior's curvature underflows on a component")
            DB = Q.T @ (dvec[:, None] * Bv)  # Q^T D B
            S = Q.T @ L @ Q + Q.T @ (dvec[:, None] * Q) - (DB / A) @ DB.T
            Sinv = cho_solve(cho_factor(S, lower=True), np.eye(n - ncomp)) if n > ncomp else np.zeros((0, 0))
            X = DB / A  # S^-1 blocks: [[A^-1 + X^T Sinv X, -X^T Sinv], [-Sinv X, Sinv]]
            T = Sinv @ X
            Hinv = np.block([[np.diag(1.0 / A) + X.T @ T, -T.T], [-T, Sinv]])
            PV = V - V.mean(axis=0)  # P V
            dd = np.einsum("ij,jk,ik->i", PV, Hinv, PV)
        else:
            # (H + t J/n)^-1 = H^+ + J/(t n) for a connected Fisher Laplacian H; with t the largest diagonal
            # entry the grounding is on the scale of H (the former t = 1 gave a condition number ~ the counts,
            # and the subtraction of 1/n then cancelled: stderr wrong from counts ~1e6 on). diag(P M P) =
            # diag(H^+) removes the J/(t n) part without forming P M P: M_ii - 2 mean_j M_ij + mean(M).
            t = float(np.max(np.diag(L))) if n else 1.0
            t = t if t > 0 else 1.0
            M = cho_solve(cho_factor(L + t / n, lower=True), np.eye(n))
            dd = np.diag(M) - 2.0 * M.mean(axis=1) + M.mean()
    except LinAlgError as exc:
        raise PrecisionError("fit_bradley_terry: the Fisher information at the fit is singular in float64 "
                             f"({exc}): curvatures underflow (scores hundreds apart, or a prior_strength far "
                             "below the counts); pass stderr='none'") from None
    return np.sqrt(np.clip(dd, 0.0, None))




_NB: list = []  # the compiled kernels' module once loaded ([] before the first try, [None] when absent)


def numba_kernels(required: bool = False):
    """The module of compiled kernels, or ``None`` when numba is absent (``required``: raise
    :class:`~aligntheory.errors.MissingDependencyError` naming the ``fast`` extra instead).

    Without ``required``, a numba that is installed but cannot be used (a broken install, no
    writable cache directory) gives ``None`` too, with a ``RuntimeWarning`` saying why: the numpy
    route then serves."""
    if required or not _NB:
        try:
            _bt_numba = importlib.import_module("aligntheory.numerics._bt_numba")
        except MissingDependencyError:
            if required:
                raise
            _bt_numba = None
        except Exception as exc:
            if required:
                raise
            warnings.warn(f"fit_bradley_terry: numba is installed but unusable ({type(exc).__name__}: {exc}); "
                          "using the numpy route", RuntimeWarning, stacklevel=3)
            _bt_numba = None
        _NB[:] = [_bt_numba]
    return _NB[0]


def _c(x, dtype):
    """C-contiguous, writeable ``dtype`` array (a copy only when needed): the one array type the
    compiled kernels are specialised for, so that no input compiles them again."""
    x = np.ascontiguousarray(x, dtype=dtype)
    return x if x.flags.writeable else x.copy()


def strongly_connected(kernels, n, edges, wins, K) -> bool:
    """The compiled existence check (:func:`._bt_numba.strongly_connected`) on contiguous arrays."""
    return bool(kernels.strongly_connected(n, _c(edges, np.int64), _c(wins, np.float64), _c(K, np.float64)))


class _NumbaWork(_Work):
    """:class:`_Work` whose Newman sums and log-likelihood are single compiled passes over the pairs
    (:mod:`._bt_numba`); the sparse operators of the numpy route are built only if Newton needs them."""

    def __init__(self, n, edges, w, K, prior, kernels):
        super().__init__(n, edges, w, K, prior)
        self.nb = kernels
        self.edges = _c(edges, np.int64)
        self.wc = _c(w, np.float64)
        self.Kc = _c(K, np.float64)

    def _centre(self, theta):
        """Midpoint of the range of ``theta``, or ``None`` when the range is too wide (or not finite)
        for the exponential form (the numpy ``tanh`` route then serves)."""
        lo, hi = float(theta.min()), float(theta.max())
        return 0.5 * (lo + hi) if hi - lo <= self.nb.SPAN_MAX else None

    def newman_sums(self, theta):
        c = self._centre(theta)
        if c is None:
            return super().newman_sums(theta)
        A, B = self.nb.newman_sums(_c(theta, np.float64), self.edges, self.wc, self.Kc, c)
        if self.prior > 0:
            A += 0.5 * self.prior * _log_sigmoid_and_p(-theta)[1]
            B += 0.5 * self.prior * _log_sigmoid_and_p(theta)[1]
        return A, B

    def loglik_at(self, theta):
        c = self._centre(theta)
        if c is None:
            return super().loglik_at(theta)
        return float(self.nb.loglik(_c(theta, np.float64), self.edges, self.wc, self.Kc, c))


NUMBA_MIN_ROWS = 20_000
"""``accelerator="auto"`` uses the compiled kernels from this many comparison rows on (below it
the numpy route is as fast and numba is not even imported)."""


def kernels_for(accelerator: str, rows: int):
    """Compiled kernels to use, or ``None`` for the numpy route (``accelerator`` already checked)."""
    if accelerator == "numpy":
        return None
    if accelerator == "numba":
        return numba_kernels(required=True)
    return numba_kernels() if rows >= NUMBA_MIN_ROWS else None


def aggregate_compiled(kernels, n: int, arr: np.ndarray, wt: np.ndarray | None):
    """``(edges, wins, K)`` by the compiled counting sort, or ``None`` when ``arr`` is not an
    integer ``(m, 2)`` array of valid rows (the numpy route then reports what is wrong)."""
    if arr.dtype.kind not in "iu" or arr.ndim != 2 or arr.shape[1] != 2 or len(arr) == 0:
        return None
    c = _c(arr, np.int64)
    has_wt = wt is not None
    bad, edges, wins, K = kernels.aggregate(c, n, _c(wt, np.float64) if has_wt
                                            else np.zeros(0), has_wt)
    if bad >= 0:
        return None
    if has_wt:
        keep = K > 0
        if not keep.all():
            return edges[keep], wins[keep], K[keep]
    return edges, wins, K
