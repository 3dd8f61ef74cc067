"""Impossibility checkers: one SAT encoder for Arrow (A2) and the representative results R1--R3, and the R4 LP.

Spec ``social_choice.md`` §3.2--3.3, §4.4. Arrow's theorem and its base case are standard [M]
(Arrow 1951; Tang & Lin 2009; Geist & Endriss 2011); R1--R4 are our reconstruction [R] of the
representative impossibilities reported [S] for Qiu (arXiv 2410.23953) -- reconstruction; the full
text was not available to us.

Encoding. A *block* is one sample (a set of pairs for representative SWFs, the voter set for an
Arrovian SWF) with ``s`` voters; its profiles are :math:`\\mathcal L(C)^s` in lexicographic order
(voter 0 most significant). Two encodings share every clause generator:

* ``"full"`` -- one variable per (block, profile, ordered candidate pair) :math:`x_{p,ab}`; clauses
  for asymmetry, completeness and transitivity; axioms add Pareto units, IIA chain equalities
  within groups of profiles that agree on :math:`\\{a,b\\}`, AAC, PA, non-dictatorship and forced
  privilege arcs. This is the encoding whose sizes the spec quotes (A2: 216 variables, 678 clauses).
* ``"quotient"`` -- sound only when (S)IIA is imposed: IIA makes :math:`x_{p,ab}` a function of the
  restriction key :math:`(\\mathbf 1[a \\succ_{p_i} b])_i`, so one variable per (block, unordered pair,
  key) replaces each IIA group, and transitivity depends only on each voter's order of
  :math:`\\{a,b,c\\}` (:math:`6^s` rows per triple instead of :math:`(m!)^s`). This is the symmetry we
  exploit; both encodings give the same models (a test checks the counts agree).

Clauses are built with numpy array operations (no per-clause Python). Models are counted with
blocking clauses on the primary variables (one per IIA group when IIA holds), up to a ``limit``;
reaching it is a result with ``exact=False``. Every returned model is decoded to a table
``(sample, profile) -> order`` and re-verified by brute force in plain Python. UNSAT answers keep
the solver's DRUP proof when the solver supports proof logging (CaDiCaL, Glucose, Lingeling).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, InvalidInputError, SizeCapError

__all__ = [
    "SIZE_CAP",
    "SatInstance",
    "SatCount",
    "arrow_instance",
    "representative_instance",
    "positional_instance",
    "count_models",
    "count_social_welfare_functions",
    "count_representative_swfs",
    "enumerate_iia_rules",
    "max_min_subset_mass",
    "R4Result",
]

SIZE_CAP = 5_000_000
"""Cap on :math:`\\sum_{\\text{blocks}} (m!)^{s} \\cdot m(m-1)`, the number of variables of the full encoding.

