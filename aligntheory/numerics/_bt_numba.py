"""Compiled edge loops of :func:`aligntheory.numerics.fit_bradley_terry` (private; optional numba).

Imported only through :func:`load`, which raises :class:`~aligntheory.errors.MissingDependencyError`
naming the ``fast`` extra when numba is absent; the numpy route of :mod:`._bt_fit` is then used.
Every kernel is compiled once per machine (``cache=True``) and is serial: its sums run in the
order of the pairs, so the same input gives bit-identical output run to run.

Kernels:

* :func:`aggregate` -- two stable counting sorts of the rows (by the larger id, then by the
  smaller id; :math:`O(m + N)`) replace the :math:`O(m\\log m)` sort of the pair keys; the pairs
  come out sorted by ``(u, v)`` and the weights are summed in input order, as in the numpy route;
* :func:`strongly_connected` -- the beats graph is strongly connected iff a search from item 0
  along the arcs and one against them both reach every item (Ford 1957's existence condition);
* :func:`newman_sums` -- Newman's sums :math:`A, B` (the gradient is :math:`A - B`) in ONE pass
  over the pairs: with :math:`\\pi_i = e^{\\theta_i - c}` (``N`` exponentials per call),
  :math:`\\sigma(\\theta_u - \\theta_v) = \\pi_u / (\\pi_u + \\pi_v)` costs one division per pair;
  :math:`c` is the midpoint of the range of :math:`\\theta`, so no :math:`\\pi` over- or
  underflows while the range is below :data:`SPAN_MAX` (beyond it the caller uses the ``tanh``
  form of the numpy route);
* :func:`loglik` -- the log-likelihood in one pass, :math:`\\sum w(\\theta_u-c) + l(\\theta_v-c)
  - K\\log(\\pi_u+\\pi_v)`.
"""

from __future__ import annotations

import numpy as np

from aligntheory._optional import require

numba = require("numba", extra="fast")

__all__: list[str] = []

SPAN_MAX = 1300.0
"""Largest range :math:`\\max\\theta - \\min\\theta` for the exponential form (:math:`e^{\\pm 650}` is finite)."""

_jit = numba.njit(cache=True, nogil=True, boundscheck=False)


@_jit
def _runs(p2, cnt_lo, n, E):
    """Pairs and counts from the rows sorted by ``(lo, hi)`` (values ``2 hi + bit`` in ``lo`` buckets)."""
    edges = np.empty((E, 2), np.int64)
    wins = np.zeros(E)
    K = np.zeros(E)
    e = 0
    for lo in range(n):
        prev = -1
        for k in range(cnt_lo[lo], cnt_lo[lo + 1]):
            x = p2[k]
            hi = x >> 1
            if hi != prev:
                edges[e, 0] = lo
                edges[e, 1] = hi
                prev = hi
                e += 1
            wins[e - 1] += x & 1
            K[e - 1] += 1.0
    return edges, wins, K


@_jit
def _runs_weighted(p2, w2, cnt_lo, n, E):
    """:func:`_runs` with weights (summed in input order: the sorts are stable)."""
    edges = np.empty((E, 2), np.int64)
    wins = np.zeros(E)
    K = np.zeros(E)
    e = 0
    for lo in range(n):
        prev = -1
        for k in range(cnt_lo[lo], cnt_lo[lo + 1]):
            x = p2[k]
            hi = x >> 1
            if hi != prev:
                edges[e, 0] = lo
                edges[e, 1] = hi
                prev = hi
                e += 1
            y = w2[k]
            wins[e - 1] += y * (x & 1)
            K[e - 1] += y
    return edges, wins, K


