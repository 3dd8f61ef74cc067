"""Guard-condition claim (issue 11, round 10): every condition of every hand-written raising guard of
:mod:`aligntheory.theory.ibn` decides a row of its own (MC/DC).

* ``ibn.guard_conditions_theory``.

A guard ``if A or B or C: raise`` gets one refused row where ONLY ``A`` holds, one where only ``B`` holds, one
where only ``C`` holds, and an accepted row where none holds; a guard ``if A and B: raise`` gets the refused row
with both and accepted rows with each alone; a comparison gets a row exactly at its edge and one step past it
(the smallest float step, or the next integer). Where two guards of one function refuse with the same argument
the row also pins a documented detail of the message (``match=``). Accepted rows check their result against an
independent one-line value (series law, a closed form evaluated with mpmath, a direct count) where that is
cheap. The table is fixed in advance from the docstrings (never read from the source); every row is numpy /
scipy / sympy work (no JAX program is compiled).
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence, quiet
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim
from aligntheory.proofs_check.ibn._boundary_claims import _down, _up

_SRC = Source(key="qiu2024reward", where="failure contract, docs/DESIGN.md §7 (guard conditions)")
_IIE = InvalidInputError
_EPS = 2.0**-52
_E3 = [[0, 1], [1, 2]]  # the path 0 - 1 - 2 of the docstring examples
_TRI = [[0, 1], [1, 2], [0, 2]]



_quiet = quiet  # proofs_check._helpers


def _C(label, call, refuse=None, match=None):
    return ContractCase(label, _quiet(call), refuse, match)


def _eq(got, want, *, rtol=0.0):
    """Assert ``got == want`` (elementwise, to ``rtol``) and return ``got`` -- an accepted row's result check."""
    g = np.asarray(got, dtype=np.float64)
    w = np.asarray(want, dtype=np.float64)
    if g.shape != w.shape or not np.allclose(g, w, rtol=rtol, atol=0.0):
        raise AssertionError(f"got {g.tolist()!r}, expected {w.tolist()!r}")
    return got


def _tiny_positive(x):
    """Assert ``0 < x < 1e-15`` (a budget M ln M / 2 at M = 1 + 2^-52) and return it."""
    if not 0.0 < x < 1e-15:
        raise AssertionError(f"got {x!r}, expected a positive budget below 1e-15")
    return x