Instances above it raise :class:`~aligntheory.errors.SizeCapError` (spec §4.4). Arrow with
:math:`n = 4, m = 4` (3,981,312) is the largest base case below the cap; :math:`n = 3, m = 5` (34,560,000)
is refused.
"""

_PROOF_SOLVERS = ("cadical103", "cadical153", "cadical195", "glucose3", "glucose4", "glucose42", "lingeling")


# ----------------------------------------------------------------------------------------------
# per-(s, m) profile tables


class _Tables:
    """Profiles of ``s`` voters on ``m`` candidates and their pairwise data (cached per (s, m))."""

    _cache: dict[tuple[int, int], _Tables] = {}

    def __init__(self, s: int, m: int):
        self.s, self.m = s, m
        self.perms = np.array(list(itertools.permutations(range(m))), dtype=np.int64).reshape(-1, m)
        f = self.perms.shape[0]
        rank = np.empty_like(self.perms)
        rank[np.arange(f)[:, None], self.perms] = np.arange(m)[None, :]
        self.pref = rank[:, :, None] < rank[:, None, :]  # (f, m, m): order prefers a over b
        self.n_profiles = f**s
        self.digits = np.stack(np.unravel_index(np.arange(self.n_profiles), (f,) * s), axis=1).reshape(-1, s) \
            if s else np.zeros((1, 0), np.int64)
        self.upairs = list(itertools.combinations(range(m), 2))
        self.upid = {p: i for i, p in enumerate(self.upairs)}
        bits = (1 << np.arange(s, dtype=np.int64))
        # keys[p, u] = sum_i [voter i prefers a over b] << i, for u = (a < b)
        pv = self.pref[self.digits]  # (P, s, m, m)
        self.keys = np.stack([(pv[:, :, a, b].astype(np.int64) * bits).sum(axis=1) for a, b in self.upairs], axis=1) \
            if self.upairs else np.zeros((self.n_profiles, 0), np.int64)
        self.allpref = pv.all(axis=1)  # (P, m, m)

    @classmethod
    def get(cls, s: int, m: int) -> _Tables:
        key = (s, m)
        if key not in cls._cache:
            cls._cache[key] = _Tables(s, m)
        return cls._cache[key]


# ----------------------------------------------------------------------------------------------
# instance


@dataclass
class _Block:
    sample: tuple[int, ...]
    s: int
    offset: int


@dataclass
class SatInstance:
    """A CNF for one impossibility question plus what is needed to decode and verify its models.

    Attributes
    ----------
    kind : {"arrow", "representative", "positional"}
    n_alternatives : int
    encoding : {"full", "quotient"}
    axioms : dict
        The axioms imposed (``pareto``, ``iia``, ``aac``, ``pa``, ``non_dictatorship``, ``arcs``).
    n_variables, n_clauses : int
    clauses : list of ndarray
        Clause arrays grouped by length (rows are clauses, DIMACS literals); ``long`` clauses
        (non-dictatorship) are kept as separate 1-d arrays in ``long_clauses``.
    seconds : float
        Encoding time.
    """

    kind: str
    n_alternatives: int
    encoding: str
    axioms: dict
    blocks: list[_Block]
    n_variables: int
    clauses: list[np.ndarray] = field(default_factory=list)
    long_clauses: list[np.ndarray] = field(default_factory=list)
    primary: np.ndarray | None = None
    seconds: float = 0.0

    @property
    def n_clauses(self) -> int:
        return int(sum(c.shape[0] for c in self.clauses) + len(self.long_clauses))

    def block_of(self, sample: tuple[int, ...]) -> _Block:
        return self._index[tuple(sample)]

    def __post_init__(self) -> None:
        self._index = {b.sample: b for b in self.blocks}

    # literal of "a above b" for the profiles ``p`` (int array) of ``block``
    def lit(self, block: _Block, p: np.ndarray, a: int, b: int) -> np.ndarray:
        m = self.n_alternatives
        t = _Tables.get(block.s, m)
        if self.encoding == "full":
            return block.offset + p * (m * (m - 1)) + _pid(m, a, b) + 1
        if a < b:
            return block.offset + t.upid[(a, b)] * (1 << block.s) + t.keys[p, t.upid[(a, b)]] + 1
        return -(block.offset + t.upid[(b, a)] * (1 << block.s) + t.keys[p, t.upid[(b, a)]] + 1)

    def qlit(self, block: _Block, a: int, b: int, key: np.ndarray) -> np.ndarray:
        """Quotient literal of "a above b" for restriction keys (bits: voter i prefers min(a,b) over max)."""
        t = _Tables.get(block.s, self.n_alternatives)
        lo, hi = min(a, b), max(a, b)
        v = block.offset + t.upid[(lo, hi)] * (1 << block.s) + key + 1
        return v if a < b else -v


def _pid(m: int, a: int, b: int) -> int:
    """Index of the ordered pair (a, b), a != b, among the m(m-1) ordered pairs (row-major, diagonal skipped)."""
    return a * (m - 1) + (b if b < a else b - 1)


def _full_size(m: int, sizes: Iterable[int]) -> int:
    return sum(math.factorial(m) ** s * m * (m - 1) for s in sizes)


def _make_blocks(samples: Sequence[tuple[int, ...]], m: int, encoding: str) -> tuple[list[_Block], int]:
    blocks, off = [], 0
    for S in samples:
        s = len(S)
        blocks.append(_Block(tuple(S), s, off))
        if encoding == "full":
            off += math.factorial(m) ** s * m * (m - 1)
        else:
            off += (m * (m - 1) // 2) * (1 << s)
    return blocks, off


def _check_cap(argument: str, m: int, sizes: Iterable[int]) -> None:
    total = _full_size(m, sizes)
    if total > SIZE_CAP:
        raise SizeCapError(argument, f"instance has sum (m!)^s * m(m-1) = {total} full-encoding variables, above "
                           f"the size cap {SIZE_CAP}")


# ----------------------------------------------------------------------------------------------
# clause generators (each appends numpy arrays to ``inst.clauses``)


def _order_clauses(inst: SatInstance, blk: _Block) -> None:
    """Asymmetry, completeness (full encoding) and transitivity (both encodings)."""
    m = inst.n_alternatives
    t = _Tables.get(blk.s, m)
    if inst.encoding == "full":
        p = np.arange(t.n_profiles)
        for a, b in t.upairs:
            xab, xba = inst.lit(blk, p, a, b), inst.lit(blk, p, b, a)
            inst.clauses.append(np.stack([-xab, -xba], axis=1))
            inst.clauses.append(np.stack([xab, xba], axis=1))
        for a, b, c in itertools.permutations(range(m), 3):
            inst.clauses.append(np.stack([-inst.lit(blk, p, a, b), -inst.lit(blk, p, b, c), inst.lit(blk, p, a, c)], 1))
        return
    # quotient: transitivity depends only on each voter's order of {a, b, c}: 6^s rows per triple
    if m < 3:
        return
    tri = np.array(list(itertools.permutations(range(3))), dtype=np.int64)  # orders of (a, b, c) as 0, 1, 2
    rank3 = np.argsort(tri, axis=1)
    combos = np.stack(np.unravel_index(np.arange(6**blk.s), (6,) * blk.s), axis=1).reshape(-1, blk.s)
    bits = 1 << np.arange(blk.s, dtype=np.int64)

    def key(u: int, v: int) -> np.ndarray:  # voter prefers min-labelled of (u, v) over the other, as bits
        lo, hi = (u, v)
        pr = rank3[combos, lo] < rank3[combos, hi]  # (rows, s)
        return (pr.astype(np.int64) * bits).sum(axis=1)

    for a, b, c in itertools.permutations(range(m), 3):
        lab = {a: 0, b: 1, c: 2}

        def ql(x: int, y: int) -> np.ndarray:
            lo, hi = (x, y) if x < y else (y, x)
            return inst.qlit(blk, x, y, key(lab[lo], lab[hi]))

        rows = np.stack([-ql(a, b), -ql(b, c), ql(a, c)], axis=1)
        inst.clauses.append(np.unique(rows, axis=0))


def _pareto_clauses(inst: SatInstance, blk: _Block) -> None:
    m = inst.n_alternatives
    t = _Tables.get(blk.s, m)
    if inst.encoding == "quotient":
        full = (1 << blk.s) - 1
        for a, b in t.upairs:
            inst.clauses.append(np.array([[inst.qlit(blk, a, b, np.int64(full))]], dtype=np.int64))
            inst.clauses.append(np.array([[inst.qlit(blk, b, a, np.int64(0))]], dtype=np.int64))
        return
    for a, b in itertools.permutations(range(m), 2):
        p = np.flatnonzero(t.allpref[:, a, b])
        inst.clauses.append(inst.lit(blk, p, a, b)[:, None])


def _iia_clauses(inst: SatInstance, blk: _Block) -> None:
    """Chain equalities within each group of profiles with the same restriction key (full encoding)."""
    if inst.encoding == "quotient":
        return  # built into the variables
    t = _Tables.get(blk.s, inst.n_alternatives)
    for a, b in t.upairs:
        k = t.keys[:, t.upid[(a, b)]]
        order = np.argsort(k, kind="stable")
        same = k[order][1:] == k[order][:-1]
        p1, p2 = order[:-1][same], order[1:][same]
        x1, x2 = inst.lit(blk, p1, a, b), inst.lit(blk, p2, a, b)
        inst.clauses.append(np.stack([-x1, x2], axis=1))
        inst.clauses.append(np.stack([x1, -x2], axis=1))


def _primary(inst: SatInstance, blk: _Block, iia: bool) -> np.ndarray:
    """Variables that determine the block's output: one per IIA group under IIA, else x_ab (a < b)."""
    t = _Tables.get(blk.s, inst.n_alternatives)
    if inst.encoding == "quotient":
        return np.arange(blk.offset + 1, blk.offset + len(t.upairs) * (1 << blk.s) + 1, dtype=np.int64)
    out = []
    for a, b in t.upairs:
        if iia:
            k = t.keys[:, t.upid[(a, b)]]
            _, first = np.unique(k, return_index=True)
            out.append(inst.lit(blk, first, a, b))
        else:
            out.append(inst.lit(blk, np.arange(t.n_profiles), a, b))
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def _non_dictatorship_clauses(inst: SatInstance, blk: _Block) -> None:
    """For each voter i: some profile and pair on which the output disagrees with voter i."""
    m = inst.n_alternatives
    t = _Tables.get(blk.s, m)
    for i in range(blk.s):
        lits = []
        if inst.encoding == "quotient":
            keys = np.arange(1 << blk.s, dtype=np.int64)
            bit = (keys >> i) & 1
            for a, b in t.upairs:
                lits.append(np.where(bit == 1, -inst.qlit(blk, a, b, keys), inst.qlit(blk, a, b, keys)))
        else:
            vi = t.digits[:, i]
            for a, b in itertools.permutations(range(m), 2):
                p = np.flatnonzero(t.pref[vi, a, b])
                lits.append(-inst.lit(blk, p, a, b))
        inst.long_clauses.append(np.unique(np.concatenate(lits)))


