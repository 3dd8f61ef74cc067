"""An independent forward checker of DRUP refutations by unit propagation (issue #11, item 6) [M].

A DRUP proof of unsatisfiability is a sequence of lemma additions and deletions; every added lemma
:math:`C` must be a *reverse unit propagation* (RUP) consequence of the clauses present when it is
added: assigning every literal of :math:`C` false and unit-propagating reaches a conflict. The proof
refutes the formula when the empty clause is added (Goldberg & Novikov 2003; Wetzler, Heule & Hunt,
"DRAT-trim", SAT 2014, describe the format). RUP is monotone in the clause set, so a lemma checked
against a superset of the clauses is still implied by the formula; this checker therefore ignores a
deletion only where honouring it would un-assign a top-level consequence (which stays implied).

This module shares no code with the SAT solver that produces the proof (python-sat's CaDiCaL); it
is plain Python with two watched literals per clause. No RAT step is accepted: a lemma that is not
RUP makes the check fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligntheory.errors import InvalidInputError

__all__ = ["RupCheck", "check_drup_refutation"]


@dataclass(frozen=True)
class RupCheck:
    """Outcome of :func:`check_drup_refutation`.

    Attributes
    ----------
    valid : bool
        True iff every lemma is RUP and the empty clause is derived (the formula is refuted).
    lemmas_checked, deletions : int
        Proof lines processed.
    failed_lemma : int or None
        0-based index (among proof lines) of the first lemma that is not RUP.
    reason : str
    """

    valid: bool
    lemmas_checked: int
    deletions: int
    failed_lemma: int | None
    reason: str


class _Db:
    def __init__(self, n_vars: int):
        self.val = [0] * (n_vars + 1)
        self.trail: list[int] = []
        self.clauses: list[list[int]] = []
        self.deleted: list[bool] = []
        self.watches: dict[int, list[int]] = {}
        self.index: dict[tuple[int, ...], list[int]] = {}
        self.reason_of: dict[int, int] = {}
        self.qhead = 0
        self.refuted = False

    def grow(self, var: int) -> None:
        if var >= len(self.val):
            self.val.extend([0] * (var + 1 - len(self.val)))

    def value(self, lit: int) -> int:
        v = self.val[abs(lit)]
        return v if lit > 0 else -v

    def assign(self, lit: int, reason: int) -> None:
        self.val[abs(lit)] = 1 if lit > 0 else -1
        self.trail.append(lit)
        if reason >= 0:
            self.reason_of[abs(lit)] = reason

    def propagate(self) -> bool:
        """Unit propagation from ``qhead``; True on conflict."""
        val, clauses, deleted, watches = self.val, self.clauses, self.deleted, self.watches
        while self.qhead < len(self.trail):
            false_lit = -self.trail[self.qhead]
            self.qhead += 1
            ws = watches.get(false_lit)
            if not ws:
                continue
            keep: list[int] = []
            conflict = False
            i = 0
            while i < len(ws):
                cid = ws[i]
                i += 1
                if deleted[cid]:
                    continue
                c = clauses[cid]
                if c[0] == false_lit:
                    c[0], c[1] = c[1], c[0]
                first = c[0]
                fv = val[abs(first)] if first > 0 else -val[abs(first)]
                if fv == 1:
                    keep.append(cid)
                    continue
                moved = False
                for j in range(2, len(c)):
                    lj = c[j]
                    if (val[abs(lj)] if lj > 0 else -val[abs(lj)]) != -1:
                        c[1], c[j] = lj, c[1]
                        watches.setdefault(lj, []).append(cid)
                        moved = True
                        break
                if moved:
                    continue
                keep.append(cid)
                if fv == -1:
                    conflict = True
                    keep.extend(ws[i:])
                    break
                self.assign(first, cid)
            watches[false_lit] = keep
            if conflict:
                return True
        return False

    def add(self, lits: Sequence[int]) -> None:
        c = list(dict.fromkeys(int(x) for x in lits))
        if any(-x in c for x in c):
            return  # tautology: never needed
        for x in c:
            self.grow(abs(x))
        cid = len(self.clauses)
        self.index.setdefault(tuple(sorted(c)), []).append(cid)
        self.clauses.append(c)
        self.deleted.append(False)
        if self.refuted:
            return
        if not c:
            self.refuted = True
            return
        if len(c) == 1:
            v = self.value(c[0])
            if v == 0:
                self.assign(c[0], cid)
                self.refuted = self.propagate()
            elif v == -1:
                self.refuted = True
            return
        # watch two literals, preferring non-false ones (top-level assignment)
        c.sort(key=lambda x: self.value(x) == -1)
        self.watches.setdefault(c[0], []).append(cid)
        self.watches.setdefault(c[1], []).append(cid)
        v0, v1 = self.value(c[0]), self.value(c[1])
        if v0 == -1:
            self.refuted = True  # every literal false at top level
        elif v1 == -1 and v0 == 0:
            self.assign(c[0], cid)
            self.refuted = self.propagate()

    def delete(self, lits: Sequence[int]) -> bool:
        ids = self.index.get(tuple(sorted(dict.fromkeys(int(x) for x in lits))))
        if not ids:
            return False
        cid = ids.pop()
        if cid in self.reason_of.values():
            return True  # a reason of a top-level consequence: keep it (sound, see module docstring)
        self.deleted[cid] = True
        return True

    def rup(self, lits: Sequence[int]) -> bool:
        if self.refuted:
            return True
        mark = len(self.trail)
        ok = False
        for x in lits:
            self.grow(abs(x))
            v = self.value(x)
            if v == 1:
                ok = True
                break
            if v == 0:
                self.assign(-x, -1)
        if not ok:
            ok = self.propagate()
        for lit in self.trail[mark:]:
            self.val[abs(lit)] = 0
            self.reason_of.pop(abs(lit), None)
        del self.trail[mark:]
        self.qhead = mark
        return ok


def _parse(line: str | Sequence[int]) -> tuple[bool, list[int]]:
    if not isinstance(line, str):
        lits = [int(x) for x in line]
        return False, lits
    toks = line.split()
    deletion = bool(toks) and toks[0] == "d"
    if deletion:
        toks = toks[1:]
    try:
        nums = [int(t) for t in toks]
    except ValueError as exc:
        raise InvalidInputError("proof", "lines must be DRUP text: optional 'd', literals, then 0",
                                received=line) from exc
    if not nums or nums[-1] != 0 or 0 in nums[:-1]:
        raise InvalidInputError("proof", "every line must end with a single terminating 0", received=line)
    return deletion, nums[:-1]


def check_drup_refutation(clauses: Iterable[Sequence[int]], proof: Iterable[str], *,
                          n_variables: int | None = None) -> RupCheck:
    """Check a DRUP refutation of a CNF by forward reverse-unit-propagation (no RAT) [M].

    Parameters
    ----------
    clauses : iterable of sequences of int
        The formula, DIMACS literals without the terminating 0.
    proof : iterable of str
        DRUP lines (``"1 -2 0"`` adds a lemma, ``"d 1 -2 0"`` deletes a clause, ``"0"`` is the empty clause).
    n_variables : int, optional
        Largest variable (grown on demand otherwise).

    Returns
    -------
    RupCheck

    Notes
    -----
    Forward checking: :math:`O(\\text{lemmas} \\times \\text{propagation})`; two watched literals per clause.

    Examples
    --------
    >>> cnf = [[1, 2], [-1, 2], [1, -2], [-1, -2]]
    >>> check_drup_refutation(cnf, ["2 0", "0"]).valid
    True
    >>> check_drup_refutation(cnf[:3], ["2 0", "0"]).valid  # satisfiable: the empty clause is not RUP
    False
    """
    db = _Db(0 if n_variables is None else int(n_variables))
    for c in clauses:
        db.add(c)
    n_lem = n_del = 0
    for i, line in enumerate(proof):
        deletion, lits = _parse(line)
        if deletion:
            n_del += 1
            db.delete(lits)
            continue
        n_lem += 1
        if not db.rup(lits):
            return RupCheck(False, n_lem, n_del, i, f"lemma {lits} is not a RUP consequence")
        db.add(lits)
        if not lits:
            return RupCheck(True, n_lem, n_del, None, "empty clause derived by RUP")
    if db.refuted:
        return RupCheck(True, n_lem, n_del, None, "top-level unit propagation refutes the clause set")
    return RupCheck(False, n_lem, n_del, None, "the proof ends without deriving the empty clause")
