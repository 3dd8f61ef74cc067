"""Social choice claims of issue #11, round 7 (the fourth fresh mutation sample, docs/mutation-report/fresh-r6).

* ``social_choice.drup_checker_deletions`` -- :func:`~aligntheory.theory.social_choice._rup.check_drup_refutation`
  honours clause deletions (a lemma that needs a deleted clause is not RUP), deletes one copy of a
  duplicated clause per line, ignores the deletion of an absent clause, and reports every field of
  :class:`~aligntheory.theory.social_choice._rup.RupCheck` as a naive forward checker written here does
  (unit propagation by repeated scans of a clause list, no watched literals).
"""

from __future__ import annotations

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_DRUP = Source(key="qiu2024representative", where="UNSAT certificates (spec social_choice.md §4.4); DRUP format")


def _naive_propagate(clauses: list[list[int]], assign: set[int]) -> bool:
    """Unit propagation by repeated scans; True on conflict. ``assign`` holds true literals (grown in place)."""
    changed = True
    while changed:
        changed = False
        for c in clauses:
            if any(x in assign for x in c):
                continue
            free = [x for x in c if -x not in assign]
            if not free:
                return True
            if len(free) == 1:
                assign.add(free[0])
                changed = True
    return False


def _naive_check(cnf, proof):
    """(valid, lemmas_checked, deletions, failed_lemma) of a forward DRUP check that honours every deletion."""
    db = [list(c) for c in cnf]
    n_lem = n_del = 0
    for i, line in enumerate(proof):
        toks = line.split()
        if toks[0] == "d":
            n_del += 1
            lits = sorted(int(t) for t in toks[1:-1])
            for j, c in enumerate(db):
                if sorted(c) == lits:
                    del db[j]
                    break
            continue
        n_lem += 1
        lits = [int(t) for t in toks[:-1]]
        if not _naive_propagate(db, {-x for x in lits}):
            return False, n_lem, n_del, i
        if not lits:
            return True, n_lem, n_del, None
        db.append(lits)
    return _naive_propagate(db, set()), n_lem, n_del, None


_XOR = [[1, 2], [-1, 2], [1, -2], [-1, -2]]  # unsatisfiable, no unit clause: no top-level consequence
_CASES = (
    ("refutation without deletions", _XOR, ["2 0", "0"]),
    ("a deleted clause is needed by the last lemma", _XOR, ["d 1 -2 0", "2 0", "0"]),
    ("one copy of a duplicated clause deleted: the other stays", _XOR + [[1, -2]], ["d 1 -2 0", "2 0", "0"]),
    ("deleting an absent clause is a no-op", _XOR, ["d 1 2 3 0", "2 0", "0"]),
    ("a lemma that is not RUP", _XOR[:3], ["2 0", "-2 0", "0"]),
    ("deleting a clause not used later", _XOR + [[3, 4]], ["d 3 4 0", "2 0", "0"]),
    ("no empty clause, but top-level propagation after the last lemma refutes", _XOR, ["2 0"]),
    ("no empty clause and no refutation (satisfiable)", _XOR[:3], ["2 0"]),
)


@claim(
    id="social_choice.drup_checker_deletions",
    statement="check_drup_refutation checks each lemma against the clauses present when it is added: a deletion "
    "removes one copy of the clause (an absent clause: no effect), so a lemma that needs a deleted clause is rejected "
    "and reported as the failed lemma; with no unit clauses in the formula (no top-level consequence to protect) its "
    "verdict, lemma and deletion counts and failed lemma equal those of a naive forward checker that honours every "
    "deletion.",
    source=[_DRUP],
    provenance="M",
    kind="theorem",
    tolerance="exact (booleans and counts on 8 hand-built proofs)",
    rice={"R"},
    stage="backward:governance",
)
def check_drup_checker_deletions(ctx: Context) -> Evidence:
    """Predicted: the naive checker written here (repeated scans, every deletion honoured).

    Measured: the library's watched-literal checker on the same formulas and proofs. A deletion that is not
    honoured turns the second case valid; a lemma counter or failed index off by one shows in the fields.
    """
    from aligntheory.theory.social_choice._rup import check_drup_refutation

    bad = []
    for label, cnf, proof in _CASES:
        r = check_drup_refutation(cnf, proof)
        got = (r.valid, r.lemmas_checked, r.deletions, r.failed_lemma)
        want = _naive_check(cnf, proof)
        if got != want:
            bad.append(f"{label}: got {got}, naive {want}")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"cases": len(_CASES), "second case": "(False, 2, 1, 2)"},
        measured={"mismatches": bad},
        tolerance="exact",
        why="booleans and counts: any change of the deletion rule or the bookkeeping changes one field",
    )