def _pa_clauses(inst: SatInstance, blk: _Block) -> None:
    """Position anonymity: output invariant under swapping adjacent positions (generators of S_N)."""
    m = inst.n_alternatives
    t = _Tables.get(blk.s, m)
    f = t.perms.shape[0]
    for i in range(blk.s - 1):
        if inst.encoding == "quotient":
            keys = np.arange(1 << blk.s, dtype=np.int64)
            bi, bj = (keys >> i) & 1, (keys >> (i + 1)) & 1
            swapped = keys ^ ((bi ^ bj) << i) ^ ((bi ^ bj) << (i + 1))
            for a, b in t.upairs:
                x1, x2 = inst.qlit(blk, a, b, keys), inst.qlit(blk, a, b, swapped)
                keep = x1 != x2
                inst.clauses.append(np.stack([-x1[keep], x2[keep]], axis=1))
            continue
        d = t.digits.copy()
        d[:, [i, i + 1]] = d[:, [i + 1, i]]
        p2 = np.ravel_multi_index(tuple(d.T), (f,) * blk.s)
        p = np.arange(t.n_profiles)
        keep = p != p2
        for a, b in t.upairs:
            x1, x2 = inst.lit(blk, p[keep], a, b), inst.lit(blk, p2[keep], a, b)
            inst.clauses.append(np.stack([-x1, x2], axis=1))