@_jit
def _sort_rows(c, n, wt, has_wt):
    """``(bad_row, p2, w2, cnt_lo, E)``: the rows ``c`` sorted by ``(lo, hi)`` as packed int32 values
    ``2 hi + (lo won)`` in ``lo`` buckets (``cnt_lo``), their weights, and the number of distinct
    pairs; ``bad_row >= 0``: that row is out of range or a self-comparison (nothing else computed).

    The rows travel as packed values ``2 * id + bit`` (``n < 2**30``), with their weights, so that
    every pass reads its input in order (no gathers)."""
    m = c.shape[0]
    cnt_hi = np.zeros(n + 1, np.int64)
    cnt_lo = np.zeros(n + 1, np.int64)
    for i in range(m):
        a = c[i, 0]
        b = c[i, 1]
        if a < 0 or a >= n or b < 0 or b >= n or a == b:
            return i, np.zeros(0, np.int32), np.zeros(0), cnt_lo, 0
        cnt_lo[min(a, b) + 1] += 1
        cnt_hi[max(a, b) + 1] += 1
    for k in range(n):
        cnt_hi[k + 1] += cnt_hi[k]
        cnt_lo[k + 1] += cnt_lo[k]
    # pass 1: stable counting sort by the larger id; value 2*lo + bit (branch-free)
    p1 = np.empty(m, np.int32)
    w1 = np.empty(m if has_wt else 0)
    pos = cnt_hi[:n].copy()
    for i in range(m):
        a = c[i, 0]
        b = c[i, 1]
        hi = max(a, b)
        j = pos[hi]
        p1[j] = 2 * min(a, b) + (a < b)
        pos[hi] = j + 1
        if has_wt:
            w1[j] = wt[i]
    # pass 2: stable by the smaller id; value 2*hi + bit
    p2 = np.empty(m, np.int32)
    w2 = np.empty(m if has_wt else 0)
    pos = cnt_lo[:n].copy()
    for hi in range(n):
        for k in range(cnt_hi[hi], cnt_hi[hi + 1]):
            x = p1[k]
            lo = x >> 1
            j = pos[lo]
            p2[j] = 2 * hi + (x & 1)
            pos[lo] = j + 1
            if has_wt:
                w2[j] = w1[k]
    # runs of equal hi within each lo bucket: count the pairs, then fill
    E = 0
    for lo in range(n):
        prev = -1
        for k in range(cnt_lo[lo], cnt_lo[lo + 1]):
            hi = p2[k] >> 1
            E += hi != prev
            prev = hi
    return -1, p2, w2, cnt_lo, E


def aggregate(c, n, wt, has_wt):
    """``(bad_row, edges, wins, K)`` of the ``(m, 2)`` int64 rows ``c`` (C-contiguous, writeable);
    ``bad_row >= 0``: that row is out of range or a self-comparison (nothing else is computed).
    The run-length kernel is chosen here, so a first call compiles only the one it needs."""
    bad, p2, w2, cnt_lo, E = _sort_rows(c, n, wt, has_wt)
    if bad >= 0:
        return bad, np.zeros((0, 2), np.int64), np.zeros(0), np.zeros(0)
    if has_wt:
        return (-1, *_runs_weighted(p2, w2, cnt_lo, n, E))
    return (-1, *_runs(p2, cnt_lo, n, E))


@_jit
def _sweeps(n, edges, wins, K):
    """1 / 0: the beats graph is / is not strongly connected; -1: three sweeps did not decide."""
    E = edges.shape[0]
    fw = np.zeros(n, np.bool_)  # reached from 0 along the arcs
    bw = np.zeros(n, np.bool_)  # reaches 0 (reached against the arcs)
    fw[0] = True
    bw[0] = True
    nf = 1
    nb = 1
    for _ in range(3):
        changed = False
        for e in range(E):
            u = edges[e, 0]
            v = edges[e, 1]
            won = wins[e] > 0.0
            lost = K[e] > wins[e]
            # arc u -> v when won, v -> u when lost
            if (won and fw[u] and not fw[v]) or (lost and fw[v] and not fw[u]):
                fw[u] = True
                fw[v] = True
                nf += 1
                changed = True
            if (won and bw[v] and not bw[u]) or (lost and bw[u] and not bw[v]):
                bw[u] = True
                bw[v] = True
                nb += 1
                changed = True
            if nf == n and nb == n:
                return 1
        if not changed:
            return 0
    return -1


def strongly_connected(n, edges, wins, K):
    """Whether the beats graph (arc ``u -> v`` when ``u`` beat ``v``) is strongly connected.

    Reachability from item 0 along the arcs and against them, propagated by sweeps over the pair
    list (sequential reads; on well-connected graphs one sweep reaches every item, and the sweep
    stops there); after three sweeps without reaching every item, :func:`_strongly_connected_bfs`
    decides in :math:`O(N + E)` (compiled only when first needed)."""
    r = _sweeps(n, edges, wins, K)
    return bool(r) if r >= 0 else bool(_strongly_connected_bfs(n, edges, wins, K))


