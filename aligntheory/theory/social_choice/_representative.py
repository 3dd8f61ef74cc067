"""Representative SWFs, axioms SP/SIIA/AAC, privilege graphs and tournaments (spec ``social_choice.md`` §2.4, §3.3) [R].

A *representative* SWF is a callable ``phi(sample, profile) -> order`` where ``sample`` is a sorted
tuple of pair ids and ``profile[i]`` is the order reported by ``sample[i]`` (identity-aware, §2.4).
The definitions are our reconstruction of the privilege graphs and privileged orderings reported [S]
for Qiu (arXiv 2410.23953); the full text was not available to us. Checks are exhaustive, with a
``max_profiles`` cap checked in logarithms before any work.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import networkx as nx

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, InvalidOrderError
from aligntheory.results import provenance
from aligntheory.theory.social_choice._caps import check_cap_value, check_log_size, int_sequence, log2_factorial
from aligntheory.theory.social_choice._orders import (
    EXHAUSTIVE_CAP,
    AxiomViolation,
    Order,
    Profile,
    _check_rule,
    _rule_output,
    check_order,
    iia_key,
    prefers,
)

__all__ = [
    "privileged_ordering_mechanism",
    "ReducedSample",
    "reduce_sample",
    "representative_axiom_violation",
    "privilege_graph",
    "check_tournament",
    "is_acyclic",
    "three_cycle",
]


@provenance("R", source="qiu2024representative", where="privileged orderings (R2); our reconstruction")
def privileged_ordering_mechanism(privilege: Sequence[int]) -> Callable[[tuple[int, ...], Profile], Order]:
    """:math:`\\Phi^{\\rhd}_S(p) = p_{\\max_\\rhd S}`: the most privileged sampled pair decides [R] (§2.4, R2).

    Reconstruction; the full text of Qiu (arXiv 2410.23953) was not available to us.

    Parameters
    ----------
    privilege : sequence of int
        The pairs from most to least privileged (a strict linear order :math:`\\rhd` on :math:`X`).

    Returns
    -------
    callable ``phi(sample, profile) -> order``

    Raises
    ------
    InvalidInputError
        ``privilege`` is not a permutation. The returned ``phi`` raises it too (naming ``privilege``)
        on a sample with a pair that ``privilege`` does not rank (for instance when ``n_pairs`` of an
        exhaustive check exceeds ``len(privilege)``, or a sampled pair that is not an integer), (naming
        ``sample`` or ``profile``) when either is not iterable, and (naming ``profile``) when ``profile``
        does not hold one order per sampled pair.

    Examples
    --------
    >>> phi = privileged_ordering_mechanism([2, 0, 1])
    >>> phi((0, 1), ((0, 1, 2), (2, 1, 0)))
    (0, 1, 2)
    """
    order = check_order(privilege, name="privilege")
    rank = {x: r for r, x in enumerate(order)}

    def phi(sample: tuple[int, ...], profile: Profile) -> Order:
        sample, profile = _as_tuple("sample", sample), _as_tuple("profile", profile)
        if not len(sample):
            raise InvalidInputError("sample", "must contain at least one pair", received=tuple(sample))
        if any(not isinstance(x, numbers.Integral) or x not in rank for x in sample):
            raise InvalidInputError("privilege", f"must rank every sampled pair: it orders the pairs "
                                    f"0..{len(order) - 1}, the sample is {tuple(sample)!r}", received=list(order))
        if len(profile) != len(sample):
            raise InvalidInputError("profile", f"must hold one order per sampled pair ({len(sample)})",
                                    received=f"{len(profile)} orders")
        j = min(range(len(sample)), key=lambda i: rank[sample[i]])
        return _as_tuple("profile", profile[j])

    return phi


def _as_tuple(name: str, value: Any) -> tuple:
    """``tuple(value)``, or :class:`InvalidInputError` naming ``name`` when ``value`` is not iterable."""
    try:
        return tuple(value)
    except TypeError:
        raise InvalidInputError(name, "must be a sequence", received=type(value).__name__) from None


@provenance("R", source="qiu2024representative", where="samples reduced to distinct pairs; our reconstruction")
class ReducedSample(NamedTuple):
    """A sample reduced to its distinct pairs (``sample``, sorted) and their orders (``profile``).

    Examples
    --------
    >>> reduce_sample([1, 1], [(0, 1), (1, 0)]).sample
    (1,)
    """

    sample: tuple[int, ...]
    profile: Profile


@provenance("R", source="qiu2024representative", where="samples reduced to distinct pairs; our reconstruction")
def reduce_sample(draws: Sequence[int], assignment: Sequence[Any]) -> ReducedSample:
    """Reduce i.i.d. draws of pairs to the set of distinct pairs and its profile [R] (§2.4).

    A repeated pair carries the same preference, so the sample is the sorted tuple of distinct
    pair ids and the profile lists their orders in that sequence (the set version of §2.4).

    Parameters
    ----------
    draws : sequence of int
        Drawn pair ids (repeats allowed), non-empty.
    assignment : sequence of orders
        ``assignment[x]`` is pair ``x``'s strict order.

    Returns
    -------
    ReducedSample

    Raises
    ------
    InvalidInputError
        Empty draws, ids out of range, or non-orders.

    Examples
    --------
    >>> reduce_sample([2, 0, 2], [(0, 1), (1, 0), (1, 0)])
    ReducedSample(sample=(0, 2), profile=((0, 1), (1, 0)))
    """
    d = list(int_sequence("draws", draws))
    if not d:
        raise InvalidInputError("draws", "must contain at least one pair")
    if isinstance(assignment, (str, bytes)) or not hasattr(assignment, "__len__") or not hasattr(assignment, "__getitem__"):
        raise InvalidInputError("assignment", "must be a sequence of strict orders, one per pair",
                                received=type(assignment).__name__)
    if min(d) < 0 or max(d) >= len(assignment):
        raise InvalidInputError("draws", f"pair ids must lie in [0, {len(assignment) - 1}]", received=d)
    sample = tuple(sorted(set(d)))
    m = len(check_order(assignment[0], name="assignment"))
    return ReducedSample(sample, tuple(check_order(assignment[x], m, name="assignment") for x in sample))


def _samples(n_pairs: int, min_size: int = 1) -> list[tuple[int, ...]]:
    return [s for r in range(min_size, n_pairs + 1) for s in itertools.combinations(range(n_pairs), r)]


def _check_representative_cap(k: int, m: int, cap: Any) -> None:
    """Profiles over all samples: :math:`\\sum_S (m!)^{|S|} = (1+m!)^{k} - 1`."""
    cap = check_cap_value("max_profiles", cap)
    log2 = k * math.log2(1.0 + math.exp(math.lgamma(m + 1))) if m < 150 else k * (log2_factorial(m) + 1.0)
    check_log_size("n_pairs", log2, lambda: (1 + math.factorial(m)) ** k - 1, cap=cap, unit="profiles")


@provenance("R", source="qiu2024representative", where="axioms SP, SIIA, AAC of §2.4; our reconstruction")
def representative_axiom_violation(phi: Callable[[tuple[int, ...], Profile], Order], n_pairs: int,
                                   n_alternatives: int, *, sp: bool = True, siia: bool = True, aac: bool = False,
                                   transitive: bool = True,
                                   max_profiles: int = EXHAUSTIVE_CAP) -> AxiomViolation | None:
    """First violation of SP, SIIA, AAC (or of strict-order output) by a representative SWF [R] (§2.4).

    Reconstruction; the full text of Qiu (arXiv 2410.23953) was not available to us.

    Parameters
    ----------
    phi : callable ``phi(sample, profile) -> order``
    n_pairs, n_alternatives : int
    sp : bool, default True
        Check SP.
    siia : bool, default True
        Check SIIA.
    aac : bool, default False
        Check AAC.
    transitive : bool, default True
        Check that every output is a strict order (a non-order is then an ``"strict order"`` violation).
    max_profiles : int, default 200_000
        Cap (``EXHAUSTIVE_CAP``) on :math:`\\sum_S (m!)^{|S|} = (1+m!)^{k_X}-1`, checked before any work.

    Returns
    -------
    AxiomViolation or None
        An output that is a sequence of candidate ids but not a strict order is reported as an
        ``"strict order"`` violation when ``transitive`` is true.

    Raises
    ------
    InvalidInputError
        ``phi`` is not callable or returns something that is not a sequence of candidate ids; or,
        with ``transitive=False``, returns a non-order (SP, SIIA and AAC are defined on orders only).
    SizeCapError

    Notes
    -----
    Exhaustive over every sample :math:`S \\subseteq X` and profile in :math:`\\mathcal L(C)^S`.

    Examples
    --------
    >>> representative_axiom_violation(privileged_ordering_mechanism([1, 0, 2]), 3, 3, aac=True) is None
    True
    """
    _check_rule("phi", phi)
    k = V.check_int("n_pairs", n_pairs, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=1)
    _check_representative_cap(k, m, max_profiles)
    table: dict[tuple, Order] = {}
    for S in _samples(k):
        profs = list(itertools.product(itertools.permutations(range(m)), repeat=len(S)))
        for p in profs:
            out = _rule_output("phi", phi(S, p), m, strict=not transitive, sample=S, profile=p)
            table[(S, p)] = out
            if transitive and sorted(out) != list(range(m)):
                return AxiomViolation("strict order", profile=p, output=out, sample=S)
            if sp:
                for a, b in itertools.permutations(range(m), 2):
                    if all(prefers(o, a, b) for o in p) and not prefers(out, a, b):
                        return AxiomViolation("SP", profile=p, pair=(a, b), output=out, sample=S)
        if siia:
            for a, b in itertools.combinations(range(m), 2):
                seen: dict[tuple, tuple] = {}
                for p in profs:
                    key = iia_key(p, a, b)
                    v = prefers(table[(S, p)], a, b)
                    if key in seen and seen[key][0] != v:
                        return AxiomViolation("SIIA", profile=seen[key][1], pair=(a, b),
                                              output=table[(S, seen[key][1])], other_profile=p, sample=S)
                    seen.setdefault(key, (v, p))
    if aac:
        for S in _samples(k):
            for y in range(k):
                if y in S:
                    continue
                T2 = tuple(sorted(S + (y,)))
                pos = T2.index(y)
                for p in itertools.product(itertools.permutations(range(m)), repeat=len(S)):
                    out = table[(S, p)]
                    p2 = p[:pos] + (out,) + p[pos:]
                    if table[(T2, p2)] != out:
                        return AxiomViolation("AAC", profile=p, output=out, sample=S, added=y)
    return None


@provenance("R", source="qiu2024representative", where="privilege graphs (reported [S]); our definition §2.4")
def privilege_graph(phi: Callable[[tuple[int, ...], Profile], Order], n_pairs: int, n_alternatives: int = 3, *,
                    max_profiles: int = EXHAUSTIVE_CAP) -> nx.DiGraph:
    """Privilege graph :math:`G_\\Phi`: arc :math:`x \\to y` iff :math:`x` dictates :math:`\\{x, y\\}` [R] (§2.4).

    Defined only for :math:`\\Phi` satisfying SP and SIIA (then R1 gives each 2-sample exactly one
    dictator); both are checked exhaustively on every 2-sample and a violation raises
    :class:`~aligntheory.errors.InvalidInputError`. Requires :math:`m \\ge 3`.

    Parameters
    ----------
    phi : callable
        The mechanism :math:`\\Phi(\\text{sample}, \\text{profile}) \\to` order.
    n_pairs : int
        :math:`k_X \\ge 1` individual-issue pairs (the graph's nodes).
    n_alternatives : int, default 3
        :math:`m \\ge 3`.
    max_profiles : int, default 200_000
        Cap (``EXHAUSTIVE_CAP``) on the :math:`\\binom{k_X}{2} (m!)^2` profiles enumerated; checked before any
        work.

    Returns
    -------
    networkx.DiGraph
        A tournament on ``range(n_pairs)``. Complexity :math:`O(k_X^2 (m!)^2 m^2)`.

    Raises
    ------
    InvalidInputError
        ``n_pairs < 1``, ``n_alternatives < 3``, ``phi`` is not callable, returns a non-order, or
        violates SP or SIIA on a 2-sample.
    SizeCapError
        More than ``max_profiles`` profiles would be enumerated.

    Examples
    --------
    >>> G = privilege_graph(privileged_ordering_mechanism([2, 0, 1]), 3)
    >>> sorted(G.edges())
    [(0, 1), (2, 0), (2, 1)]
    """
    _check_rule("phi", phi)
    k = V.check_int("n_pairs", n_pairs, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=3)
    cap = check_cap_value("max_profiles", max_profiles)
    log2 = 2 * log2_factorial(m) + math.log2(max(1, k * (k - 1) // 2))
    check_log_size("n_pairs", log2, lambda: math.comb(k, 2) * math.factorial(m) ** 2, cap=cap, unit="profiles")
    G = nx.DiGraph()
    G.add_nodes_from(range(k))
    for S in itertools.combinations(range(k), 2):
        profs = list(itertools.product(itertools.permutations(range(m)), repeat=2))
        outs = [_rule_output("phi", phi(S, p), m, strict=False, sample=S, profile=p) for p in profs]
        for p, out in zip(profs, outs):
            if sorted(out) != list(range(m)):
                raise InvalidInputError("phi", "privilege graph needs strict-order outputs", received=f"{S}: {out}")
            for a, b in itertools.permutations(range(m), 2):
                if prefers(p[0], a, b) and prefers(p[1], a, b) and not prefers(out, a, b):
                    raise InvalidInputError("phi", "privilege graph is defined only under SP and SIIA: SP fails",
                                            received=f"sample {S}, profile {p}")
        for a, b in itertools.combinations(range(m), 2):
            seen: dict = {}
            for p, out in zip(profs, outs):
                key, v = iia_key(p, a, b), prefers(out, a, b)
                if seen.setdefault(key, v) != v:
                    raise InvalidInputError("phi", "privilege graph is defined only under SP and SIIA: SIIA fails",
                                            received=f"sample {S}, pair {(a, b)}")
        dictators = [i for i in range(2) if all(p[i] == o for p, o in zip(profs, outs))]
        if len(dictators) != 1:  # impossible under SP + SIIA with m >= 3 (R1); kept as a guard
            raise InvalidInputError("phi", "a 2-sample has no unique dictator", received=S)
        x = S[dictators[0]]
        G.add_edge(x, S[1 - dictators[0]])
    return G


def _sorted_if_comparable(items: Iterable[Any]) -> list:
    """``sorted(items)``, or the given order when the node labels do not compare (``"a"`` next to ``1``)."""
    items = list(items)
    try:
        return sorted(items)
    except TypeError:
        return items


@provenance("M", where="tournaments")
def check_tournament(G: Any, nodes: Iterable[int] | None = None) -> nx.DiGraph:
    """Validate that ``G`` is a tournament: exactly one arc between each two nodes, no self-loop [M].

    Raises :class:`~aligntheory.errors.InvalidOrderError` (an :class:`InvalidInputError`) with constraint ``"tournament"``, the
    offending pairs in ``received``. Nodes may be any hashable labels (strings included); they are
    listed sorted when they compare, in graph order otherwise.

    Examples
    --------
    >>> G = nx.DiGraph([(0, 1), (1, 2)])
    >>> check_tournament(G)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidOrderError: G: tournament (received missing arcs [(0, 2)])
    """
    if not isinstance(G, nx.DiGraph):
        raise InvalidInputError("G", "tournament", received=f"not a networkx.DiGraph: {type(G).__name__}")
    ns = _sorted_if_comparable(G.nodes if nodes is None else nodes)
    loops = _sorted_if_comparable((u, v) for u, v in nx.selfloop_edges(G))
    missing = [(u, v) for u, v in itertools.combinations(ns, 2) if not G.has_edge(u, v) and not G.has_edge(v, u)]
    double = [(u, v) for u, v in itertools.combinations(ns, 2) if G.has_edge(u, v) and G.has_edge(v, u)]
    problems = []
    if loops:
        problems.append(f"self-loops {loops}")
    if missing:
        problems.append(f"missing arcs {missing}")
    if double:
        problems.append(f"double arcs {double}")
    if problems:
        raise InvalidOrderError("G", "tournament", received="; ".join(problems),
                                offending={"self_loops": loops, "missing": missing, "double": double})
    return G


@provenance("M", where="tournaments")
def is_acyclic(G: nx.DiGraph) -> bool:
    """Whether a tournament is acyclic (equivalently transitive; ``networkx.is_directed_acyclic_graph``) [M].

    Examples
    --------
    >>> is_acyclic(nx.DiGraph([(0, 1), (1, 2), (0, 2)]))
    True
    """
    check_tournament(G)
    return nx.is_directed_acyclic_graph(G)


@provenance("M", where="tournaments")
def three_cycle(G: nx.DiGraph) -> tuple[Any, Any, Any] | None:
    """A directed 3-cycle of a tournament, or ``None`` when it is acyclic [M].

    A tournament with a cycle has a 3-cycle; found by ``networkx.simple_cycles(G, length_bound=3)``.
    The cycle lists the graph's own node labels (any hashable: ``"alice"`` stays ``"alice"``; numpy
    integer labels come back as Python ints), starting at the least label when the labels compare.

    Raises
    ------
    InvalidInputError
        ``G`` is not a tournament (see :func:`check_tournament`).

    Examples
    --------
    >>> three_cycle(nx.DiGraph([(0, 1), (1, 2), (2, 0)]))
    (0, 1, 2)
    >>> three_cycle(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))
    ('a', 'b', 'c')
    """
    check_tournament(G)
    for c in nx.simple_cycles(G, length_bound=3):
        if len(c) == 3:
            c = [int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else v for v in c]
            try:  # start at the least label: the search order of string labels varies with hash seeds
                i = c.index(min(c))
            except TypeError:  # labels that do not compare ("a" next to 1)
                i = 0
            return tuple(c[i:] + c[:i])
    return None