def _aac_clauses(inst: SatInstance, small: _Block, big: _Block, y: int) -> None:
    """AAC: if the new pair y reports Phi_T(p), then Phi_{T+y}(p, y: Phi_T(p)) = Phi_T(p)."""
    m = inst.n_alternatives
    t = _Tables.get(small.s, m)
    f = t.perms.shape[0]
    pos = big.sample.index(y)
    p = np.arange(t.n_profiles)
    for oi, o in enumerate(t.perms.tolist()):
        d = np.insert(t.digits, pos, oi, axis=1)
        p2 = np.ravel_multi_index(tuple(d.T), (f,) * big.s)
        above = [(o[i], o[j]) for i in range(m) for j in range(i + 1, m)]
        hyp = np.stack([-inst.lit(small, p, a, b) for a, b in above], axis=1)
        for a, b in above:
            rows = np.concatenate([hyp, inst.lit(big, p2, a, b)[:, None]], axis=1)
            inst.clauses.append(np.unique(rows, axis=0) if inst.encoding == "quotient" else rows)


def _arc_clauses(inst: SatInstance, blk: _Block, dictator: int) -> None:
    """Force ``dictator`` (a member of the 2-sample) to dictate the block."""
    m = inst.n_alternatives
    t = _Tables.get(blk.s, m)
    i = blk.sample.index(dictator)
    if inst.encoding == "quotient":
        keys = np.arange(1 << blk.s, dtype=np.int64)
        bit = (keys >> i) & 1
        for a, b in t.upairs:
            lit = inst.qlit(blk, a, b, keys)
            inst.clauses.append(np.where(bit == 1, lit, -lit)[:, None])
        return
    vi = t.digits[:, i]
    for a, b in itertools.permutations(range(m), 2):
        p = np.flatnonzero(t.pref[vi, a, b])
        inst.clauses.append(inst.lit(blk, p, a, b)[:, None])


def _finish(inst: SatInstance, iia: bool, t0: float) -> SatInstance:
    inst.primary = np.concatenate([_primary(inst, b, iia) for b in inst.blocks])
    inst.clauses = [c.astype(np.int64) for c in inst.clauses if c.size]
    inst.seconds = time.perf_counter() - t0
    return inst


def _encoding(encoding: str, iia: bool) -> str:
    V.check_choice("encoding", encoding, ("auto", "full", "quotient"))
    if encoding == "auto":
        return "quotient" if iia else "full"
    if encoding == "quotient" and not iia:
        raise InvalidInputError("encoding", "the quotient encoding is sound only when IIA is imposed")
    return encoding


def arrow_instance(n_voters: int, n_alternatives: int, *, pareto: bool = True, iia: bool = True,
                   non_dictatorship: bool = False, encoding: str = "auto") -> SatInstance:
    """CNF whose models are the SWFs :math:`\\mathcal L(C)^n \\to \\mathcal L(C)` with the chosen axioms [M] (§3.2, §4.4).

    With ``encoding="full"`` the sizes are those quoted by the spec (A2: :math:`n=2, m=3` gives 216
    variables and 678 clauses). Refuses instances above :data:`SIZE_CAP` with
    :class:`~aligntheory.errors.SizeCapError`.

    Examples
    --------
    >>> inst = arrow_instance(2, 3, encoding="full")
    >>> inst.n_variables, inst.n_clauses
    (216, 678)
    """
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, iia)
    _check_cap("n_voters", m, [n])
    t0 = time.perf_counter()
    blocks, nv = _make_blocks([tuple(range(n))], m, enc)
    inst = SatInstance("arrow", m, enc, {"pareto": pareto, "iia": iia, "non_dictatorship": non_dictatorship},
                       blocks, nv)
    blk = blocks[0]
    _order_clauses(inst, blk)
    if pareto:
        _pareto_clauses(inst, blk)
    if iia:
        _iia_clauses(inst, blk)
    if non_dictatorship:
        _non_dictatorship_clauses(inst, blk)
    return _finish(inst, iia, t0)


