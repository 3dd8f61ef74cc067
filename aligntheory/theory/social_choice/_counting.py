"""Model counting for the SAT encodings, brute-force re-verification and DRUP certificates (spec §3.2--3.3, §4.4).

Arrow's base case (A2) is standard [M] (Arrow 1951; Tang & Lin 2009; Geist & Endriss 2011); R1--R2
are our reconstruction [R] of the representative impossibilities reported [S] for Qiu (arXiv
2410.23953) -- the full text was not available to us.

Models are counted with blocking clauses on the primary variables (one per IIA group when IIA holds),
up to a ``limit``; reaching it is a result with ``exact=False``. Every returned model is decoded to a
table ``(sample, profile) -> order`` and re-verified by brute force in plain Python. A final UNSAT
answer keeps the solver's DRUP proof (CaDiCaL, Glucose, Lingeling) and, with ``check_proof=True``,
that proof is checked by the independent forward RUP checker of ``_rup`` against the formula plus
every blocking clause: the count is then certified (every model agrees with a found one on the
primary variables).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.results import RESULTS, provenance, raise_or_flag
from aligntheory.theory.social_choice._caps import check_cap_value, check_log_size
from aligntheory.theory.social_choice._encoding import SIZE_CAP, SatInstance, _Tables, arrow_instance, \
    representative_instance
from aligntheory.theory.social_choice._rup import check_drup_refutation

__all__ = [
    "SatCount",
    "IIARuleCounts",
    "count_models",
    "count_social_welfare_functions",
    "count_representative_swfs",
    "enumerate_iia_rules",
    "IIA_RULES_CAP",
]

_PROOF_SOLVERS = ("cadical103", "cadical153", "cadical195", "glucose3", "glucose4", "glucose42", "lingeling")

IIA_RULES_CAP = 2**16
"""Default cap on the number of IIA rules :func:`enumerate_iia_rules` enumerates."""


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


@provenance("M", source="geist2011automated", where="SAT model counting with blocking clauses")
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
    proof_checked : bool or None
        Whether the independent forward RUP checker accepted ``proof`` as a refutation of the formula
        plus the blocking clauses (None when not checked).
    proof_check : str
        The checker's verdict in words (lemmas and deletions processed).
    solver : str
    encode_seconds : float, default 0.0
        Encoding time (the instance's ``seconds``).
    solve_seconds : float, default 0.0
        Time spent in :func:`count_models` (solving, re-verification and proof check).
    encoding : str
    result : RESULTS
        ``successful``, or ``breakdown`` when a model failed re-verification or a proof failed its
        check (with ``throw=False``), ``max_steps_reached`` when the solver gave no answer.

    Examples
    --------
    >>> r = count_models(arrow_instance(2, 3, non_dictatorship=True), check_proof=True)
    >>> r.satisfiable, r.proof_checked, r.result.succeeded
    (False, True, True)
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
    proof_checked: bool | None = None
    proof_check: str = ""
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded``."""
        return self.result.succeeded