@_jit
def _strongly_connected_bfs(n, edges, wins, K):
    """Strong connectivity of the beats graph by two searches from item 0 (along and against the arcs).

    The pairs are sorted by ``u``: their rows are the out-lists of the ``u`` side as they are;
    only the ``v`` side is transposed (one counting sort, packed ``4 u + arc flags``)."""
    E = edges.shape[0]
    ptr_u = np.zeros(n + 1, np.int64)
    ptr_v = np.zeros(n + 1, np.int64)
    for e in range(E):
        ptr_u[edges[e, 0] + 1] += 1
        ptr_v[edges[e, 1] + 1] += 1
    for k in range(n):
        ptr_u[k + 1] += ptr_u[k]
        ptr_v[k + 1] += ptr_v[k]
    tv = np.empty(E, np.int64)  # per v: 4 u + 2 (arc v -> u) + (arc u -> v)
    pos = ptr_v[:n].copy()
    for e in range(E):
        v = edges[e, 1]
        j = pos[v]
        tv[j] = 4 * edges[e, 0] + 2 * ((K[e] - wins[e]) > 0.0) + (wins[e] > 0.0)
        pos[v] = j + 1
    stack = np.empty(n, np.int64)
    for direction in range(2):  # 0: along the arcs, 1: against them
        seen = np.zeros(n, np.bool_)
        seen[0] = True
        stack[0] = 0
        top = 1
        count = 1
        while top > 0 and count < n:  # stops as soon as every item is reached
            top -= 1
            i = stack[top]
            for e in range(ptr_u[i], ptr_u[i + 1]):  # pairs (i, v): arc i -> v iff wins > 0
                lost = (K[e] - wins[e]) > 0.0
                won = wins[e] > 0.0
                if (won if direction == 0 else lost):
                    k = edges[e, 1]
                    if not seen[k]:
                        seen[k] = True
                        stack[top] = k
                        top += 1
                        count += 1
            for j in range(ptr_v[i], ptr_v[i + 1]):  # pairs (u, i): arc i -> u iff bit 2
                x = tv[j]
                if (x >> (1 - direction)) & 1:
                    k = x >> 2
                    if not seen[k]:
                        seen[k] = True
                        stack[top] = k
                        top += 1
                        count += 1
        if count < n:
            return False
    return True


@_jit
def newman_sums(theta, edges, wins, K, c):
    """Newman's sums ``(A, B)`` at ``theta`` (no prior), one pass over the pairs; ``c`` centres the exponentials."""
    n = theta.shape[0]
    pi = np.empty(n)
    for i in range(n):
        pi[i] = np.exp(theta[i] - c)
    A = np.zeros(n)
    B = np.zeros(n)
    for e in range(edges.shape[0]):
        u = edges[e, 0]
        v = edges[e, 1]
        pu = pi[u]
        pv = pi[v]
        s = 1.0 / (pu + pv)
        w = wins[e]
        a = w * (pv * s)  # w sigma(theta_v - theta_u)
        b = (K[e] - w) * (pu * s)  # l sigma(theta_u - theta_v)
        A[u] += a
        B[v] += a
        A[v] += b
        B[u] += b
    return A, B


@_jit
def loglik(theta, edges, wins, K, c):
    """Log-likelihood of the pair counts at ``theta``, one pass over the pairs:
    :math:`\\sum w\\min(d,0) - l\\max(d,0) - K\\log(1 + r)`, :math:`d=\\theta_u-\\theta_v`,
    :math:`r = e^{-|d|} = \\min(\\pi_u,\\pi_v)/\\max(\\pi_u,\\pi_v)` (a division; no cancellation,
    so the value stays accurate when the pairs are nearly separated); :math:`\\log(1+r)` by its
    series below :math:`r = 10^{-4}`."""
    n = theta.shape[0]
    pi = np.empty(n)
    for i in range(n):
        pi[i] = np.exp(theta[i] - c)
    out = 0.0
    for e in range(edges.shape[0]):
        u = edges[e, 0]
        v = edges[e, 1]
        d = theta[u] - theta[v]
        w = wins[e]
        pu = pi[u]
        pv = pi[v]
        r = pv / pu if pu > pv else pu / pv
        lr = np.log(1.0 + r) if r > 1e-4 else r * (1.0 - r * (0.5 - r * (1.0 / 3.0 - 0.25 * r)))
        out += w * min(d, 0.0) - (K[e] - w) * max(d, 0.0) - K[e] * lr
    return out
