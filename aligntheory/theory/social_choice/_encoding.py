"""SAT encodings of Arrow's base case (A2) and the representative results R1--R3 (spec ``social_choice.md`` §3.2--3.3, §4.4).

Arrow's theorem and its base case are standard [M] (Arrow 1951; Tang & Lin 2009; Geist & Endriss
2011); R1--R3 are our reconstruction [R] of the representative impossibilities reported [S] for Qiu
(arXiv 2410.23953) -- reconstruction; the full text was not available to us. Counting, decoding and
brute-force re-verification of models live in ``_counting``; the LPs in ``_lp``.

Encoding. A *block* is one sample (a set of pairs for representative SWFs, the voter set for an
Arrovian SWF) with ``s`` voters; its profiles are :math:`\\mathcal L(C)^s` in lexicographic order
(voter 0 most significant). Two encodings share every clause generator:

* ``"full"`` -- one variable per (block, profile, ordered alternative pair) :math:`x_{p,ab}`; clauses
  for asymmetry, completeness and transitivity; axioms add Pareto units, IIA chain equalities
  within groups of profiles that agree on :math:`\\{a,b\\}`, AAC, PA, non-dictatorship and forced
  privilege arcs. This is the encoding whose sizes the spec quotes (A2: 216 variables, 678 clauses).
* ``"quotient"`` -- sound only when (S)IIA is imposed: IIA makes :math:`x_{p,ab}` a function of the
  restriction key :math:`(\\mathbf 1[a \\succ_{p_i} b])_i`, so one variable per (block, unordered pair,
  key) replaces each IIA group, and transitivity depends only on each voter's order of
  :math:`\\{a,b,c\\}` (:math:`6^s` rows per triple instead of :math:`(m!)^s`). Both encodings give the
  same models (a test checks the counts agree).

Clauses are built with numpy array operations (no per-clause Python). Every builder checks the size
of the full encoding, :math:`\\sum_{\\text{blocks}} (m!)^{s}\\, m(m-1)`, against its ``max_variables``
cap in logarithms *before* any work, so an absurd size (``n_voters = 10**12``) is refused at once.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.results import provenance
from aligntheory.theory.social_choice._caps import check_cap_value, check_log_size, log2_factorial

__all__ = [
    "SIZE_CAP",
    "SatInstance",
    "arrow_instance",
    "representative_instance",
    "positional_instance",
]

SIZE_CAP = 5_000_000
"""Cap on :math:`\\sum_{\\text{blocks}} (m!)^{s} \\cdot m(m-1)`, the number of variables of the full encoding.