@provenance("M", source="geist2011automated", where="SAT model counting; DRUP: Wetzler, Heule & Hunt 2014")
def count_models(instance: SatInstance, *, limit: int | None = None, solver: str = "cadical195",
                 keep_proof: bool = True, verify: bool = True, keep_models: bool = False,
                 check_proof: bool = False, throw: bool = True) -> SatCount:
    """Count the models of an instance with blocking clauses on its primary variables [M] (§4.4).

    Parameters
    ----------
    instance : SatInstance
    limit : int, optional
        Stop after this many models; the result then has ``exact=False`` (a lower bound, not an error).
    solver : str
        A python-sat solver name (``from pysat.solvers import Solver``).
    keep_proof : bool, default True
        Ask the solver for a DRUP proof and keep it when the final answer is UNSAT (solvers in
        ``cadical*``, ``glucose*``, ``lingeling``; ignored for others).
    verify : bool, default True
        Re-verify every model by brute force in plain Python.
    keep_models : bool, default False
        Keep the decoded models in the result.
    check_proof : bool, default False
        Check the DRUP proof with the independent forward RUP checker (implies ``keep_proof``).
    throw : bool, default True
        Raise :class:`~aligntheory.errors.ConvergenceError` when a model fails re-verification, a proof
        fails its check or the solver gives no answer; with ``throw=False`` the result carries
        ``result`` instead.

    Returns
    -------
    SatCount

    Raises
    ------
    ConvergenceError
        See ``throw``.
    InvalidInputError
        ``instance`` is not a :class:`SatInstance`, or an unknown ``solver``.

    Notes
    -----
    One SAT call per model plus one; re-verification costs :math:`O(\\text{profiles} \\cdot m^2)` per
    model; the RUP check is linear in the proof length times the propagation cost.

    Examples
    --------
    >>> res = count_models(arrow_instance(2, 3))
    >>> res.count, res.exact, res.verified
    (2, True, True)
    """
    Solver = require("pysat.solvers").Solver

    if not isinstance(instance, SatInstance):
        raise InvalidInputError("instance", "must be a SatInstance", received=type(instance).__name__)
    if limit is not None:
        limit = V.check_int("limit", limit, lo=1)
    keep_proof = keep_proof or check_proof
    with_proof = keep_proof and solver in _PROOF_SOLVERS
    if check_proof and not with_proof:
        raise InvalidInputError("solver", f"check_proof needs a proof-logging solver {_PROOF_SOLVERS}",
                                received=solver)
    t0 = time.perf_counter()
    models, count, verified = [], 0, (True if verify else None)
    blocking: list[list[int]] = []
    result = RESULTS.successful
    why = ""
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
                result, why, exact = RESULTS.max_steps_reached, "SAT solver returned no answer", False
                break
            if not res:
                break
            model = np.asarray(s.get_model(), dtype=np.int64)
            val = np.zeros(instance.n_variables + 1, dtype=bool)
            val[np.abs(model)] = model > 0
            count += 1
            if verify or keep_models:
                table = _decode(instance, val)
                if verify:
                    ok, reason = _verify(instance, table)
                    if not ok:
                        verified = False
                        result, why = RESULTS.breakdown, f"SAT model failed brute-force verification: {reason}"
                if keep_models:
                    models.append({S: {p: tuple(sorted(range(instance.n_alternatives),
                                                       key=lambda c, r=r: -sum(r[c])))
                                       for p, r in rows.items()} for S, rows in table.items()})
            if limit is not None and count >= limit:
                exact = False
                break
            clause = np.where(val[primary], -primary, primary).tolist()
            blocking.append(clause)
            s.add_clause(clause)
        proof = None
        if with_proof and exact and result.succeeded:
            proof = tuple(s.get_proof() or ())
    finally:
        s.delete()
    checked, check_text = None, ""
    if check_proof and proof is not None:
        formula = itertools.chain((row for c in instance.clauses for row in c.tolist()),
                                  (c.tolist() for c in instance.long_clauses), blocking)
        rc = check_drup_refutation(formula, proof, n_variables=instance.n_variables)
        checked = rc.valid
        check_text = (f"forward RUP check: {rc.reason}; {rc.lemmas_checked} lemmas, {rc.deletions} deletions "
                      f"(formula + {len(blocking)} blocking clauses)")
        if not rc.valid:
            result, why = RESULTS.breakdown, f"DRUP proof rejected by the independent checker: {rc.reason}"
    raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(why, result=result))
    return SatCount(count, exact, count > 0, instance.n_variables, instance.n_clauses, verified, tuple(models),
                    proof, solver, instance.seconds, time.perf_counter() - t0, instance.encoding,
                    checked, check_text, result)


@provenance("M", source="arrow1951social", where="Thm 2; base case by SAT as in Tang & Lin 2009")
def count_social_welfare_functions(n_voters: int, n_alternatives: int, *, pareto: bool = True, iia: bool = True,
                                   non_dictatorship: bool = False, limit: int | None = None,
                                   max_variables: int = SIZE_CAP) -> int:
    """Number of SWFs :math:`\\mathcal L(C)^n \\to \\mathcal L(C)` satisfying the chosen axioms [M] (§3.2 A1/A2).

    By Arrow's theorem (Arrow 1951; base case of Tang & Lin 2009) weak Pareto plus IIA leaves
    exactly the :math:`n` dictatorships for :math:`m \\ge 3`, and adding non-dictatorship gives 0.

    Parameters
    ----------
    n_voters : int
    n_alternatives : int
    pareto : bool, default True
        Impose weak Pareto.
    iia : bool, default True
        Impose IIA.
    non_dictatorship : bool, default False
        Impose non-dictatorship.
    limit : int, optional
        Stop counting there (the returned number is then a lower bound).
    max_variables : int, default 5_000_000
        Size cap of :func:`arrow_instance` (``SIZE_CAP``), checked before any work.

    Returns
    -------
    int

    Raises
    ------
    SizeCapError
        The instance exceeds ``max_variables``.

    Notes
    -----
    Counted by SAT (python-sat, quotient encoding under IIA) with every model re-verified by brute force.

    Examples
    --------
    >>> count_social_welfare_functions(2, 3)
    2
    >>> count_social_welfare_functions(2, 3, non_dictatorship=True)
    0
    >>> count_social_welfare_functions(1, 3, pareto=False)
    20
    """
    inst = arrow_instance(n_voters, n_alternatives, pareto=pareto, iia=iia, non_dictatorship=non_dictatorship,
                          max_variables=max_variables)
    return count_models(inst, limit=limit, keep_proof=False).count