def positional_instance(n_positions: int, n_alternatives: int, *, encoding: str = "auto") -> SatInstance:
    """CNF for R3: a position-indexed mechanism with PA, weak Pareto and IIA [R] (§3.3 R3).

    Examples
    --------
    >>> count_models(positional_instance(2, 3)).satisfiable
    False
    """
    n = V.check_int("n_positions", n_positions, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, True)
    _check_cap("n_positions", m, [n])
    t0 = time.perf_counter()
    blocks, nv = _make_blocks([tuple(range(n))], m, enc)
    inst = SatInstance("positional", m, enc, {"pareto": True, "iia": True, "pa": True}, blocks, nv)
    blk = blocks[0]
    _order_clauses(inst, blk)
    _pareto_clauses(inst, blk)
    _iia_clauses(inst, blk)
    _pa_clauses(inst, blk)
    return _finish(inst, True, t0)


def _arcs_from_graph(graph: Any, k: int) -> list[tuple[int, int]]:
    from aligntheory.theory.social_choice._orders import check_tournament

    if isinstance(graph, nx.DiGraph):
        G = graph
    else:
        G = nx.DiGraph()
        G.add_edges_from(graph)
    G = G.copy()
    G.add_nodes_from(range(k))
    bad = [v for v in G.nodes if not (isinstance(v, (int, np.integer)) and 0 <= v < k)]
    if bad:
        raise InvalidInputError("privilege_graph", f"nodes must be pair ids in [0, {k - 1}]", received=bad)
    check_tournament(G)
    return sorted((int(u), int(v)) for u, v in G.edges)


def representative_instance(n_pairs: int, n_alternatives: int = 3, *, sp: bool = True, siia: bool = True,
                            aac: bool = False, privilege_graph: Any = None,
                            encoding: str = "auto") -> SatInstance:
    """CNF whose models are the representative SWFs on :math:`k_X` pairs with SP, SIIA (and AAC) [R] (§2.4, §3.3).

    One block per nonempty sample :math:`S \\subseteq X`. ``privilege_graph`` (a tournament on
    ``range(n_pairs)`` as a ``networkx.DiGraph`` or an arc list) forces :math:`x` to dictate
    :math:`\\{x, y\\}` for every arc :math:`x \\to y`; a non-tournament raises
    :class:`~aligntheory.errors.InvalidInputError` with constraint ``"tournament"``.

    Examples
    --------
    >>> inst = representative_instance(3, 3, encoding="full")
    >>> inst.n_variables, inst.n_clauses
    (2052, 6378)
    """
    k = V.check_int("n_pairs", n_pairs, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, siia)
    samples = [S for r in range(1, k + 1) for S in itertools.combinations(range(k), r)]
    _check_cap("n_pairs", m, [len(S) for S in samples])
    arcs = _arcs_from_graph(privilege_graph, k) if privilege_graph is not None else []
    t0 = time.perf_counter()
    blocks, nv = _make_blocks(samples, m, enc)
    inst = SatInstance("representative", m, enc, {"sp": sp, "siia": siia, "aac": aac, "arcs": arcs}, blocks, nv)
    for blk in blocks:
        _order_clauses(inst, blk)
        if sp:
            _pareto_clauses(inst, blk)
        if siia:
            _iia_clauses(inst, blk)
    if aac:
        for small in blocks:
            for y in range(k):
                if y not in small.sample:
                    _aac_clauses(inst, small, inst.block_of(tuple(sorted(small.sample + (y,)))), y)
    for x, y in arcs:
        _arc_clauses(inst, inst.block_of(tuple(sorted((x, y)))), x)
    return _finish(inst, siia, t0)


# ----------------------------------------------------------------------------------------------
# decoding and brute-force verification (plain Python)


def _decode(inst: SatInstance, model_set: np.ndarray) -> dict[tuple, dict[tuple, tuple]]:
    """Model -> {sample: {profile: relation as a tuple of (a, b) pairs with a above b}}."""
    m = inst.n_alternatives
    out = {}
    for blk in inst.blocks:
        t = _Tables.get(blk.s, m)
        p = np.arange(t.n_profiles)
        rel = np.zeros((t.n_profiles, m, m), dtype=bool)
        for a, b in itertools.permutations(range(m), 2):
            lit = inst.lit(blk, p, a, b)
            rel[:, a, b] = np.where(lit > 0, model_set[np.abs(lit)], ~model_set[np.abs(lit)])
        orders = [tuple(o) for o in t.perms.tolist()]
        profiles = list(itertools.product(orders, repeat=blk.s))
        out[blk.sample] = {prof: r for prof, r in zip(profiles, rel.tolist())}
    return out