def _rows_resistance() -> list[ContractCase]:
    import aligntheory.theory.ibn as T

    R = T.effective_resistance
    P02 = [[0, 2]]
    return [
        # edge_weights: at most max_positional positional weights; not both positional and keyword; not both kinds
        _C("effective_resistance: variances and pairs positionally accepted (2 <= max), series 1 + 2",
           lambda: _eq(R(3, _E3, [1.0, 2.0], P02), [3.0])),
        _C("effective_resistance: 3 positional arguments refused", lambda: R(3, _E3, [1.0, 2.0], P02, 7),
           (TypeError, None), "3 extra positional"),
        _C("laplacian: 2 positional arguments refused (max 1)", lambda: T.laplacian(3, _E3, [1.0, 2.0], 5),
           (TypeError, None), "2 extra positional"),
        _C("effective_resistance: positional weights with variances= refused",
           lambda: R(3, _E3, [1.0, 1.0], variances=[1.0, 1.0]), (_IIE, "variances"), "both positionally"),
        _C("effective_resistance: positional weights with conductances= refused",
           lambda: R(3, _E3, [1.0, 1.0], conductances=[1.0, 1.0]), (_IIE, "variances"), "both positionally"),
        _C("effective_resistance: variances= and conductances= refused",
           lambda: R(3, _E3, variances=[1.0, 1.0], conductances=[1.0, 1.0]), (_IIE, "variances, conductances")),
        _C("effective_resistance: conductances (1, 0.5) accepted, series 1 + 2",
           lambda: _eq(R(3, _E3, conductances=[1.0, 0.5], pairs=P02), [3.0])),
        # graph_input: graph/matrix forms take no edges/weights; weight/invert_weight only for graphs; n_nodes form
        _C("effective_resistance: a graph with edges refused (edges alone)",
           lambda: R(_nx_path(), [[0, 1]], weight="weight"), (_IIE, "edges, variances"), "omitted"),
        _C("effective_resistance: a graph with variances= refused (weights alone)",
           lambda: R(_nx_path(), variances=[1.0, 1.0], weight="weight"), (_IIE, "edges, variances"), "omitted"),
        _C("effective_resistance: networkx path a-b-c with weight='weight' accepted, 2",
           lambda: _eq(R(_nx_path(), weight="weight", pairs=[("a", "c")]), [2.0])),
        _C("effective_resistance: arrays with weight='weight' refused (weight alone)",
           lambda: R(3, _E3, variances=[1.0, 1.0], weight="weight"), (_IIE, "weight, invert_weight")),
        _C("effective_resistance: arrays with invert_weight=False refused (invert_weight alone)",
           lambda: R(3, _E3, variances=[1.0, 1.0], invert_weight=False), (_IIE, "weight, invert_weight")),
        _C("effective_resistance: integer n_nodes without edges refused (edges alone missing)",
           lambda: R(3, variances=[1.0, 1.0]), (_IIE, "edges, variances"), "required"),
        _C("effective_resistance: integer n_nodes without weights refused (weights alone missing)",
           lambda: R(3, _E3), (_IIE, "edges, variances"), "required"),
        # as_variances: conductances finite >= 0; variances > 0 (inf = no edge)
        _C("effective_resistance: conductance -1 refused (negative alone)",
           lambda: R(3, _E3, conductances=[-1.0, 1.0]), (_IIE, "conductances"), "finite and >= 0"),
        _C("effective_resistance: conductance inf refused (infinite alone)",
           lambda: R(3, _E3, conductances=[np.inf, 1.0]), (_IIE, "conductances"), "finite and >= 0"),
        _C("effective_resistance: conductance 0 accepted (no edge): triangle minus 0-2 is the path, 2",
           lambda: _eq(R(3, _TRI, conductances=[1.0, 1.0, 0.0], pairs=P02), [2.0])),
        _C("effective_resistance: variance -1 refused", lambda: R(3, _E3, variances=[-1.0, 1.0]), (_IIE, "variances"),
           "> 0"),
        _C("effective_resistance: variance -inf refused", lambda: R(3, _E3, variances=[-np.inf, 1.0]),
           (_IIE, "variances"), "> 0"),
        _C("effective_resistance: variance 0 refused (contract the edge)", lambda: R(3, _E3, variances=[0.0, 1.0]),
           (_IIE, "variances"), "contract"),
        _C("effective_resistance: variance inf accepted (no edge): triangle minus 0-2 is the path, 2",
           lambda: _eq(R(3, _TRI, variances=[1.0, 1.0, np.inf], pairs=P02), [2.0])),
        _C("effective_resistance: variance 5e-324 accepted, 1 + 5e-324 = 1",
           lambda: _eq(R(3, _E3, variances=[5e-324, 1.0], pairs=P02), [1.0])),
        # check_range: binary exponents span at most 2000
        _C("effective_resistance: exponent span exactly 2000 accepted (5e-324 and 2^926)",
           lambda: _eq(R(3, _E3, variances=[5e-324, 2.0**926], pairs=P02), [2.0**926], rtol=1e-14)),
        _C("effective_resistance: exponent span 2001 refused (5e-324 and 2^927)",
           lambda: R(3, _E3, variances=[5e-324, 2.0**927], pairs=P02), (PrecisionError, None), "2^2000"),
        # label_pairs: a sequence of pairs
        _C("effective_resistance: pairs as a string refused", lambda: R(_nx_path(), weight="weight", pairs="ac"),
           (_IIE, "pairs"), "sequence"),
        _C("effective_resistance: pairs as a number refused", lambda: R(_nx_path(), weight="weight", pairs=5),
           (_IIE, "pairs"), "sequence"),
        # the reference routes refuse a condition number above 1e8
        _C("effective_resistance: pinv on unit path accepted, 2", lambda: _eq(R(3, _E3, variances=[1.0, 1.0],
                                                                                pairs=P02, method="pinv"), [2.0],
                                                                              rtol=1e-13)),
        _C("effective_resistance: pinv with variances 1e-8, 1e8 refused (condition ~1e16)",
           lambda: R(3, _E3, variances=[1e-8, 1e8], pairs=P02, method="pinv"), (PrecisionError, None), "pinv"),
        _C("effective_resistance: cholesky on unit path accepted, 2",
           lambda: _eq(R(3, _E3, variances=[1.0, 1.0], pairs=P02, method="cholesky"), [2.0], rtol=1e-13)),
        _C("effective_resistance: cholesky full matrix on the unit triangle accepted, 2/3 off the diagonal",
           lambda: _eq(R(3, _TRI, variances=[1.0, 1.0, 1.0], method="cholesky"),
                       (np.ones((3, 3)) - np.eye(3)) * (2.0 / 3.0), rtol=1e-13)),
        _C("effective_resistance: cholesky with variances 1e-8, 1e8 refused (condition ~1e16)",
           lambda: R(3, _E3, variances=[1e-8, 1e8], pairs=P02, method="cholesky"), (PrecisionError, None),
           "cholesky"),
        _C("effective_resistance: sparse CG on the unit path accepted, 2",
           lambda: _eq(R(3, _E3, variances=[1.0, 1.0], pairs=P02, method="sparse"), [2.0], rtol=1e-10)),
    ]


def _nx_path():
    import networkx as nx

    return nx.Graph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": 1.0})])


