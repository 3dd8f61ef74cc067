"""Batched Newton fits of paired-comparison models with ties (host side, numpy/scipy).

All rounds of a bootstrap (or one point fit, a batch of one) are fitted together: every Newton
iteration evaluates the log-likelihood, gradient and Hessian of every active round as arrays of
shape ``(rounds, pairs)`` and solves the Newton systems with one batched
:func:`numpy.linalg.solve`. Rounds stop individually when their relative gradient
``max|grad| / n_battles`` falls to ``tol``.

Models (``d = s_i - s_j`` for a pair ``i < j`` with ``w_i``, ``w_j`` wins and ``t`` ties):

* ``"bt"``: :math:`w_i\\log\\sigma(d) + w_j\\log\\sigma(-d)` (ties, if any, already folded in as
  half wins);
* ``"davidson"`` (Davidson 1970), parameter :math:`\\eta=\\log\\nu`: a multinomial logit with
  logits :math:`(d/2, -d/2, \\eta)`: :math:`P(i\\succ j) = e^{d/2}/Z`, :math:`P(\\text{tie}) =
  \\nu/Z`, :math:`Z = e^{d/2}+e^{-d/2}+\\nu`;
* ``"rao_kupper"`` (Rao & Kupper 1967), threshold :math:`\\alpha>0`: :math:`P(i\\succ j) =
  \\sigma(d-\\alpha)`, :math:`P(\\text{tie}) = (e^{2\\alpha}-1)\\,\\sigma(d-\\alpha)\\sigma(-d-\\alpha)`.

Each log-likelihood is concave in its parameters (a log-sum-exp of linear functions, or log-sigmoids
of linear functions plus the concave :math:`\\log(e^{2\\alpha}-1)`), so Newton with backtracking
reaches the maximum from any start when it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

__all__: list[str] = []

_MEM_BYTES = 256 * 2**20  # working-set target per chunk of rounds


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def incidence(n: int, i: np.ndarray, j: np.ndarray) -> sp.csr_matrix:
    """``(E, n)`` signed incidence: +1 at ``i``, -1 at ``j``."""
    E = len(i)
    rows = np.concatenate([np.arange(E), np.arange(E)])
    return sp.csr_matrix((np.concatenate([np.ones(E), -np.ones(E)]), (rows, np.concatenate([i, j]))), shape=(E, n))


def _rmul(M: np.ndarray, S: sp.spmatrix) -> np.ndarray:
    """Dense ``(B, E)`` times sparse ``(E, k)``."""
    return np.asarray((S.T @ M.T).T)


@dataclass(frozen=True)
class PairModel:
    """Aggregated pair data of a batch: ``wi``, ``wj``, ``t`` of shape (B, E)."""

    n: int
    i: np.ndarray
    j: np.ndarray
    model: str  # "bt", "davidson", "rao_kupper"
    prior: float

    @property
    def n_extra(self) -> int:
        return 0 if self.model == "bt" else 1


def unit_terms(model: str, d: np.ndarray, extra: np.ndarray | None, wi: np.ndarray, wj: np.ndarray, t: np.ndarray,
               fixed: np.ndarray, *, hess: bool = True):
    """Log-likelihood and derivatives in the logit ``d`` of a batch of weighted units (pairs or battles).

    ``d`` (B, U) is the strength difference of each unit (plus ``x.gamma`` with covariates), ``wi``,
    ``wj``, ``t`` (B, U) the weights of "first wins", "second wins" and "tie", ``extra`` (B,) the tie
    parameter (log nu for Davidson, the threshold for Rao-Kupper; ``None`` for "bt"). Returns
    ``(ll (B,), gd (B, U), gx (B,) | None, cdd (B, U), cdx (B, U) | None, cxx (B,) | None)``: the
    gradient in ``d`` and in the tie parameter and the negative second derivatives (``None`` entries
    when ``hess`` is False, except ``ll``). ``fixed`` rounds (no tie drawn) keep the tie parameter at
    its boundary value: zero gradient, unit curvature, no coupling.
    """
    if model == "bt":
        e = np.exp(-np.abs(d))
        ls_p = np.minimum(d, 0.0) - np.log1p(e)  # log sigma(d)
        ll = np.einsum("be,be->b", wi, ls_p) + np.einsum("be,be->b", wj, ls_p - d)  # log sigma(-d) = ls_p - d
        if not hess:
            return ll, None, None, None, None, None
        p = np.where(d >= 0, 1.0, e) / (1.0 + e)
        nn = wi + wj
        return ll, wi - nn * p, None, nn * p * (1.0 - p), None, None
    if model == "davidson":
        eta_b = np.broadcast_to(extra[:, None], d.shape)
        lse = np.logaddexp(np.logaddexp(d / 2, -d / 2), eta_b)
        nn = wi + wj + t
        with np.errstate(invalid="ignore"):
            tie_term = np.where(t > 0, t * eta_b, 0.0)
        ll = np.einsum("be,be->b", wi - wj, d / 2) + tie_term.sum(1) - np.einsum("be,be->b", nn, lse)
        if not hess:
            return ll, None, None, None, None, None
        pw, pl, pt = np.exp(d / 2 - lse), np.exp(-d / 2 - lse), np.exp(eta_b - lse)
        gd = (wi - wj) / 2 - nn * (pw - pl) / 2
        gx = np.where(fixed, 0.0, (t - nn * pt).sum(1))
        cdd = nn / 4 * (pw + pl - (pw - pl) ** 2)
        cxx = np.where(fixed, 1.0, (nn * pt * (1 - pt)).sum(1))
        cdx = np.where(fixed[:, None], 0.0, -nn * pt * (pw - pl) / 2)
        return ll, gd, gx, cdd, cdx, cxx
    # rao_kupper
    al = extra[:, None]
    A, Bc = wi + t, wj + t
    f1, f2 = log_sigmoid(d - al), log_sigmoid(-d - al)
    with np.errstate(divide="ignore"):
        galpha = np.where(fixed, 0.0, np.log(np.expm1(2 * np.where(fixed, 1.0, extra))))
    ll = np.einsum("be,be->b", A, f1) + np.einsum("be,be->b", Bc, f2) + t.sum(1) * galpha
    if not hess:
        return ll, None, None, None, None, None
    q1, q2 = sigmoid(al - d), sigmoid(al + d)
    v1, v2 = q1 * (1 - q1), q2 * (1 - q2)
    gd = A * q1 - Bc * q2
    a1 = np.where(fixed, 1.0, extra)
    em = -np.expm1(-2 * a1)
    gx = np.where(fixed, 0.0, (-A * q1 - Bc * q2).sum(1) + t.sum(1) * (2.0 / em))
    cdd = A * v1 + Bc * v2
    gsecond = -4.0 * np.exp(-2 * a1) / em**2
    cxx = np.where(fixed, 1.0, cdd.sum(1) - t.sum(1) * gsecond)
    cdx = np.where(fixed[:, None], 0.0, -(A * v1 - Bc * v2))
    return ll, gd, gx, cdd, cdx, cxx


def _prior_terms(prior: float, s: np.ndarray, ll: np.ndarray, g: np.ndarray | None, diag: np.ndarray | None):
    """Add the logistic prior on the strengths (``prior/2 * sum log sigma(s) sigma(-s)``) in place."""
    if prior <= 0:
        return ll
    ls_p, ls_m = log_sigmoid(s), log_sigmoid(-s)
    if g is not None:
        g[:, :s.shape[1]] += prior / 2 * (np.exp(ls_m) - np.exp(ls_p))
    if diag is not None:
        diag += prior * np.exp(ls_p + ls_m)
    return ll + prior / 2 * (ls_p + ls_m).sum(1)


def pair_terms(pm: PairModel, inc: sp.csr_matrix, theta: np.ndarray, wi: np.ndarray, wj: np.ndarray, t: np.ndarray,
               fixed: np.ndarray, *, hess: bool = True):
    """Log-likelihood (B,), gradient (B, P) and negative Hessian (B, P, P) of a batch of rounds."""
    n, i, j = pm.n, pm.i, pm.j
    B = theta.shape[0]
    s = theta[:, :n]
    d = s[:, i] - s[:, j]
    P = n + pm.n_extra
    ll, gd, gx, cdd, cdt, ctt = unit_terms(pm.model, d, theta[:, n] if pm.n_extra else None, wi, wj, t, fixed,
                                           hess=hess)
    if not hess:
        return _prior_terms(pm.prior, s, ll, None, None), None, None
    g = np.zeros((B, P))
    g[:, :n] = _rmul(gd, inc)
    if pm.n_extra:
        g[:, n] = gx
    diag = _rmul(cdd, abs(inc))
    ll = _prior_terms(pm.prior, s, ll, g, diag)
    H = np.zeros((B, P, P))
    H[:, i, j] = -cdd
    H[:, j, i] = -cdd
    idx = np.arange(n)
    H[:, idx, idx] = diag
    if pm.n_extra:
        cross = _rmul(cdt, inc)
        H[:, :n, n] = cross
        H[:, n, :n] = cross
        H[:, n, n] = ctt
    return ll, g, H


@dataclass(frozen=True)
class RowModel:
    """Per-battle rows with covariates: logit ``s_a - s_b + x.gamma``, L2 on gamma, any tie model.

    Parameters are ``(s (n), tie parameter (1 for "davidson"/"rao_kupper", else 0), gamma (k))``; the
    outcome of row r is one-hot in ``(wa, wb, wt)`` (a wins, b wins, tie); under "bt" a tie counts as
    half a win each way.
    """

    n: int
    a: np.ndarray
    b: np.ndarray
    wa: np.ndarray  # (R,) 1 where a won
    wb: np.ndarray
    wt: np.ndarray  # 1 where the battle was a tie
    X: np.ndarray  # (R, k)
    penalty: float
    prior: float
    pair_of_row: np.ndarray  # (R,) index of the unordered pair
    pi: np.ndarray  # (E,) lower model id of each pair
    pj: np.ndarray
    model: str = "bt"  # "bt", "davidson", "rao_kupper"

    @property
    def n_tie(self) -> int:
        return 0 if self.model == "bt" else 1

    @property
    def n_extra(self) -> int:
        return self.n_tie + self.X.shape[1]


def row_terms(rm: RowModel, inc_rows: sp.csr_matrix, pair_map: sp.csr_matrix, theta: np.ndarray, w: np.ndarray,
              fixed: np.ndarray, *, hess: bool = True):
    n, nt, k = rm.n, rm.n_tie, rm.X.shape[1]
    B = theta.shape[0]
    s, gam = theta[:, :n], theta[:, n + nt:]
    # reductions over the rows by einsum, not BLAS: a matrix product's summation order depends on the batch size
    # (gemm against gemv), and the bootstrap's intervals must not depend on its chunking (bit for bit)
    d = s[:, rm.a] - s[:, rm.b] + np.einsum("bk,rk->br", gam, rm.X)
    wi, wj, wt = w * rm.wa, w * rm.wb, w * rm.wt
    if rm.model == "bt":
        wi, wj, wt = wi + wt / 2, wj + wt / 2, np.zeros_like(wt)
    ll, gd, gx, c, cdx, cxx = unit_terms(rm.model, d, theta[:, n] if nt else None, wi, wj, wt, fixed, hess=hess)
    ll = ll - rm.penalty / 2 * (gam**2).sum(1)
    if not hess:
        return _prior_terms(rm.prior, s, ll, None, None), None, None
    P = n + nt + k
    g = np.empty((B, P))
    g[:, :n] = _rmul(gd, inc_rows)
    if nt:
        g[:, n] = gx
    g[:, n + nt:] = np.einsum("br,rk->bk", gd, rm.X) - rm.penalty * gam
    diag = _rmul(c, abs(inc_rows))
    ll = _prior_terms(rm.prior, s, ll, g, diag)
    cp = _rmul(c, pair_map)  # (B, E) summed over rows of each pair
    H = np.zeros((B, P, P))
    H[:, rm.pi, rm.pj] = -cp
    H[:, rm.pj, rm.pi] = -cp
    idx = np.arange(n)
    H[:, idx, idx] = diag
    if nt:
        cross = _rmul(cdx, inc_rows)
        H[:, :n, n] = cross
        H[:, n, :n] = cross
        H[:, n, n] = cxx
        gx_cross = np.einsum("br,rk->bk", cdx, rm.X)  # (B, k)
        H[:, n, n + 1:] = gx_cross
        H[:, n + 1:, n] = gx_cross
    for q in range(k):
        cross = _rmul(c * rm.X[:, q], inc_rows)
        H[:, :n, n + nt + q] = cross
        H[:, n + nt + q, :n] = cross
        for r in range(q, k):
            v = np.einsum("br,r->b", c, rm.X[:, q] * rm.X[:, r])
            H[:, n + nt + q, n + nt + r] = v
            H[:, n + nt + r, n + nt + q] = v
        H[:, n + nt + q, n + nt + q] += rm.penalty
    return ll, g, H


@dataclass(frozen=True)
class NewtonOut:
    theta: np.ndarray  # (B, P)
    relgrad: np.ndarray  # (B,)
    iterations: np.ndarray  # (B,)
    converged: np.ndarray  # (B,)


def newton_batched(terms: Callable, theta0: np.ndarray, n: int, n_total: np.ndarray, *, prior: float,
                   tol: float, maxiter: int, positive_extra: bool = False,
                   fixed: np.ndarray | None = None) -> NewtonOut:
    """Damped Newton for every round of a batch at once.

    ``terms(theta, rows, hess)`` returns ``(ll, grad, neg_hessian)`` for the rounds ``rows``.
    Without a prior the log-likelihood is invariant under shifting the strengths, so the system
    ``(H + u u^T / n) delta = grad`` with ``u = (1_n, 0)`` is solved (``grad`` is orthogonal to
    ``u``), and strengths are re-centred after each step.

    Each iteration of a round: its relative gradient ``max|grad| / max(n_total, 1)``; the round stops when that is
    at most ``tol`` (or not a number) or after ``maxiter`` steps; otherwise the Newton direction ``delta`` is
    taken with a step ``t = 1`` (``positive_extra``: at most the step that halves the first extra parameter,
    rounds marked ``fixed`` excepted), halved up to 50 times while ``ll(theta + t delta) < ll - 1e-13 max(1,
    |ll|)``. ``iterations`` counts the steps taken per round.
    """
    theta = theta0.copy()
    B, P = theta.shape
    fixed = np.zeros(B, bool) if fixed is None else fixed
    iters = np.zeros(B, np.int64)
    relgrad = np.full(B, np.inf)
    active = np.arange(B)
    scale = np.maximum(n_total, 1.0)
    U = np.zeros((P, P))
    if prior == 0:
        U[:n, :n] = 1.0 / n
    for it in range(maxiter + 1):
        if len(active) == 0:
            break
        th = theta[active]
        ll, g, H = terms(th, active, True)
        rg = np.abs(g).max(1) / scale[active]
        relgrad[active] = rg
        cont = rg > tol  # NaN stops the round (reported as not converged)
        if it == maxiter or not cont.any():
            break
        act, th, ll, g, H = active[cont], th[cont], ll[cont], g[cont], H[cont]
        try:
            delta = np.linalg.solve(H + U, g[..., None])[..., 0]
        except np.linalg.LinAlgError:
            delta = np.stack([np.linalg.lstsq(h + U, v, rcond=None)[0] for h, v in zip(H, g)])
        step = np.ones(len(act))
        if positive_extra:
            de = delta[:, n]
            with np.errstate(divide="ignore", invalid="ignore"):
                lim = np.where(de < 0, -0.5 * th[:, n] / de, np.inf)
            step = np.minimum(step, np.where(fixed[act], 1.0, lim))
        new = th + step[:, None] * delta
        ll_new = terms(new, act, False)[0]
        bad = ~(ll_new >= ll - 1e-13 * np.maximum(1.0, np.abs(ll)))
        for _bt in range(50):
            if not bad.any():
                break
            step[bad] *= 0.5
            nb = th[bad] + step[bad, None] * delta[bad]
            new[bad] = nb
            ll_new[bad] = terms(nb, act[bad], False)[0]
            bad = ~(ll_new >= ll - 1e-13 * np.maximum(1.0, np.abs(ll)))
        if prior == 0:
            new[:, :n] -= new[:, :n].mean(1, keepdims=True)
        theta[act] = new
        iters[act] += 1
        active = act
    converged = relgrad <= tol
    return NewtonOut(theta, relgrad, iters, converged)


def rounds_per_chunk(P: int, E: int) -> int:
    per = 8 * (3 * P * P + 12 * E) + 1
    return max(1, int(_MEM_BYTES // per))


# ----------------------------------------------------------------------------------------------
# existence of the maximum-likelihood estimate: strong connectivity of the "beats or ties" graph


def scc(n: int, i: np.ndarray, j: np.ndarray, fw: np.ndarray, bw: np.ndarray) -> tuple[int, np.ndarray]:
    src = np.concatenate([i[fw], j[bw]])
    dst = np.concatenate([j[fw], i[bw]])
    G = sp.coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    return csgraph.connected_components(G, directed=True, connection="strong")


class ExistenceCheck:
    """Decides per bootstrap round whether the MLE exists (beats-or-ties graph strongly connected).

    Exact and cheap: from the point data, the largest count threshold ``k`` such that the arcs of
    count ``>= k`` alone form a strongly connected graph; a round in which all those robust arcs
    are present is strongly connected; the other rounds are checked with ``scipy.sparse.csgraph``.
    """

    def __init__(self, n: int, i: np.ndarray, j: np.ndarray, cf: np.ndarray, cb: np.ndarray):
        self.n, self.i, self.j = n, i, j
        weights = np.unique(np.concatenate([cf[cf > 0], cb[cb > 0]]))
        lo, hi = 0, len(weights) - 1  # weights[0] threshold keeps every arc (connected by assumption)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            k = weights[mid]
            if scc(n, i, j, cf >= k, cb >= k)[0] == 1:
                lo = mid
            else:
                hi = mid - 1
        k = weights[lo] if len(weights) else 0.0
        self.rf, self.rb = np.flatnonzero(cf >= k), np.flatnonzero(cb >= k)

    def from_stats(self, stats: np.ndarray, E: int) -> np.ndarray:
        """Boolean (B,): does the MLE exist in each round? From pair statistics ``(B, 3E)`` (wins of i, wins of j,
        ties), reading only the robust arcs' columns (the full arc counts are formed only for rounds that need the
        exact check with ``scipy.sparse.csgraph``)."""
        t = stats[:, 2 * E:]
        ok = ((stats[:, self.rf] + t[:, self.rf]) > 0).all(1) & ((stats[:, E + self.rb] + t[:, self.rb]) > 0).all(1)
        for r in np.flatnonzero(~ok):
            ok[r] = scc(self.n, self.i, self.j, stats[r, :E] + t[r] > 0, stats[r, E:2 * E] + t[r] > 0)[0] == 1
        return ok


def _poisson_inverse_cdf(rng: np.random.Generator, lam: np.ndarray, size: int) -> np.ndarray | None:
    """``size`` rows of independent Poisson(``lam``) draws by inversion of tabulated CDFs, or None.

    Exact inversion :math:`X = \\min\\{x : F_\\lambda(x) \\ge U\\}` of one uniform per draw, with a
    guide table of :math:`M = 4096` (256 for small draws) buckets per distinct :math:`\\lambda` (Devroye 1986, §III.2.4):
    bootstrap rates are the data's counts, so they take few distinct values and the table is built
    once. :math:`U = \\lfloor b/2^{11}\\rfloor 2^{-53}` from 64 random bits :math:`b` (numpy's own
    conversion); its top 12 bits pick the bucket, and a bucket that no CDF value splits gives the
    answer without looking at the rest (about 99 % of draws); the others walk up the CDF. The CDF
    (``scipy.special.pdtr``) is cut where the upper tail is far below :math:`2^{-53}` (last entry 1).
    Returns None when tabulation does not pay (many distinct or very large rates); the caller then
    uses ``Generator.poisson``.
    """
    from scipy.special import pdtr

    lu, gk = np.unique(lam, return_inverse=True)
    if len(lu) > 512 or lu[-1] > 2000.0 or lu.size * (lu[-1] + 1) > 4e6:
        return None
    width = int(np.ceil(lu[-1] + 15.0 * np.sqrt(lu[-1]) + 60.0)) + 1
    F = pdtr(np.arange(width)[None, :], lu[:, None])
    F[:, -1] = 1.0
    bits = _GUIDE_BITS if size * len(lam) >= 2**20 else 8  # small draws: a small table builds faster
    M = 2**bits
    q = np.arange(M + 1) / M
    lo = np.stack([np.searchsorted(F[g], q[:-1], side="left") for g in range(len(lu))])
    # the bucket [b/M, (b+1)/M) maps to lo alone when F(lo) >= (b+1)/M; else mark it (negative)
    pure = np.take_along_axis(F, lo, 1) >= q[None, 1:]
    table = np.where(pure, lo, -1).astype(np.float64).ravel()
    K = len(lam)
    raw = rng.bit_generator.random_raw((size, K))
    j = (raw >> np.uint64(64 - bits)).view(np.int64)
    j += (gk * M)[None, :]
    X = np.take(table, j)
    amb = np.flatnonzero(X.ravel() < 0)
    if len(amb):
        jr = j.ravel()[amb]
        grp = jr // M
        U = (raw.ravel()[amb] >> np.uint64(11)).astype(np.float64) * 2.0**-53  # numpy's conversion
        x = lo.ravel()[jr]
        flat = grp * width
        need = np.flatnonzero(F.ravel()[flat + x] < U)
        while len(need):
            x[need] += 1
            need = need[F.ravel()[flat[need] + x[need]] < U[need]]
        X.ravel()[amb] = x
    return X


_GUIDE_BITS = 12


def multinomial_rounds(rng: np.random.Generator, n_draws: int, counts: np.ndarray, size: int,
                       corrections: tuple[np.random.Generator, np.random.Generator] | None = None) -> np.ndarray:
    """``size`` exact draws of Multinomial(``n_draws``, ``counts / counts.sum()``), shape (size, K), float64.

    Poissonisation with an exact correction, faster than conditional binomials for many categories:
    draw :math:`X_k \\sim \\text{Poisson}(\\lambda_k)` with :math:`\\lambda = n\\,p` (total :math:`T`); given
    :math:`T`, :math:`X \\sim \\text{Mult}(T, p)`. If :math:`T > n`, remove :math:`T-n` of the :math:`T` drawn units
    uniformly without replacement (a random subsample of an iid sample is iid); if :math:`T < n`, add
    :math:`n-T` units drawn iid from :math:`p`. Either way the result is exactly :math:`\\text{Mult}(n, p)`,
    for every :math:`T`. The Poisson draws invert tabulated CDFs (one uniform each,
    :func:`_poisson_inverse_cdf`) when the rates take few distinct values -- the bootstrap case, where
    :math:`\\lambda_k` are the data's counts. Work per round: :math:`K` draws plus
    :math:`O(\\sqrt n\\log K)`.

    With ``corrections = (add, remove)`` the two corrections draw from their own generators, each in
    round order: the rounds then do not depend on how the caller splits them into calls (``rng``
    yields the Poisson draws row after row, as one call would).
    """
    p = counts / counts.sum()
    lam = counts * (n_draws / counts.sum())  # equal counts give equal rates (few table rows)
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    X = _poisson_inverse_cdf(rng, lam, size)
    if X is None:
        X = rng.poisson(lam, size=(size, len(p))).astype(np.float64)
    K = len(p)
    T = X.sum(1).astype(np.int64)
    short = np.flatnonzero(T < n_draws)  # add n - T iid units to each of these rounds
    if len(short):
        need = n_draws - T[short]
        seg = np.repeat(short * K, need)
        u = (rng if corrections is None else corrections[0]).random(len(seg))
        u = u[np.lexsort((u, seg))]  # sorted within each round (seg is already sorted): cache-friendly search
        cat = np.minimum(np.searchsorted(cdf, u, side="right"), K - 1)
        np.add.at(X.ravel(), seg + cat, 1.0)
    over = np.flatnonzero(T > n_draws)  # remove T - n of the T units, uniformly without replacement
    if len(over):
        C = np.cumsum(X[over].ravel())  # unit positions of all these rounds, one after the other
        first = np.concatenate([[0], np.cumsum(T[over])[:-1]])
        rc = rng if corrections is None else corrections[1]
        pos = np.concatenate([f + rc.choice(t, size=t - n_draws, replace=False)
                              for f, t in zip(first.tolist(), T[over].tolist())])
        pos.sort()  # blocks are increasing already: sorting keeps each unit's round
        owner = np.searchsorted(C, pos, side="right")
        np.add.at(X.ravel(), over[owner // K] * K + owner % K, -1.0)
    return X


def bt_rounds_chord(n: int, i: np.ndarray, j: np.ndarray, wi: np.ndarray, wj: np.ndarray, theta0: np.ndarray,
                    H0: np.ndarray, total: np.ndarray, *, prior: float, tol: float,
                    maxiter: int) -> NewtonOut:
    """Bradley--Terry fits of many bootstrap rounds by the chord method: one factorisation for all.

    Every round ``b`` maximises :math:`\\sum_e w^{(b)}_{ie}\\log\\sigma(d_e) + w^{(b)}_{je}\\log\\sigma(-d_e)`
    from the point estimate ``theta0`` with steps :math:`\\Delta = (H_0 + U)^{-1} g^{(b)}` where
    :math:`H_0` is the negative Hessian *at the point estimate* (``H0``, shape (n, n); one Cholesky
    factorisation for every round and iteration) and :math:`U = J/n` without a prior (the gradient
    is orthogonal to the ones vector). Bootstrap Hessians differ from :math:`H_0` by
    :math:`O(1/\\sqrt{\\text{battles per pair}})`, so the iteration contracts the gradient by that
    factor per step (linear convergence, each step one :math:`O(E)` pass per round and a triangular
    solve). A round stops when ``max|grad| / total <= tol``; a round whose gradient grows, or that
    misses ``tol`` within ``maxiter`` steps, is returned not converged (the caller refits it with
    damped Newton). Arrays are kept pair-major (``(E, B)``) so gathers and the incidence product
    read contiguous rows.
    """
    from scipy.linalg import cho_factor, cho_solve

    B = wi.shape[0]
    # sigma(d) = (1 + tanh(d/2)) / 2, so dl/dd = wi - (wi + wj) sigma(d) = Aw - Hw tanh(d/2)
    # np.array copies: np.ascontiguousarray would return a *view* of wi when wi.T is already C-contiguous
    # (one pair, or one round), and the in-place updates below would then write into wi and alias Aw to Hw
    Hw = np.array(wi.T, order="C")
    Hw += wj.T
    Hw *= 0.5
    Aw = np.array(wi.T, order="C")
    Aw -= Hw
    inc = incidence(n, i, j)  # (E, n)
    incT = inc.T.tocsr()  # (n, E)
    A = H0.copy()
    if prior == 0:
        A += 1.0 / n
    fac = cho_factor(A, lower=True, check_finite=False)
    Th = np.array(np.broadcast_to(theta0[:n, None], (n, B)), order="C")  # a writable copy (updated in place)
    cols = np.arange(B)  # rounds still iterating (columns of Aw, Hw, Th)
    theta = np.repeat(theta0[None, :n], B, 0)
    relgrad = np.full(B, np.inf)
    iters = np.zeros(B, np.int64)
    scale = np.maximum(total, 1.0)
    prev = np.full(B, np.inf)
    failed = np.zeros(B, bool)
    for it in range(maxiter + 1):
        D = inc @ (0.5 * Th)  # (E, B_active): half the strength differences
        np.tanh(D, out=D)
        D *= Hw
        np.subtract(Aw, D, out=D)  # dl/dd per pair and round
        g = incT @ D  # (n, B_active)
        if prior > 0:
            g += prior / 2 * -np.tanh(Th / 2)  # (prior/2) (sigma(-t) - sigma(t))
        rg = np.abs(g).max(0) / scale[cols]
        relgrad[cols] = rg
        done = ~(rg > tol)
        grew = rg > prev[cols]  # the chord step stopped contracting: leave the round to Newton
        stop = done | grew | ~np.isfinite(rg) | (it == maxiter)
        failed[cols[stop & ~done]] = True
        if stop.any():
            theta[cols[stop]] = Th[:, stop].T
            keep = ~stop
            if not keep.any():
                break
            cols, Th, g, rg = cols[keep], Th[:, keep], g[:, keep], rg[keep]
            Aw, Hw = Aw[:, keep], Hw[:, keep]
        prev[cols] = rg
        Th += cho_solve(fac, g, check_finite=False)
        if prior == 0:
            Th -= Th.mean(0)
        iters[cols] += 1
    converged = ~failed & (relgrad <= tol)
    return NewtonOut(theta, relgrad, iters, converged)