def _verify(inst: SatInstance, table: dict) -> tuple[bool, str]:
    """Check every axiom of ``inst`` on a decoded table by brute force (plain Python loops)."""
    m = inst.n_alternatives
    ax = inst.axioms
    orders_of: dict[tuple, dict[tuple, tuple]] = {}
    for S, rows in table.items():
        od = {}
        for prof, rel in rows.items():
            wins = [sum(1 for b in range(m) if rel[a][b]) for a in range(m)]
            order = tuple(sorted(range(m), key=lambda c: -wins[c]))
            pos = {c: i for i, c in enumerate(order)}
            for a in range(m):
                for b in range(m):
                    if a != b and rel[a][b] != (pos[a] < pos[b]):
                        return False, f"output is not a strict linear order at {S}, {prof}"
                if rel[a][a]:
                    return False, "reflexive output"
            od[prof] = order
        orders_of[S] = od

    def above(o, a, b):
        return o.index(a) < o.index(b)

    pareto = ax.get("pareto", False) or ax.get("sp", False)
    iia = ax.get("iia", False) or ax.get("siia", False)
    for S, od in orders_of.items():
        for prof, out in od.items():
            if pareto:
                for a in range(m):
                    for b in range(m):
                        if a != b and all(above(o, a, b) for o in prof) and not above(out, a, b):
                            return False, f"Pareto fails at {S}, {prof}, {(a, b)}"
        if iia:
            for a in range(m):
                for b in range(a + 1, m):
                    seen = {}
                    for prof, out in od.items():
                        key = tuple(above(o, a, b) for o in prof)
                        if seen.setdefault(key, above(out, a, b)) != above(out, a, b):
                            return False, f"IIA fails at {S}, pair {(a, b)}"
        if ax.get("non_dictatorship"):
            for i in range(len(S)):
                if all(prof[i] == out for prof, out in od.items()):
                    return False, f"voter {i} is a dictator"
        if ax.get("pa"):
            for prof, out in od.items():
                for perm in itertools.permutations(range(len(prof))):
                    if od[tuple(prof[j] for j in perm)] != out:
                        return False, f"PA fails at {prof}"
    if ax.get("aac"):
        for S, od in orders_of.items():
            for y in range(max(max(s) for s in orders_of) + 1):
                if y in S:
                    continue
                S2 = tuple(sorted(S + (y,)))
                pos = S2.index(y)
                for prof, out in od.items():
                    if orders_of[S2][prof[:pos] + (out,) + prof[pos:]] != out:
                        return False, f"AAC fails adding {y} to {S}"
    for x, y in ax.get("arcs", []):
        S = tuple(sorted((x, y)))
        i = S.index(x)
        if any(prof[i] != out for prof, out in orders_of[S].items()):
            return False, f"arc {x}->{y}: {x} does not dictate {S}"
    return True, "all axioms hold"


# ----------------------------------------------------------------------------------------------
# counting


@dataclass(frozen=True)
class SatCount:
    """Result of :func:`count_models`.

    Attributes
    ----------
    count : int
        Number of models found (a lower bound when ``exact`` is False).
    exact : bool
        False when the count stopped at ``limit``.
    satisfiable : bool
    n_variables, n_clauses : int
    verified : bool or None
        Whether every returned model passed the brute-force re-check (None when ``verify=False``).
    models : tuple of dict
        Decoded models: ``{sample: {profile: order}}`` (kept when ``keep_models``).
    proof : tuple of str or None
        The solver's DRUP proof of the final UNSAT answer (when supported and requested).
    solver : str
    encode_seconds, solve_seconds : float
    """

    count: int
    exact: bool
    satisfiable: bool
    n_variables: int
    n_clauses: int
    verified: bool | None
    models: tuple = ()
    proof: tuple[str, ...] | None = None
    solver: str = ""
    encode_seconds: float = 0.0
    solve_seconds: float = 0.0
    encoding: str = ""