def _rows_inputs() -> list[ContractCase]:
    import networkx as nx

    import aligntheory.theory.ibn as T

    A = np.array
    fm = T.from_matrix

    def nxg(c):
        return nx.Graph([(0, 1, {"c": c})])

    return [
        # from_networkx: weight a str or None; at least one node; conductance whose variance leaves float64
        _C("from_networkx: weight 3 refused", lambda: T.from_networkx(nx.path_graph(3), 3), (_IIE, "weight")),
        _C("from_networkx: weight None accepted, unit variances",
           lambda: _eq(T.from_networkx(nx.path_graph(3), None).variances, [1.0, 1.0])),
        _C("from_networkx: the empty graph refused", lambda: T.from_networkx(nx.Graph()), (_IIE, "graph"),
           "at least one node"),
        _C("from_networkx: one node accepted, no edges", lambda: _eq(T.from_networkx(_one_node()).n_nodes, 1)),
        _C("from_networkx: conductance 1e-320 refused (variance overflows)",
           lambda: T.from_networkx(nxg(1e-320), "c", invert_weight=False), (PrecisionError, None), "leaves float64"),
        _C("from_networkx: conductance 1 accepted, variance 1",
           lambda: _eq(T.from_networkx(nxg(1.0), "c", invert_weight=False).variances, [1.0])),
        _C("from_networkx: conductance 1.5e308 accepted, variance 1/c",
           lambda: _eq(T.from_networkx(nxg(1.5e308), "c", invert_weight=False).variances, [1.0 / 1.5e308])),
        # from_matrix: square, N >= 1; finite; symmetric within 4 eps; adjacency >= 0; Laplacian <= 0 off, rows 0
        _C("from_matrix: (2, 3) refused (not square alone)", lambda: fm(np.zeros((2, 3)), "adjacency"),
           (_IIE, "matrix"), "square"),
        _C("from_matrix: (0, 0) refused (N = 0 alone)", lambda: fm(np.zeros((0, 0)), "adjacency"), (_IIE, "matrix"),
           "square"),
        _C("from_matrix: (1, 1) accepted, one node", lambda: _eq(fm(A([[0.0]]), "adjacency")[0], 1)),
        _C("from_matrix: inf entries refused", lambda: fm(A([[0.0, np.inf], [np.inf, 0.0]]), "adjacency"),
           (_IIE, "matrix"), "non-finite"),
        _C("from_matrix: the zero (2, 2) matrix accepted, no edges",
           lambda: _eq(fm(np.zeros((2, 2)), "adjacency")[2], np.zeros(0))),
        _C("from_matrix: asymmetric 1 vs 2 refused", lambda: fm(A([[0.0, 1.0], [2.0, 0.0]]), "adjacency"),
           (_IIE, "matrix"), "symmetric"),
        _C("from_matrix: asymmetry 4 eps accepted (the tolerance)",
           lambda: _eq(fm(A([[0.0, 1.0], [1.0 + 4 * _EPS, 0.0]]), "adjacency")[2], [1.0])),
        _C("from_matrix: asymmetry 5 eps refused", lambda: fm(A([[0.0, 1.0], [1.0 + 5 * _EPS, 0.0]]), "adjacency"),
           (_IIE, "matrix"), "symmetric"),
        _C("from_matrix: adjacency entry -1 refused", lambda: fm(A([[0.0, -1.0], [-1.0, 0.0]]), "adjacency"),
           (_IIE, "matrix"), ">= 0"),
        _C("from_matrix: adjacency 2 accepted, variance 1/2", lambda: _eq(fm(A([[0.0, 2.0], [2.0, 0.0]]),
                                                                            "adjacency")[2], [0.5])),
        _C("from_matrix: adjacency 1/2 accepted, variance 2", lambda: _eq(fm(A([[0.0, 0.5], [0.5, 0.0]]),
                                                                             "adjacency")[2], [2.0])),
        _C("from_matrix: Laplacian row sum exactly 64 eps times its |sum| accepted (1 +- 64 eps)",
           lambda: _eq(fm(A([[1.0 + 64 * _EPS, -(1.0 - 64 * _EPS)], [-(1.0 - 64 * _EPS), 1.0 - 64 * _EPS]]),
                          "laplacian")[2], [1.0 / (1.0 - 64 * _EPS)])),
        _C("from_matrix: Laplacian off-diagonal +1 refused", lambda: fm(A([[-1.0, 1.0], [1.0, -1.0]]), "laplacian"),
           (_IIE, "matrix"), "non-positive"),
        _C("from_matrix: Laplacian [[1, -1], [-1, 1]] accepted, variance 1",
           lambda: _eq(fm(A([[1.0, -1.0], [-1.0, 1.0]]), "laplacian")[2], [1.0])),
        _C("from_matrix: Laplacian row sum 1 refused", lambda: fm(A([[2.0, -1.0], [-1.0, 1.0]]), "laplacian"),
           (_IIE, "matrix"), "zero row sums"),
        _C("from_matrix: Laplacian row sum 128 eps accepted (64 eps times the row's |sum| 2)",
           lambda: _eq(fm(A([[1.0 + 128 * _EPS, -1.0], [-1.0, 1.0]]), "laplacian")[2], [1.0])),
        _C("from_matrix: Laplacian row sum 130 eps refused",
           lambda: fm(A([[1.0 + 130 * _EPS, -1.0], [-1.0, 1.0]]), "laplacian"), (_IIE, "matrix"), "zero row sums"),
        _C("from_matrix: Laplacian row sum -130 eps refused",
           lambda: fm(A([[1.0 - 130 * _EPS, -1.0], [-1.0, 1.0]]), "laplacian"), (_IIE, "matrix"), "zero row sums"),
    ]