@provenance("R", source="qiu2024representative", where="R1, R2; our reconstruction")
def count_representative_swfs(n_pairs: int, n_alternatives: int = 3, *, aac: bool = False,
                              privilege_graph: Any = None, limit: int | None = None,
                              encoding: str = "auto", keep_proof: bool = True, check_proof: bool = False,
                              max_variables: int = SIZE_CAP, throw: bool = True) -> SatCount:
    """Count SP+SIIA(+AAC) representative SWFs on :math:`k_X` pairs [R] (§3.3 R1, R2).

    R1: without AAC the count is :math:`\\prod_{|S|\\ge2}|S|`; R2: with AAC it is :math:`k_X!`, and a
    forced privilege graph leaves 1 model if acyclic, none if cyclic -- reconstruction; the full text
    was not available to us.

    Parameters
    ----------
    n_pairs : int
        :math:`k_X \\ge 1`.
    n_alternatives : int, default 3
        :math:`m \\ge 2`.
    aac : bool, default False
        Impose AAC as well (SP and SIIA are always imposed).
    privilege_graph : networkx.DiGraph or arcs, optional
    limit : int, optional
    encoding : {"auto", "full", "quotient"}
    keep_proof : bool, default True
        As in :func:`count_models`.
    check_proof : bool, default False
        As in :func:`count_models`.
    max_variables : int, default 5_000_000
        Size cap of :func:`representative_instance` (``SIZE_CAP``).
    throw : bool, default True
        As in :func:`count_models`.

    Returns
    -------
    SatCount

    Raises
    ------
    SizeCapError, InvalidOrderError, ConvergenceError

    Notes
    -----
    :math:`2^{k_X}-1` blocks; see :func:`count_models`.

    Examples
    --------
    >>> count_representative_swfs(3).count, count_representative_swfs(3, aac=True).count
    (24, 6)
    """
    inst = representative_instance(n_pairs, n_alternatives, aac=aac, privilege_graph=privilege_graph,
                                   encoding=encoding, max_variables=max_variables)
    return count_models(inst, limit=limit, keep_proof=keep_proof, check_proof=check_proof, throw=throw)


@provenance("M", source="tang2009computer", where="base case n = 2, m = 3")
@dataclass(frozen=True)
class IIARuleCounts:
    """Result of :func:`enumerate_iia_rules`.

    Attributes
    ----------
    iia_rules : int
        :math:`(2^{2^n})^{\\binom m2}` IIA rules.
    transitive : int
        Those that always return a strict order.
    transitive_pareto : int
        Those also satisfying weak Pareto.

    Examples
    --------
    >>> IIARuleCounts(4096, 94, 2).transitive
    94
    """

    iia_rules: int
    transitive: int
    transitive_pareto: int


@provenance("M", source="tang2009computer", where="base case n = 2, m = 3")
def enumerate_iia_rules(n_voters: int = 2, n_alternatives: int = 3, *, max_rules: int = IIA_RULES_CAP) -> IIARuleCounts:
    """Exhaustive enumeration of IIA rules (no SAT) [M] (§3.2 A2).

    An IIA rule is one pairwise rule :math:`\\{0,1\\}^n \\to \\{0,1\\}` per pair of alternatives:
    :math:`(2^{2^n})^{\\binom m2}` rules. Counts those that always return a strict order, and among
    them those satisfying weak Pareto.

    Parameters
    ----------
    n_voters : int, default 2
        :math:`n \\ge 1`.
    n_alternatives : int, default 3
        :math:`m \\ge 2`.
    max_rules : int, default 65_536
        Cap on the number of rules (:data:`IIA_RULES_CAP`, ``2**16``), checked in logarithms before any work.

    Returns
    -------
    IIARuleCounts

    Raises
    ------
    SizeCapError

    Notes
    -----
    Memory and time :math:`O(\\text{rules} \\cdot (m!)^n m^3)`.

    Examples
    --------
    >>> enumerate_iia_rules(2, 3)
    IIARuleCounts(iia_rules=4096, transitive=94, transitive_pareto=2)
    """
    n = V.check_int("n_voters", n_voters, lo=1)
    m = V.check_int("n_alternatives", n_alternatives, lo=2)
    cap = check_cap_value("max_rules", max_rules)
    n_pairs = m * (m - 1) // 2
    log2_total = (2.0**n if n < 1000 else math.inf) * n_pairs
    total = check_log_size("n_voters", log2_total, lambda: (2 ** (2**n)) ** n_pairs, cap=cap, unit="rules")
    pairs = list(itertools.combinations(range(m), 2))
    per_pair = 2 ** (2**n)
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
    return IIARuleCounts(int(total), int(transitive.sum()), int((transitive & pareto_ok).sum()))