def count_models(instance: SatInstance, *, limit: int | None = None, solver: str = "cadical195",
                 keep_proof: bool = True, verify: bool = True, keep_models: bool = False) -> SatCount:
    """Count the models of an instance with blocking clauses on its primary variables [M] (§4.4).

    Parameters
    ----------
    instance : SatInstance
    limit : int, optional
        Stop after this many models; the result then has ``exact=False`` (a lower bound, not an error).
    solver : str
        A python-sat solver name (``from pysat.solvers import Solver``).
    keep_proof : bool
        Ask the solver for a DRUP proof and keep it when the final answer is UNSAT (solvers in
        ``cadical*``, ``glucose*``, ``lingeling``; ignored for others).
    verify : bool
        Re-verify every model by brute force in plain Python; a failure raises ``RuntimeError``.

    Examples
    --------
    >>> res = count_models(arrow_instance(2, 3))
    >>> res.count, res.exact, res.verified
    (2, True, True)
    """
    from pysat.solvers import Solver

    if not isinstance(instance, SatInstance):
        raise InvalidInputError("instance", "must be a SatInstance", received=type(instance).__name__)
    if limit is not None:
        limit = V.check_int("limit", limit, lo=1)
    with_proof = keep_proof and solver in _PROOF_SOLVERS
    t0 = time.perf_counter()
    models, count, verified = [], 0, (True if verify else None)
    try:
        s = Solver(name=solver, with_proof=with_proof)
    except Exception as exc:  # unknown solver name
        raise InvalidInputError("solver", "must be a python-sat solver name", received=solver) from exc
    try:
        for c in instance.clauses:
            s.append_formula(c.tolist())
        for c in instance.long_clauses:
            s.add_clause(c.tolist())
        primary = instance.primary
        exact = True
        while True:
            res = s.solve()
            if res is None:  # pragma: no cover - only with interrupts/limits
                raise ConvergenceError("SAT solver returned no answer")
            if not res:
                break
            model = np.asarray(s.get_model(), dtype=np.int64)
            val = np.zeros(instance.n_variables + 1, dtype=bool)
            val[np.abs(model)] = model > 0
            count += 1
            if verify or keep_models:
                table = _decode(instance, val)
                if verify:
                    ok, why = _verify(instance, table)
                    if not ok:
                        raise RuntimeError(f"SAT model failed brute-force verification: {why}")
                if keep_models:
                    models.append({S: {p: tuple(sorted(range(instance.n_alternatives),
                                                       key=lambda c, r=r: -sum(r[c])))
                                       for p, r in rows.items()} for S, rows in table.items()})
            if limit is not None and count >= limit:
                exact = False
                break
            s.add_clause(np.where(val[primary], -primary, primary).tolist())
        proof = None
        if with_proof and exact:
            proof = tuple(s.get_proof() or ())
    finally:
        s.delete()
    return SatCount(count, exact, count > 0, instance.n_variables, instance.n_clauses, verified, tuple(models),
                    proof, solver, instance.seconds, time.perf_counter() - t0, instance.encoding)


def count_social_welfare_functions(n_voters: int, n_alternatives: int, *, pareto: bool = True, iia: bool = True,
                                   non_dictatorship: bool = False, limit: int | None = None) -> int:
    """Number of SWFs :math:`\\mathcal L(C)^n \\to \\mathcal L(C)` satisfying the chosen axioms [M] (§3.2 A1/A2).

    By Arrow's theorem (Arrow 1951; base case of Tang & Lin 2009) weak Pareto plus IIA leaves
    exactly the :math:`n` dictatorships for :math:`m \\ge 3`, and adding non-dictatorship gives 0. Counted by
    SAT (python-sat, quotient encoding under IIA) with every model re-verified by brute force. With
    ``limit`` the count stops there (then the returned number is a lower bound). Instances above
    :data:`SIZE_CAP` raise :class:`~aligntheory.errors.SizeCapError`.

    Examples
    --------
    >>> count_social_welfare_functions(2, 3)
    2
    >>> count_social_welfare_functions(2, 3, non_dictatorship=True)
    0
    >>> count_social_welfare_functions(1, 3, pareto=False)
    20
    """
    inst = arrow_instance(n_voters, n_alternatives, pareto=pareto, iia=iia, non_dictatorship=non_dictatorship)
    return count_models(inst, limit=limit, keep_proof=False).count


def count_representative_swfs(n_pairs: int, n_alternatives: int = 3, *, aac: bool = False,
                              privilege_graph: Any = None, limit: int | None = None,
                              encoding: str = "auto", keep_proof: bool = True) -> SatCount:
    """Count SP+SIIA(+AAC) representative SWFs on :math:`k_X` pairs [R] (§3.3 R1, R2).

    R1: without AAC the count is :math:`\\prod_{|S|\\ge2}|S|`; R2: with AAC it is :math:`k_X!`, and a
    forced privilege graph leaves 1 model if acyclic, none if cyclic -- reconstruction; the full text
    was not available to us.

    Examples
    --------
    >>> count_representative_swfs(3).count, count_representative_swfs(3, aac=True).count
    (24, 6)
    """
    inst = representative_instance(n_pairs, n_alternatives, aac=aac, privilege_graph=privilege_graph,
                                   encoding=encoding)
    return count_models(inst, limit=limit, keep_proof=keep_proof)


count_representative_swfs.__aligntheory_provenance__ = "R"
positional_instance.__aligntheory_provenance__ = "R"
representative_instance.__aligntheory_provenance__ = "R"