def _one_node():
    import networkx as nx

    g = nx.Graph()
    g.add_node("x")
    return g


def _rows_network_universe() -> list[ContractCase]:
    import aligntheory.theory.ibn as T

    IBN = T.IBN
    F = T.StructuralFunction("poly", 1.0, 1.0)
    g = IBN(3, _E3, [1.0, 3.0])
    u0 = [[0, 0], [0, 1], [1, 0]]
    empty = np.zeros((0, 2), dtype=np.int64)

    def ann(resp, pairs):  # 2 (D - common prefix length), written here
        out = []
        for a, b in pairs:
            D, k = len(resp[a]), 0
            while k < D and resp[a][k] == resp[b][k]:
                k += 1
            out.append(2 * (D - k))
        return out

    R3 = [[0, 1, 2], [0, 1, 3], [4, 1, 2]]
    return [
        # IBN: variances >= 0 and not NaN; kind shape and labels; is_response shape and bool; prefix_id
        _C("IBN: variance NaN refused (NaN alone)", lambda: IBN(3, _E3, [np.nan, 1.0]), (_IIE, "variances")),
        _C("IBN: variance -1 refused (negative alone)", lambda: IBN(3, _E3, [-1.0, 1.0]), (_IIE, "variances")),
        _C("IBN: variance 0 accepted (edge)", lambda: _eq(IBN(3, _E3, [0.0, 1.0]).variances, [0.0, 1.0])),
        _C("IBN: kind of length 1 for 2 edges refused (shape alone)", lambda: IBN(3, _E3, [1.0, 1.0], kind=["HP"]),
           (_IIE, "kind")),
        _C("IBN: kind label 'XX' refused (label alone)", lambda: IBN(3, _E3, [1.0, 1.0], kind=["HP", "XX"]),
           (_IIE, "kind")),
        _C("IBN: kind (IB, HP) accepted", lambda: tuple(IBN(3, _E3, [1.0, 1.0], kind=["IB", "HP"]).kind.tolist())),
        _C("IBN: is_response of shape (2,) for 3 nodes refused (shape alone)",
           lambda: IBN(3, _E3, [1.0, 1.0], is_response=[True, False]), (_IIE, "is_response")),
        _C("IBN: integer is_response refused (dtype alone)", lambda: IBN(3, _E3, [1.0, 1.0], is_response=[1, 0, 1]),
           (_IIE, "is_response")),
        _C("IBN: bool is_response accepted",
           lambda: _eq(IBN(3, _E3, [1.0, 1.0], is_response=[True, False, True]).is_response.sum(), 2)),
        _C("IBN: prefix_id of shape (2,) refused (shape alone)", lambda: IBN(3, _E3, [1.0, 1.0], prefix_id=[0, 0]),
           (_IIE, "prefix_id")),
        _C("IBN: float prefix_id refused (dtype alone)", lambda: IBN(3, _E3, [1.0, 1.0], prefix_id=[0.0, 0.0, 0.0]),
           (_IIE, "prefix_id")),
        _C("IBN: prefix_id -2 refused (below -1 alone)", lambda: IBN(3, _E3, [1.0, 1.0], prefix_id=[-2, 0, 0]),
           (_IIE, "prefix_id")),
        _C("IBN: prefix_id 3 of 3 nodes refused (>= n alone)", lambda: IBN(3, _E3, [1.0, 1.0], prefix_id=[0, 0, 3]),
           (_IIE, "prefix_id")),
        _C("IBN: prefix_id (-1, 0, 2) accepted (both edges)",
           lambda: _eq(IBN(3, _E3, [1.0, 1.0], prefix_id=[-1, 0, 2]).prefix_id, [-1, 0, 2])),
        # _node (inference_distance_path / _exact): an integer, not a bool, in [0, n - 1]
        _C("inference_distance_path: u = True refused", lambda: T.inference_distance_path(g, True, 2), (_IIE, "u")),
        _C("inference_distance_path: u = 1.0 refused", lambda: T.inference_distance_path(g, 1.0, 2), (_IIE, "u")),
        _C("inference_distance_path: u = -1 refused", lambda: T.inference_distance_path(g, -1, 2), (_IIE, "u")),
        _C("inference_distance_path: v = 3 of 3 nodes refused", lambda: T.inference_distance_path(g, 0, 3),
           (_IIE, "v")),
        _C("inference_distance_path: (0, 2) accepted, 1 + 3", lambda: _eq(T.inference_distance_path(g, 0, 2), 4.0)),
        _C("inference_distance_exact: (np.int64 2, 0) accepted, 1 + 3",
           lambda: _eq(T.inference_distance_exact(g, np.int64(2), 0), 4.0, rtol=1e-14)),
        # inference_distances: at least one pair
        _C("inference_distances: no pairs refused", lambda: T.inference_distances(g, empty), (_IIE, "pairs"),
           "at least one"),
        _C("inference_distances: one pair accepted, 1 + 3", lambda: _eq(T.inference_distances(g, [[0, 2]]), [4.0],
                                                                         rtol=1e-14)),
        # ibn_from_universe: shape (n_resp >= 1, D >= 1); segments in [0, B - 1]
        _C("ibn_from_universe: 1-d responses refused (ndim alone)",
           lambda: T.ibn_from_universe([0, 1], 2, [1.0], empty, 0.1), (_IIE, "responses"), "shape"),
        _C("ibn_from_universe: (1, 0) responses refused (D = 0 alone)",
           lambda: T.ibn_from_universe(np.zeros((1, 0), np.int64), 2, [], empty, 0.1), (_IIE, "responses"), "shape"),
        _C("ibn_from_universe: (0, 1) responses refused (no response alone)",
           lambda: T.ibn_from_universe(np.zeros((0, 1), np.int64), 2, [1.0], empty, 0.1), (_IIE, "responses"),
           "shape"),
        _C("ibn_from_universe: one response of one segment accepted: root + leaf = 2 nodes",
           lambda: _eq(T.ibn_from_universe([[0]], 2, [1.0], empty, 0.1).n_nodes, 2)),
        _C("ibn_from_universe: segment -1 refused (min alone)",
           lambda: T.ibn_from_universe([[-1], [0]], 2, [1.0], empty, 0.1), (_IIE, "responses"), "segments"),
        _C("ibn_from_universe: segment B = 2 refused (max alone)",
           lambda: T.ibn_from_universe([[0], [2]], 2, [1.0], empty, 0.1), (_IIE, "responses"), "segments"),
        _C("ibn_from_universe: segments 0 and B - 1 = 1 accepted: root + 2 leaves",
           lambda: _eq(T.ibn_from_universe([[0], [1]], 2, [1.0], empty, 0.1).n_nodes, 3)),
        _C("ibn_from_universe: docstring universe accepted, 6 nodes, siblings 2 tau_2^2 = 1 apart",
           lambda: _eq(T.inference_distance_path(T.ibn_from_universe(u0, 2, [1.0, 0.5], [[0, 2]], 0.1), 3, 4), 1.0)),
        # annotation_lengths: shape (n_resp, D >= 1)
        _C("annotation_lengths: 1-d responses refused (ndim alone)", lambda: T.annotation_lengths([0, 1], [[0, 1]]),
           (_IIE, "responses"), "shape"),
        _C("annotation_lengths: (2, 0) responses refused (D = 0 alone)",
           lambda: T.annotation_lengths(np.zeros((2, 0), np.int64), [[0, 1]]), (_IIE, "responses"), "shape"),
        _C("annotation_lengths: docstring example accepted, 2 (D - common prefix)",
           lambda: _eq(T.annotation_lengths(R3, [[0, 1], [0, 2], [1, 1]]), ann(R3, [[0, 1], [0, 2], [1, 1]]))),
        _C("annotation_lengths: D = 1 accepted", lambda: _eq(T.annotation_lengths([[0], [1]], [[0, 1], [1, 1]]),
                                                             [2, 0])),
        # StructuralFunction: F(M) for M >= 1; inverse for 0 < y <= I
        _C("StructuralFunction: F(1) accepted, I", lambda: _eq(F(1.0), 1.0)),
        _C("StructuralFunction: F(1 - 2^-53) refused", lambda: F(_down(1.0)), (_IIE, "M")),
        _C("StructuralFunction: F([4, 0.5]) refused", lambda: F([4.0, 0.5]), (_IIE, "M")),
        _C("StructuralFunction: F(4) accepted, I / 4", lambda: _eq(F(4.0), 0.25)),
        _C("StructuralFunction: inverse(I) accepted, M = 1", lambda: _eq(F.inverse(1.0), 1.0)),
        _C("StructuralFunction: inverse(I + 2^-52) refused", lambda: F.inverse(_up(1.0)), (_IIE, "y")),
        _C("StructuralFunction: inverse(0.01) accepted, 100", lambda: _eq(F.inverse(0.01), 100.0, rtol=1e-14)),
    ]