Instances above it raise :class:`~aligntheory.errors.SizeCapError` (spec §4.4). Arrow with
:math:`n = 4, m = 4` (3,981,312) is the largest base case below the cap; :math:`n = 3, m = 5` (34,560,000)
is refused.
"""

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


@provenance("M", source="geist2011automated", where="SAT encodings of axioms")
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
    seconds : float, default 0.0
        Encoding time.

    Examples
    --------
    >>> inst = arrow_instance(2, 3, encoding="full")
    >>> inst.kind, inst.encoding, inst.n_variables
    ('arrow', 'full', 216)
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


def _check_single(argument: str, m: int, s: int, cap: Any) -> None:
    """Cap on the full encoding of one block of ``s`` voters: :math:`(m!)^s m(m-1)` variables."""
    cap = check_cap_value("max_variables", cap)
    log2 = s * log2_factorial(m) + math.log2(m * (m - 1))
    check_log_size(argument, log2, lambda: math.factorial(m) ** s * m * (m - 1), cap=cap, unit="variables")


def _check_all_samples(m: int, k: int, cap: Any) -> None:
    """Cap for one block per nonempty sample of ``k`` pairs: :math:`m(m-1)((1+m!)^k - 1)` variables."""
    cap = check_cap_value("max_variables", cap)
    log2 = k * math.log2(1.0 + math.exp(math.lgamma(m + 1))) if m < 150 else k * (log2_factorial(m) + 1.0)
    log2 += math.log2(m * (m - 1))
    check_log_size("n_pairs", log2, lambda: m * (m - 1) * ((1 + math.factorial(m)) ** k - 1), cap=cap,
                   unit="variables")


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


@provenance("M", source="tang2009computer", where="SAT encoding of Arrow's base case; Geist & Endriss 2011")
def arrow_instance(n_voters: int, n_alternatives: int, *, pareto: bool = True, iia: bool = True,
                   non_dictatorship: bool = False, encoding: str = "auto",
                   max_variables: int = SIZE_CAP) -> SatInstance:
    """CNF whose models are the SWFs :math:`\\mathcal L(C)^n \\to \\mathcal L(C)` with the chosen axioms [M] (§3.2, §4.4).

    Arrow (1951): for :math:`n \\ge 2, m \\ge 3`, weak Pareto + IIA leave only the :math:`n` dictatorships;
    Tang & Lin (2009) and Geist & Endriss (2011) check the base case by SAT, as here.

    Parameters
    ----------
    n_voters : int
        :math:`n \\ge 1`.
    n_alternatives : int
        :math:`m \\ge 2`.
    pareto : bool, default True
        Impose weak Pareto.
    iia : bool, default True
        Impose IIA.
    non_dictatorship : bool, default False
        Impose non-dictatorship.
    encoding : {"auto", "full", "quotient"}
        ``"auto"`` is ``"quotient"`` under IIA, else ``"full"``.
    max_variables : int, default 5_000_000
        Cap on the full-encoding size :math:`(m!)^n m(m-1)` (:data:`SIZE_CAP`), checked before any work.

    Returns
    -------
    SatInstance

    Raises
    ------
    SizeCapError
        When :math:`(m!)^n m(m-1)` exceeds ``max_variables``.
    InvalidInputError
        Bad sizes, an unknown encoding, or ``"quotient"`` without IIA.

    Notes
    -----
    With ``encoding="full"`` the sizes are those quoted by the spec (A2: :math:`n=2, m=3` gives 216
    variables and 678 clauses). Time and memory are linear in the number of clauses.

    Examples
    --------
    >>> inst = arrow_instance(2, 3, encoding="full")
    >>> inst.n_variables, inst.n_clauses
    (216, 678)
    """
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, iia)
    _check_single("n_voters", m, n, max_variables)
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


@provenance("R", source="qiu2024representative", where="R3 (anonymity); our reconstruction")
def positional_instance(n_positions: int, n_alternatives: int, *, encoding: str = "auto",
                        max_variables: int = SIZE_CAP) -> SatInstance:
    """CNF for R3: a position-indexed mechanism with PA, weak Pareto and IIA [R] (§3.3 R3).

    Our reconstruction; the full text of Qiu (arXiv 2410.23953) was not available to us.

    Parameters
    ----------
    n_positions : int
        Sample size :math:`N \\ge 1` (positions, no identities).
    n_alternatives : int
        :math:`m \\ge 2`.
    encoding : {"auto", "full", "quotient"}
    max_variables : int, default 5_000_000
        Cap on :math:`(m!)^N m(m-1)` (:data:`SIZE_CAP`), checked before any work.

    Returns
    -------
    SatInstance

    Raises
    ------
    SizeCapError
        When the full encoding would exceed ``max_variables``.

    Notes
    -----
    PA is imposed through adjacent transpositions (generators of :math:`S_N`).

    Examples
    --------
    >>> from aligntheory.theory.social_choice import count_models
    >>> count_models(positional_instance(2, 3)).satisfiable
    False
    """
    n = V.check_int("n_positions", n_positions, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, True)
    _check_single("n_positions", m, n, max_variables)
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
    from aligntheory.theory.social_choice._representative import check_tournament

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


@provenance("R", source="qiu2024representative", where="R1, R2 (privilege graphs); our reconstruction")
def representative_instance(n_pairs: int, n_alternatives: int = 3, *, sp: bool = True, siia: bool = True,
                            aac: bool = False, privilege_graph: Any = None,
                            encoding: str = "auto", max_variables: int = SIZE_CAP) -> SatInstance:
    """CNF whose models are the representative SWFs on :math:`k_X` pairs with SP, SIIA (and AAC) [R] (§2.4, §3.3).

    Our reconstruction; the full text of Qiu (arXiv 2410.23953) was not available to us.

    Parameters
    ----------
    n_pairs : int
        :math:`k_X \\ge 1`; one block per nonempty sample :math:`S \\subseteq X`.
    n_alternatives : int, default 3
        :math:`m \\ge 2`.
    sp : bool, default True
        Impose SP (§2.4).
    siia : bool, default True
        Impose SIIA (§2.4).
    aac : bool, default False
        Impose AAC (§2.4).
    privilege_graph : networkx.DiGraph or iterable of arcs, optional
        A tournament on ``range(n_pairs)``; forces :math:`x` to dictate :math:`\\{x, y\\}` for every arc
        :math:`x \\to y`.
    encoding : {"auto", "full", "quotient"}
    max_variables : int, default 5_000_000
        Cap on the full-encoding size :math:`m(m-1)((1+m!)^{k_X}-1)` (:data:`SIZE_CAP`),
        checked before any sample is enumerated.

    Returns
    -------
    SatInstance

    Raises
    ------
    SizeCapError
        When the full encoding would exceed ``max_variables``.
    InvalidOrderError
        ``privilege_graph`` is not a tournament (``offending`` lists self-loops, missing and double arcs).

    Notes
    -----
    :math:`2^{k_X}-1` blocks; time and memory linear in the number of clauses.

    Examples
    --------
    >>> inst = representative_instance(3, 3, encoding="full")
    >>> inst.n_variables, inst.n_clauses
    (2052, 6378)
    """
    k = V.check_int("n_pairs", n_pairs, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    enc = _encoding(encoding, siia)
    _check_all_samples(m, k, max_variables)
    samples = [S for r in range(1, k + 1) for S in itertools.combinations(range(k), r)]
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