def enumerate_iia_rules(n_voters: int = 2, n_alternatives: int = 3) -> dict[str, int]:
    """Exhaustive enumeration of IIA rules (no SAT) [M] (§3.2 A2).

    An IIA rule is one pairwise rule :math:`\\{0,1\\}^n \\to \\{0,1\\}` per pair of alternatives:
    :math:`(2^{2^n})^{\\binom m2}` rules. Counts those that always return a strict order, and among
    them those satisfying weak Pareto. Capped at :math:`2^{16}` rules.

    Returns
    -------
    dict
        ``{"iia_rules", "transitive", "transitive_pareto"}``.

    Examples
    --------
    >>> enumerate_iia_rules(2, 3)
    {'iia_rules': 4096, 'transitive': 94, 'transitive_pareto': 2}
    """
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    pairs = list(itertools.combinations(range(m), 2))
    per_pair = 2 ** (2**n)
    total = per_pair ** len(pairs)
    if total > 2**16:
        raise SizeCapError("n_voters", f"(2^(2^n))^(m choose 2) = {total} rules exceeds the enumeration cap 65536")
    t = _Tables.get(n, m)
    # rules[r, u, key] = output bit (min(a,b) above max) of rule r on pair u at key
    ridx = np.arange(total)
    digits = np.stack(np.unravel_index(ridx, (per_pair,) * len(pairs)), axis=1)  # (R, U)
    keys = np.arange(2**n)
    bits = (digits[:, :, None] >> keys[None, None, :]) & 1  # (R, U, 2^n)
    out = bits[:, np.arange(len(pairs))[None, :], t.keys]  # (R, P, U)
    rel = np.zeros(out.shape[:2] + (m, m), dtype=bool)
    for u, (a, b) in enumerate(pairs):
        rel[:, :, a, b] = out[:, :, u] == 1
        rel[:, :, b, a] = out[:, :, u] == 0
    trans = ~np.any(rel[..., :, :, None] & rel[..., None, :, :] & ~rel[..., :, None, :], axis=(-3, -2, -1))
    transitive = trans.all(axis=1)
    pareto_ok = np.ones(total, dtype=bool)
    full = 2**n - 1
    for u in range(len(pairs)):
        pareto_ok &= (bits[:, u, full] == 1) & (bits[:, u, 0] == 0)
    return {"iia_rules": int(total), "transitive": int(transitive.sum()),
            "transitive_pareto": int((transitive & pareto_ok).sum())}


# ----------------------------------------------------------------------------------------------
# R4 LP


@dataclass(frozen=True)
class R4Result:
    """Optimum of :math:`\\max_\\nu \\min_{|A|=h}\\nu(A)` over distributions :math:`\\nu` on :math:`k_X` points."""

    value: float
    nu: np.ndarray
    h: int
    n_pairs: int
    status: str


def max_min_subset_mass(n_pairs: int, h: int | None = None, *, solver: str = "HIGHS") -> R4Result:
    """LP for the tightness of R4's averaging step [R] (§3.3 R4).

    .. math:: \\max_{\\nu \\in \\Delta_{k_X}} \\min_{|A| = h} \\nu(A) = \\frac{h}{k_X},
              \\qquad h = \\lfloor k_X/2 \\rfloor + 1 \\text{ by default}

    Solved as ``maximise t`` subject to :math:`\\sum_{x\\in A}\\nu_x \\ge t` for all :math:`\\binom{k_X}{h}`
    subsets (cvxpy with HiGHS). A solver failure raises :class:`~aligntheory.errors.ConvergenceError`.
    Reconstruction; the full text was not available to us.

    Examples
    --------
    >>> round(max_min_subset_mass(5).value, 9)
    0.6
    """
    import cvxpy as cp

    k = V.check_int("n_pairs", n_pairs, lo=1)
    hh = k // 2 + 1 if h is None else V.check_int("h", h, lo=1, hi=k)
    if math.comb(k, hh) > 200_000:
        raise SizeCapError("n_pairs", f"C(k_X, h) = {math.comb(k, hh)} subset constraints exceeds the cap 200000")
    subsets = np.array(list(itertools.combinations(range(k), hh)), dtype=np.int64)
    A = np.zeros((subsets.shape[0], k))
    A[np.arange(subsets.shape[0])[:, None], subsets] = 1.0
    nu, tvar = cp.Variable(k), cp.Variable()
    prob = cp.Problem(cp.Maximize(tvar), [nu >= 0, cp.sum(nu) == 1, A @ nu >= tvar])
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise ConvergenceError(f"max_min_subset_mass: LP solver {solver} failed: {exc}") from exc
    if prob.status not in (cp.OPTIMAL,):
        raise ConvergenceError(f"max_min_subset_mass: LP ended with status {prob.status!r}")
    return R4Result(float(prob.value), np.asarray(nu.value, dtype=np.float64), hh, k, str(prob.status))


max_min_subset_mass.__aligntheory_provenance__ = "R"