def _rows_models() -> list[ContractCase]:
    import mpmath as mp
    import sympy as sp

    import aligntheory.theory.ibn as T

    F = T.StructuralFunction("poly", 1.0, 1.0)
    hp = T.hp_edge_var
    mconn = float(T.connectivity_granularity(1e4))

    def ratio(n, h):  # ((W(2n) - gamma)/ln W(2n) + 3/2)/(1 + h) with mpmath, 30 digits
        with mp.workdps(30):
            W = mp.lambertw(2 * n).real
            return float(((W - mp.euler) / mp.log(W) + mp.mpf(3) / 2) / (1 + h))

    def cf(**kw):
        return float(sp.N(T.closed_form_chain_tree_ratio(**kw), 20))

    ssd = T.sample_size_for_distance
    n15 = float(np.exp(np.log(1e15)))  # the chain search's upper end, e^(ln 1e15)
    n100 = float(np.exp(np.log(100.0)))  # and its lower end
    x30 = math.exp(-30.0) / (1.0 + math.exp(-30.0)) ** 2  # p(1-p) at beta * delta_r = 30
    return [
        # hp_edge_var: continuous takes no p/delta_r; binary takes exactly one; informative comparison
        _C("hp_edge_var: continuous with p refused (p alone)", lambda: hp(1.0, feedback="continuous", p=0.5),
           (_IIE, "p, delta_r"), "only used"),
        _C("hp_edge_var: continuous with delta_r refused (delta_r alone)",
           lambda: hp(1.0, feedback="continuous", delta_r=0.0), (_IIE, "p, delta_r"), "only used"),
        _C("hp_edge_var: continuous LS accepted, pi^2 / (3 beta^2)",
           lambda: _eq(hp(2.0, feedback="continuous"), math.pi**2 / 12.0, rtol=1e-15)),
        _C("hp_edge_var: continuous MLE accepted, 3 / beta^2", lambda: _eq(hp(2.0, feedback="continuous",
                                                                              estimator="mle"), 0.75)),
        _C("hp_edge_var: binary with neither p nor delta_r refused", lambda: hp(1.0, feedback="binary"),
           (_IIE, "p, delta_r"), "exactly one"),
        _C("hp_edge_var: binary with both p and delta_r refused", lambda: hp(1.0, feedback="binary", p=0.5, delta_r=0.0),
           (_IIE, "p, delta_r"), "exactly one"),
        _C("hp_edge_var: binary p = 1/2 accepted, 4 / beta^2", lambda: _eq(hp(2.0, feedback="binary", p=0.5), 1.0)),
        _C("hp_edge_var: binary delta_r = 0 accepted, 4 / beta^2",
           lambda: _eq(hp(2.0, feedback="binary", delta_r=0.0), 1.0)),
        _C("hp_edge_var: binary beta delta_r = 30 accepted, 1 / p(1-p)",
           lambda: _eq(hp(1.0, feedback="binary", delta_r=30.0), 1.0 / x30, rtol=1e-12)),
        _C("hp_edge_var: beta delta_r = 1000 refused (p(1-p) underflows)",
           lambda: hp(1.0, feedback="binary", delta_r=1000.0), (_IIE, "delta_r"), "uninformative"),
        _C("hp_edge_var: p = 2^-1074 refused as an overflow (p(1-p) > 0)",
           lambda: hp(1.0, feedback="binary", p=5e-324), (PrecisionError, None), "overflows"),
        _C("hp_edge_var: beta 1e154 accepted, 3 / beta^2 above the smallest normal",
           lambda: _eq(hp(1e154, feedback="continuous", estimator="mle"), 3.0 / 1e154 / 1e154, rtol=1e-14)),
        _C("hp_edge_var: beta 1e155 refused (3 / beta^2 below the smallest normal)",
           lambda: hp(1e155, feedback="continuous", estimator="mle"), (PrecisionError, None), "underflows"),
        _C("hp_edge_var: beta 2^512, p = 1/2 accepted, 4 / beta^2 = the smallest normal exactly",
           lambda: _eq(hp(2.0**512, feedback="binary", p=0.5), 2.0**-1022)),
        _C("hp_edge_var: beta one step above 2^512, p = 1/2 refused (underflow)",
           lambda: hp(_up(2.0**512), feedback="binary", p=0.5), (PrecisionError, None), "underflows"),
        _C("hp_edge_var: p = 1 refused by the open interval", lambda: hp(1.0, feedback="binary", p=1.0), (_IIE, "p"),
           "open interval"),
        # sample_size_for_distance: tree eps > s2 h_T and target < I; chain eps between cost(1e15) and cost(100)
        _C("sample_size_for_distance: tree eps = s2 h_T refused", lambda: ssd(0.5, F, 0.25, "tree", h_T=2.0),
           (_IIE, "eps"), "s2 * h_T"),
        _C("sample_size_for_distance: tree eps = 0.506, s2 = 1/4, h_T = 2 accepted, M = 500, n = 250 ln 500",
           lambda: _eq(float(ssd(0.506, F, 0.25, "tree", h_T=2.0)), 250.0 * math.log(500.0), rtol=1e-12)),
        _C("sample_size_for_distance: tree eps = F(1) = 1 at h_T = 0 refused (one cluster)",
           lambda: ssd(1.0, F, 0.0, "tree", h_T=0.0), (_IIE, "eps"), "one cluster"),
        _C("sample_size_for_distance: tree eps = 1 - 2^-53 at h_T = 0 accepted, n = M ln M / 2 with M = 1/eps",
           lambda: _tiny_positive(float(ssd(_down(1.0), F, 0.0, "tree", h_T=0.0)))),
        _C("sample_size_for_distance: chain eps = cost(n = 100) refused (reached at n = 100)",
           lambda: ssd(T.optimal_M(n100, F, 0.0).cost, F, 0.0, "chain"), (_IIE, "eps"), "n = 100"),
        _C("sample_size_for_distance: chain eps = 10 refused (reached at n = 100)",
           lambda: ssd(10.0, F, 0.0, "chain"), (_IIE, "eps"), "n = 100"),
        _C("sample_size_for_distance: chain eps = cost(n = 1e15) accepted (edge), n = 1e15",
           lambda: _eq(float(ssd(T.optimal_M(n15, F, 0.0).cost, F, 0.0, "chain")), n15, rtol=1e-12)),
        _C("sample_size_for_distance: chain eps = 1e-13 refused (not reached by 1e15)",
           lambda: ssd(1e-13, F, 0.0, "chain"), (_IIE, "eps"), "not reached"),
        _C("sample_size_for_distance: chain eps = 0.05 accepted, optimal_M(n).cost = eps",
           lambda: _eq(T.optimal_M(float(ssd(0.05, F, 0.0, "chain")), F, 0.0).cost, 0.05, rtol=1e-9)),
        # chain_cost: M in [2, M_conn(n)] (relative slack 1e-12)
        _C("chain_cost: M = M_conn(1e4) (1 + 1e-12) accepted (the slack's edge)",
           lambda: T.chain_cost(mconn * (1 + 1e-12), 1e4, F, 0.0)),
        _C("chain_cost: M = 2 accepted", lambda: T.chain_cost(2.0, 1e4, F, 0.0)),
        _C("chain_cost: M = 2 - 2^-52 refused", lambda: T.chain_cost(_down(2.0), 1e4, F, 0.0), (_IIE, "M")),
        _C("chain_cost: M = M_conn(1e4) accepted", lambda: T.chain_cost(mconn, 1e4, F, 0.0)),
        _C("chain_cost: M = M_conn(1e4) (1 + 1e-11) refused", lambda: T.chain_cost(mconn * (1 + 1e-11), 1e4, F, 0.0),
           (_IIE, "M")),
        _C("chain_cost: n = 100 accepted (the asymptotic range's edge)", lambda: T.chain_cost(2.0, 100.0, F, 0.0)),
        _C("chain_cost: n = 100 - 2^-46 refused", lambda: T.chain_cost(2.0, _down(100.0), F, 0.0),
           (_IIE, "n_comparisons")),
        # closed_form_chain_tree_ratio / closed_form_connectivity_granularity: n > 0 real finite; h_T >= 0
        _C("closed_form_chain_tree_ratio: n = 1e4, h_T = 0 accepted (edge), the mpmath value",
           lambda: _eq(cf(n_comparisons=10**4, h_T=0), ratio(10**4, 0), rtol=1e-13)),
        _C("closed_form_chain_tree_ratio: n = 1 accepted, the mpmath value",
           lambda: _eq(cf(n_comparisons=1, h_T=0), ratio(1, 0), rtol=1e-13)),
        _C("closed_form_chain_tree_ratio: n = 0 refused", lambda: T.closed_form_chain_tree_ratio(n_comparisons=0),
           (_IIE, "n_comparisons")),
        _C("closed_form_chain_tree_ratio: n = I refused (not real)",
           lambda: T.closed_form_chain_tree_ratio(n_comparisons=sp.I), (_IIE, "n_comparisons")),
        _C("closed_form_chain_tree_ratio: n = oo refused", lambda: T.closed_form_chain_tree_ratio(n_comparisons=sp.oo),
           (_IIE, "n_comparisons")),
        _C("closed_form_chain_tree_ratio: h_T = -1/10 refused",
           lambda: T.closed_form_chain_tree_ratio(h_T=sp.Rational(-1, 10)), (_IIE, "h_T")),
        _C("closed_form_chain_tree_ratio: h_T = I refused", lambda: T.closed_form_chain_tree_ratio(h_T=sp.I),
           (_IIE, "h_T")),
        _C("closed_form_chain_tree_ratio: h_T = oo refused", lambda: T.closed_form_chain_tree_ratio(h_T=sp.oo),
           (_IIE, "h_T")),
        _C("closed_form_connectivity_granularity: n = 0 refused",
           lambda: T.closed_form_connectivity_granularity(0), (_IIE, "n_comparisons")),
        _C("closed_form_connectivity_granularity: n = I refused",
           lambda: T.closed_form_connectivity_granularity(sp.I), (_IIE, "n_comparisons")),
        _C("closed_form_connectivity_granularity: n = 1/2 accepted, 1 / W(1)",
           lambda: _eq(float(sp.N(T.closed_form_connectivity_granularity(sp.Rational(1, 2)), 20)),
                       float(1 / mp.lambertw(1).real), rtol=1e-14)),
        # n_for_granularity: M > 1
        _C("n_for_granularity: M = 1 refused", lambda: T.n_for_granularity(1.0), (_IIE, "M")),
        _C("n_for_granularity: M = 4 accepted, 2 ln 4", lambda: _eq(T.n_for_granularity(4.0), 2 * math.log(4.0),
                                                                    rtol=1e-15)),
        _C("n_for_granularity: M = 1 + 2^-52 accepted", lambda: T.n_for_granularity(_up(1.0))),
        # er_hops_fronczak: n_nodes >= 20; 1 < mean_degree < n_nodes
        _C("er_hops_fronczak: n_nodes 20 accepted", lambda: T.er_hops_fronczak(20.0, 3.0)),
        _C("er_hops_fronczak: n_nodes 20 - 2^-48 refused", lambda: T.er_hops_fronczak(_down(20.0), 3.0),
           (_IIE, "n_nodes")),
        _C("er_hops_fronczak: mean_degree 1 refused", lambda: T.er_hops_fronczak(50.0, 1.0), (_IIE, "mean_degree")),
        _C("er_hops_fronczak: mean_degree 1 + 2^-52 accepted", lambda: T.er_hops_fronczak(50.0, _up(1.0))),
        _C("er_hops_fronczak: mean_degree = n_nodes refused", lambda: T.er_hops_fronczak(50.0, 50.0),
           (_IIE, "mean_degree")),
        _C("er_hops_fronczak: mean_degree just below n_nodes accepted", lambda: T.er_hops_fronczak(50.0, _down(50.0))),
        # closed_form_reff: finite real; integer N, k; c > 0; N >= 2 (3 for cycle/star); k in [0, top]
        _C("closed_form_reff: c = oo refused", lambda: T.closed_form_reff("path", c=sp.oo), (_IIE, "c"),
           "finite real"),
        _C("closed_form_reff: c = I refused (not real alone)", lambda: T.closed_form_reff("path", c=sp.I), (_IIE, "c"),
           "finite real"),
        _C("closed_form_reff: c = 0 refused", lambda: T.closed_form_reff("path", c=0), (_IIE, "c"), "> 0"),
        _C("closed_form_reff: path c = 5/2, k = 1 accepted (c not an integer), 2/5",
           lambda: _eq(float(T.closed_form_reff("path", c=2.5, k=1)), 0.4)),
        _C("closed_form_reff: N = 7/2 refused (not an integer)", lambda: T.closed_form_reff("path", N=sp.Rational(7, 2)),
           (_IIE, "N"), "integer"),
        _C("closed_form_reff: complete N = 1 refused", lambda: T.closed_form_reff("complete", N=1), (_IIE, "N"),
           ">= 2"),
        _C("closed_form_reff: complete N = 0 refused as < 2 (not as <= 0)",
           lambda: T.closed_form_reff("complete", N=0), (_IIE, "N"), ">= 2"),
        _C("closed_form_reff: complete N = 2, c = 1 accepted (edge), 2/(Nc) = 1",
           lambda: _eq(float(T.closed_form_reff("complete", N=2, c=1)), 1.0)),
        _C("closed_form_reff: cycle N = 2 refused", lambda: T.closed_form_reff("cycle", N=2), (_IIE, "N"), ">= 3"),
        _C("closed_form_reff: cycle N = 4, k = 1, c = 1 accepted, k(N-k)/(Nc) = 3/4",
           lambda: _eq(float(T.closed_form_reff("cycle", N=4, c=1, k=1)), 0.75)),
        _C("closed_form_reff: cycle N = 4, k = 4 accepted (k = N edge), 0",
           lambda: _eq(float(T.closed_form_reff("cycle", N=4, c=1, k=4)), 0.0)),
        _C("closed_form_reff: cycle N = 4, k = 5 refused", lambda: T.closed_form_reff("cycle", N=4, k=5), (_IIE, "k")),
        _C("closed_form_reff: path N = 4, k = 3, c = 2 accepted (k = N - 1 edge), 3/2",
           lambda: _eq(float(T.closed_form_reff("path", N=4, c=2, k=3)), 1.5)),
        _C("closed_form_reff: path N = 4, k = 4 refused", lambda: T.closed_form_reff("path", N=4, k=4), (_IIE, "k")),
        _C("closed_form_reff: k = -1 refused", lambda: T.closed_form_reff("path", k=-1), (_IIE, "k"), ">= 0"),
        _C("closed_form_reff: path k = 0, c = 1 accepted (edge), 0",
           lambda: _eq(float(T.closed_form_reff("path", c=1, k=0)), 0.0)),
    ]


@claim(
    id="ibn.guard_conditions_theory",
    statement="Every condition of each hand-written raising guard of aligntheory.theory.ibn (edge-weight keywords, "
    "graph/matrix/array forms, variances and conductances, the exponent-span check, the reference routes' "
    "condition limit, from_networkx, from_matrix, IBN's fields, node ids, ibn_from_universe, annotation_lengths, "
    "StructuralFunction, hp_edge_var, chain_cost, the closed forms, n_for_granularity, er_hops_fronczak) decides "
    "a row alone: refused with the named error and argument (and the documented message) when only it holds, "
    "accepted -- with the result equal to an independent value -- when none holds, and each comparison pinned "
    "at its edge and one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side; accepted results equal (rtol <= 1e-10) to a direct value",
    rice={"R"},
    stage="backward:governance",
)
def check_guard_conditions_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (docstrings) and, for accepted rows, a value computed here (series
    law, closed forms with mpmath, direct counts).

    Measured: the call. Tolerance: exact sides; accepted values to rtol 1e-15..1e-10 (a few roundings, or the
    CG tolerance of method='sparse').
    """
    return contract_evidence(_rows_resistance() + _rows_inputs() + _rows_network_universe() + _rows_models())
