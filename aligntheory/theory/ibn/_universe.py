"""Structural function and the reference universe of spec ``ibn.md`` §2.5 and §2.7 [R].

Our reconstruction: the full text of Qiu et al. (arXiv 2402.10184) was not available to us. The
universe is a complete :math:`B`-ary prefix tree of depth :math:`D` whose leaves are responses and
whose internal nodes are latent; tree edges are inductive-bias (IB) edges with variances
:math:`\\tau_k^2` realising a structural function :math:`F`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import sympy as sp

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.ibn import _graph as G
from aligntheory.theory.ibn._network import IBN

__all__ = ["StructuralFunction", "tau_schedule", "ibn_from_universe", "annotation_lengths", "coverage_distance"]

_Msym = sp.Symbol("M", positive=True)


@provenance("R", source="qiu2024reward", where="§4 structural function [S concept]; families ours, spec ibn.md §2.7")
@dataclass(frozen=True)
class StructuralFunction:
    """Structural function :math:`F(M)`: IB uncertainty left inside :math:`M` clusters [S concept; R].

    ========== =========================================
    regime     :math:`F(M)`
    ========== =========================================
    ``poly``   :math:`I\\,M^{-\\alpha}`
    ``log``    :math:`I\\,(1+\\ln M)^{-\\alpha}`
    ``sublog`` :math:`I\\,(1+\\ln(1+\\ln M))^{-\\alpha}`
    ========== =========================================

    Spec ``ibn.md`` §2.7; the families and the :math:`1+\\ln M` shifts are ours, so that
    :math:`F(1)=I`. Reconstruction; the full text was not available to us.

    Parameters
    ----------
    regime : {"poly", "log", "sublog"}
    I : float
        :math:`F(1) > 0`.
    alpha : float, default 1.0
        Exponent :math:`\\alpha > 0`.

    Raises
    ------
    InvalidInputError
        Unknown ``regime``, ``I <= 0`` or ``alpha <= 0``; :math:`M < 1` at evaluation.
    PrecisionError
        :meth:`inverse` beyond the float64 range.

    Examples
    --------
    >>> F = StructuralFunction("poly", 2.0, 0.5)
    >>> F(4.0)
    1.0
    >>> F.sympy()
    2/sqrt(M)
    """

    regime: Literal["poly", "log", "sublog"]
    I: float
    alpha: float = 1.0

    def __post_init__(self) -> None:
        V.check_choice("regime", self.regime, ("poly", "log", "sublog"))
        object.__setattr__(self, "I", V.check_scalar("I", self.I, positive=True))
        object.__setattr__(self, "alpha", V.check_scalar("alpha", self.alpha, positive=True))

    def __call__(self, M: Any) -> Any:
        """:math:`F(M)` for :math:`M \\ge 1` (scalar or array)."""
        m = V.as_float_array("M", M)
        if np.any(m < 1):
            raise InvalidInputError("M", "must be >= 1 (a number of clusters)", received=float(np.min(m)))
        lm = np.log(m)
        if self.regime == "poly":
            out = self.I * m ** (-self.alpha)
        elif self.regime == "log":
            out = self.I * (1.0 + lm) ** (-self.alpha)
        else:
            out = self.I * (1.0 + np.log1p(lm)) ** (-self.alpha)
        return float(out) if np.ndim(out) == 0 else out

    def _at_log(self, lm: np.ndarray) -> np.ndarray:
        """:math:`F` at :math:`M = e^{\\rm lm}` (no overflow of :math:`M` itself)."""
        if self.regime == "poly":
            return self.I * np.exp(-self.alpha * lm)
        if self.regime == "log":
            return self.I * (1.0 + lm) ** (-self.alpha)
        return self.I * (1.0 + np.log1p(lm)) ** (-self.alpha)

    def log_slope(self, M: Any) -> Any:
        """:math:`d\\ln F/d\\ln M` (used by :func:`optimal_M` to locate the chain optimum).

        Examples
        --------
        >>> StructuralFunction("log", 1.0, 2.0).log_slope(1.0)
        -2.0
        """
        m = V.as_float_array("M", M)
        lm = np.log(m)
        if self.regime == "poly":
            out = -self.alpha * np.ones_like(lm)
        elif self.regime == "log":
            out = -self.alpha / (1.0 + lm)
        else:
            out = -self.alpha / ((1.0 + np.log1p(lm)) * (1.0 + lm))
        return float(out) if np.ndim(out) == 0 else out

    def inverse(self, y: Any) -> float:
        """The :math:`M \\ge 1` with :math:`F(M)=y` for :math:`0<y\\le I` (closed forms).

        Examples
        --------
        >>> StructuralFunction("poly", 1.0, 1.0).inverse(0.01)
        100.0
        """
        t = V.check_scalar("y", y, positive=True)
        if t > self.I:
            raise InvalidInputError("y", f"must be <= F(1) = I = {self.I}", received=t)
        with np.errstate(over="ignore", under="ignore"):
            s = np.power(np.float64(self.I / t), 1.0 / self.alpha)
            out = s if self.regime == "poly" else np.exp(s - 1.0) if self.regime == "log" else np.exp(np.expm1(s - 1.0))
        if not np.isfinite(out):
            from aligntheory.errors import PrecisionError

            raise PrecisionError(f"F^-1({t:g}) overflows float64 ({self.regime} regime, alpha = {self.alpha:g})")
        return float(out)

    def sympy(self, M: Any = None) -> sp.Expr:
        """The family as a sympy expression in the positive symbol ``M`` (or at ``M``)."""
        I = sp.Float(self.I) if self.I != int(self.I) else sp.Integer(int(self.I))
        a = sp.nsimplify(self.alpha) if float(self.alpha).is_integer() or self.alpha in (0.5, 0.25) else sp.Float(self.alpha)
        x = _Msym
        expr = {
            "poly": I * x ** (-a),
            "log": I * (1 + sp.log(x)) ** (-a),
            "sublog": I * (1 + sp.log(1 + sp.log(x))) ** (-a),
        }[self.regime]
        if M is not None:
            expr = expr.subs(x, G.sympy_value("M", M))
        return expr



def _as_F(F: Any) -> StructuralFunction:
    if not isinstance(F, StructuralFunction):
        raise InvalidInputError("F", "must be a StructuralFunction", received=type(F).__name__)
    return F


@provenance("R", source="qiu2024reward", where="reference universe ours, spec ibn.md §2.7")
def tau_schedule(F: StructuralFunction, B: Any, D: Any, *, max_depth: int = 10_000) -> np.ndarray:
    """IB edge variances per level that realise :math:`F` in the reference universe [M given the model].

    .. math:: \\tau_k^2 = \\tfrac12\\big(F(B^{k-1}) - F(B^k)\\big)\\ (k<D), \\qquad
              \\tau_D^2 = \\tfrac12 F(B^{D-1})

    so that :math:`2\\sum_k\\tau_k^2 = F(1) = I` and the prefix-cluster values
    :math:`F(B^m)=2\\sum_{k>m}\\tau_k^2` match the family for :math:`m<D` (spec ``ibn.md`` §2.7).
    The universe is our construction [R]; reconstruction; the full text was not available to us.

    Parameters
    ----------
    F : StructuralFunction
    B : int
        Branching of the universe, >= 2.
    D : int
        Depth, >= 1.
    max_depth : int, default 10_000
        Size cap on ``D``, checked before any work.

    Returns
    -------
    ndarray of float64, shape (D,)

    Raises
    ------
    InvalidInputError
        ``B < 2``, ``D < 1``; :class:`~aligntheory.errors.SizeCapError` for ``D > max_depth``.

    Notes
    -----
    :math:`O(D)`.

    Examples
    --------
    >>> tau_schedule(StructuralFunction("poly", 1.0, 1.0), 2, 3)
    array([0.25 , 0.125, 0.125])
    """
    F = _as_F(F)
    B = V.check_int("B", B, lo=2)
    D = V.check_int("D", D, lo=1)
    V.check_size("D", D, cap=max_depth, unit="levels")
    with np.errstate(under="ignore"):
        vals = F._at_log(np.arange(D) * np.log(float(B)))
    tau = np.empty(D)
    tau[:-1] = 0.5 * (vals[:-1] - vals[1:])
    tau[-1] = 0.5 * vals[-1]
    return tau



@provenance("R", source="qiu2024reward", where="§2.5 tree/chain datasets [S idea]; universe ours, spec ibn.md §2.5")
def ibn_from_universe(responses: Any, B: Any, tau2: Any, hp_pairs: Any, hp_variances: Any, *,
                      ib_sharing: Literal["prefix", "root_only"] = "prefix") -> IBN:
    """Build the IBN of a dataset in the reference universe [R].

    Nodes are the root (the prompt), every distinct prefix of the given responses (latent), and
    the distinct complete responses. A prefix of length :math:`k` hangs from its length
    :math:`k-1` prefix by an IB edge of variance :math:`\\tau_k^2`; every comparison adds an HP
    edge of variance ``hp_variances`` between its two responses. Between leaves with LCA depth
    :math:`h` the IB path variance is :math:`d_{\\rm IB}=2\\sum_{k>h}\\tau_k^2`. Spec ``ibn.md``
    §2.5; reconstruction; the full text was not available to us.

    Node order: root ``0``, then prefixes by depth (within a depth, lexicographic). ``prefix_id``
    holds each node's parent; ``response_node[i]`` is the node of ``responses[i]`` (duplicate
    responses share a node). Evaluation responses that are not compared may be included: they
    join the graph through their latent ancestors (§2.6).

    Parameters
    ----------
    responses : int array, shape (n_resp, D)
        Segments in ``[0, B)``.
    B : int
        Universe branching, >= 2.
    tau2 : float array, shape (D,)
        IB variances per level (see :func:`tau_schedule`), > 0.
    hp_pairs : int array, shape (k, 2)
        Row indices into ``responses`` of the compared pairs.
    hp_variances : float or float array, shape (k,)
        HP variances (> 0).
    ib_sharing : {"prefix", "root_only"}
        How prefixes induce IB edges (a documented switch of the universe, issue 16).
        ``"prefix"`` (default): responses that share a prefix share its latent nodes, so the IB
        distance between leaves with LCA depth :math:`h` is :math:`2\\sum_{k>h}\\tau_k^2`.
        ``"root_only"``: no sharing below the prompt; each distinct response hangs from the root
        by one IB edge of variance :math:`\\sum_k\\tau_k^2` (its own prefix chain in series), so
        every two distinct responses are :math:`2\\sum_k\\tau_k^2 = F(1)` apart through the prior.

    Returns
    -------
    IBN

    Raises
    ------
    InvalidInputError
        Malformed responses (not integer, segments outside ``[0, B)``), non-positive variances.

    Notes
    -----
    :math:`O(D\\,n_{\\rm resp}\\log n_{\\rm resp})`.

    Examples
    --------
    >>> g = ibn_from_universe([[0, 0], [0, 1], [1, 0]], 2, [1.0, 0.5], [[0, 2]], 0.1)
    >>> g.n_nodes, int(g.is_response.sum()), g.response_node.tolist()
    (6, 3, [3, 4, 5])
    >>> from aligntheory.theory.ibn import inference_distance_path
    >>> inference_distance_path(g, 3, 4)   # siblings: 2 * tau_2^2
    1.0
    >>> g0 = ibn_from_universe([[0, 0], [0, 1], [1, 0]], 2, [1.0, 0.5], [[0, 2]], 0.1, ib_sharing="root_only")
    >>> g0.n_nodes, inference_distance_path(g0, 1, 2)   # no shared prefix: 2 * (1.0 + 0.5)
    (4, 3.0)
    """
    B = V.check_int("B", B, lo=2)
    resp = V.as_real_array("responses", responses)
    if resp.ndim != 2 or resp.shape[1] < 1 or resp.shape[0] < 1:
        raise InvalidInputError("responses", "must have shape (n_resp, D) with n_resp, D >= 1",
                                received=f"shape {resp.shape}")
    if resp.dtype.kind not in "iu":
        raise InvalidInputError("responses", "must be an integer array", received=f"dtype {resp.dtype}")
    if resp.min() < 0 or resp.max() >= B:
        raise InvalidInputError("responses", f"segments must lie in [0, {B - 1}]",
                                received=int(resp.min() if resp.min() < 0 else resp.max()))
    n_resp, D = resp.shape
    tau = V.as_float_array("tau2", tau2, shape=(D,), positive=True)
    hp = G.index_array("hp_pairs", hp_pairs, n=n_resp, shape=(None, 2))
    hvr = V.as_real_array("hp_variances", hp_variances)
    hv = V.as_float_array("hp_variances", np.broadcast_to(hvr.astype(float), (len(hp),)) if hvr.ndim == 0 else hvr,
                          shape=(len(hp),), positive=True)
    V.check_choice("ib_sharing", ib_sharing, ("prefix", "root_only"))
    if ib_sharing == "root_only":
        # each distinct response hangs from the root by the series variance of its own prefix chain
        uniq, inv = np.unique(resp, axis=0, return_inverse=True)
        inv = np.asarray(inv).reshape(-1)
        k = len(uniq)
        rn = 1 + inv
        ib_e = np.stack([np.zeros(k, dtype=np.int64), 1 + np.arange(k)], axis=1)
        edges = np.concatenate([ib_e, rn[hp]]) if len(hp) else ib_e
        var = np.concatenate([np.full(k, float(np.sum(tau))), hv])
        kind = np.array(["IB"] * k + ["HP"] * len(hp))
        return IBN(k + 1, edges, var, kind, np.array([False] + [True] * k), np.array([-1] + [0] * k), rn)
    parent_of_row = np.zeros(n_resp, dtype=np.int64)  # node of each row's current prefix (root = 0)
    next_id = 1
    e_list, v_list, parents, is_resp = [], [], [-1], [False]
    for k in range(1, D + 1):
        uniq, inv = np.unique(resp[:, :k], axis=0, return_inverse=True)
        inv = np.asarray(inv).reshape(-1)
        ids = next_id + np.arange(len(uniq))
        first = np.unique(inv, return_index=True)[1]
        par = parent_of_row[first]
        e_list.append(np.stack([par, ids], axis=1))
        v_list.append(np.full(len(uniq), tau[k - 1]))
        parents.extend(par.tolist())
        is_resp.extend([k == D] * len(uniq))
        parent_of_row = ids[inv]
        next_id += len(uniq)
    rn = parent_of_row
    ib_e = np.concatenate(e_list)
    edges = np.concatenate([ib_e, rn[hp]]) if len(hp) else ib_e
    var = np.concatenate([np.concatenate(v_list), hv])
    kind = np.array(["IB"] * len(ib_e) + ["HP"] * len(hp))
    return IBN(next_id, edges, var, kind, np.array(is_resp), np.array(parents, dtype=np.int64), rn)




@provenance("R", source="qiu2024reward", where="§5 annotation length [S]; prefix sharing ours, spec ibn.md §2.5 step 2")
def annotation_lengths(responses: Any, pairs: Any) -> np.ndarray:
    """Segments an annotator reads per comparison when shared prefixes are read once [R].

    .. math:: \\ell(a, b) = |a| + |b| - 2\\,\\mathrm{shared}(a, b)

    with :math:`\\mathrm{shared}(a,b)` the length of the longest common prefix (spec ``ibn.md``
    §2.5, step 2). This is the budget unit in which the paper reports its annotation-length
    savings [S]; "equal budget" between a chain and a tree dataset can mean equal comparisons
    (the default of the simulation claims) or equal total annotation length, which this function
    measures (issue 16 maps both). Reconstruction; the full text was not available to us.

    Parameters
    ----------
    responses : int array, shape (n_resp, D)
        Segments of each response.
    pairs : int array, shape (k, 2)
        Row indices into ``responses`` of the compared pairs.

    Returns
    -------
    ndarray of int64, shape (k,)

    Raises
    ------
    InvalidInputError
        Malformed arrays, row indices out of range.

    Notes
    -----
    :math:`O(kD)`.

    Examples
    --------
    >>> annotation_lengths([[0, 1, 2], [0, 1, 3], [4, 1, 2]], [[0, 1], [0, 2], [1, 1]])
    array([2, 6, 0])
    """
    resp = V.as_real_array("responses", responses)
    if resp.ndim != 2 or resp.shape[1] < 1:
        raise InvalidInputError("responses", "must have shape (n_resp, D) with D >= 1", received=f"shape {resp.shape}")
    if resp.dtype.kind not in "iu":
        raise InvalidInputError("responses", "must be an integer array", received=f"dtype {resp.dtype}")
    p = G.index_array("pairs", pairs, n=len(resp), shape=(None, 2))
    D = resp.shape[1]
    same = resp[p[:, 0]] == resp[p[:, 1]]  # (k, D)
    shared = np.where(same.all(axis=1), D, np.argmin(same, axis=1))  # first mismatch = common-prefix length
    return (2 * D - 2 * shared).astype(np.int64)


@provenance("R", source="qiu2024reward", where="coverage model ours (issue 16); universe spec ibn.md §2.5, §2.7")
def coverage_distance(n_comparisons: Any, F: StructuralFunction, B: Any, D: Any,
                      topology: Literal["chain", "tree"], *, b: Any = 2, d: Any = None) -> float:
    """Coverage model of the mean inference distance of a chain or tree dataset in the reference universe [R].

    .. math:: \\bar d \\approx 2\\sum_{k=1}^{D}\\tau_k^2\\,u_k, \\qquad
              u_k^{\\rm chain} = (1-B^{-k})^{2n}, \\qquad
              u_k^{\\rm tree} = (1-B^{-k})^{T\\,b^{\\min(k,d)}},\\ T = \\lceil n/((b^d-1)/(b-1))\\rceil

    :math:`u_k` is the probability that the depth-:math:`k` prefix of a uniform evaluation response
    is absent from the dataset (a chain puts :math:`2n` independent responses into the universe; a
    tree dataset :math:`T` trees with :math:`b^{\\min(k,d)}` distinct depth-:math:`k` prefixes each).
    An evaluation response climbs its own prefix chain to the deepest covered prefix; the model
    counts that IB variance twice (both ends) and neglects the resistance between covered prefixes
    (a "core" term through HP edges that dominates near saturation, :math:`n \\gtrsim B^D/16`).
    Our corrected model after issue 16 (the mechanism model of spec §3.4 does not describe the
    exact distances); reconstruction, the full text was not available to us.

    Parameters
    ----------
    n_comparisons : int
        Budget :math:`n \\ge 1`.
    F : StructuralFunction
    B, D : int
        Universe branching (>= 2) and depth (>= 1).
    topology : {"chain", "tree"}
    b : int, default 2
        Tree expansion branching, in ``[2, B]``; tree only.
    d : int, optional
        Tree expansion depth, in ``[1, D]`` (default ``max(1, D - 1)``); tree only.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Bad sizes or topology.

    Notes
    -----
    :math:`O(D)`; :math:`u_k` evaluated as :math:`\\exp(m\\,\\mathrm{log1p}(-B^{-k}))`.

    Examples
    --------
    >>> F = StructuralFunction("poly", 1.0, 1.0)
    >>> round(coverage_distance(4096, F, 8, 6, "chain") / coverage_distance(4096, F, 8, 6, "tree", d=5), 3)
    0.144
    """
    n = V.check_int("n_comparisons", n_comparisons, lo=1)
    F = _as_F(F)
    B = V.check_int("B", B, lo=2)
    D = V.check_int("D", D, lo=1)
    V.check_choice("topology", topology, ("chain", "tree"))
    tau = tau_schedule(F, B, D)
    k = np.arange(1, D + 1, dtype=float)
    if topology == "chain":
        m = np.full(D, 2.0 * n)
    else:
        b = V.check_int("b", b, lo=2, hi=B)
        d = V.check_int("d", max(1, D - 1) if d is None else d, lo=1, hi=D)
        per_tree = (b**d - 1) // (b - 1)
        T = -(-n // per_tree)
        m = T * np.power(float(b), np.minimum(k, d))
    u = np.exp(m * np.log1p(-np.power(float(B), -k)))
    return float(2.0 * np.sum(tau * u))

