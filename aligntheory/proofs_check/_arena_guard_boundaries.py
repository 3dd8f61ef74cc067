"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the arena analysis decides a row.

``arena.guard_conditions`` (``contract``) calls ``aligntheory.analysis.arena.leaderboard`` and
``read_battles`` on battles chosen so that EACH atomic condition of each hand-written raising guard
of ``analysis/arena.py`` and ``analysis/_arena_io.py`` decides the outcome once: the anchor's shape
(a pair, of a str and a rating) and membership, ``0 < ci < 1``, ties (all ties under ``drop`` and
under the tie models), strong connectivity without a prior, empty model names, missing cluster ids
(records and columns), column shapes and lengths, self-battles only, and the JSON-array reader (a
well-formed array, data after its ``]``). Accepted rows check the two-model Bradley--Terry MLE
``+-log(w/l)/2`` (natural scale) or an anchored Elo rating, a closed form written here. No bootstrap
(``n_bootstrap=0``); the table is fixed in advance and reads no seed. Registered by the import at the
end of ``proofs_check/arena.py``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from functools import partial

import numpy as np

from aligntheory.errors import DisconnectedGraphError, InvalidInputError
from aligntheory.proofs_check._helpers import ContractCase, accepted, contract_evidence, refused
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_H = math.log(2.0) / 2  # x beats y twice, y beats x once: centred MLE +-log(2)/2
_W = [{"model_a": "x", "model_b": "y", "winner": w} for w in ("model_a", "model_b", "model_a")]


_ok = partial(accepted, tol=1e-6, atol=1e-9)  # the shared row builder of proofs_check._helpers


_no = refused


def _cat(A):
    import pandas as pd

    return A.read_battles({"model_a": pd.Categorical(["x", "x", "y"], categories=["x", "y", "z"]),
                           "model_b": pd.Categorical(["y", "y", "x"]), "winner": ["model_a", "model_b", "model_a"]}).a


def _rows(tmp: str) -> list[ContractCase]:
    from aligntheory.analysis import arena as A

    def lb(battles=_W, **kw):
        a = dict(n_bootstrap=0, scale="natural")
        a.update(kw)
        return A.leaderboard(battles, **a)

    def f(name, text):
        p = os.path.join(tmp, name)
        with open(p, "w") as fh:
            fh.write(text)
        return p

    arr_ok = f("ok.json", "  " + json.dumps(_W))
    arr_tail = f("tail.json", json.dumps(_W) + " x")
    ties = [{"model_a": "x", "model_b": "y", "winner": "tie"}] * 2
    one_dec = ties + [_W[0]]
    cols = {"model_a": ["x", "x", "y"], "model_b": ["y", "y", "x"], "winner": ["model_a", "model_a", "model_a"]}

    def cl(v):
        return [dict(r, c=v if i == 1 else i) for i, r in enumerate(_W)]

    return [
        # anchor: a (str, rating) pair whose model is among the battles'
        _ok("leaderboard: natural scale, +-log(2)/2", lambda: lb().rating, [_H, -_H]),
        _ok("leaderboard: anchor ('y', 1000) as a list, Elo: y = 1000, x = 1000 + 400 log10(e) log 2",
            lambda: lb(anchor=["y", 1000.0], scale="elo").rating, [1000.0 + 400 / math.log(10) * 2 * _H, 1000.0]),
        _ok("leaderboard: anchor ('x', 0) tuple", lambda: lb(anchor=("x", 0.0)).rating, [0.0, -2 * _H]),
        _no("leaderboard: anchor ('x',)", lambda: lb(anchor=("x",)), "anchor"),
        _no("leaderboard: anchor ('x', 0, 1)", lambda: lb(anchor=("x", 0.0, 1)), "anchor"),
        _no("leaderboard: anchor (1, 0)", lambda: lb(anchor=(1, 0.0)), "anchor"),
        _no("leaderboard: anchor 'xy' (a str)", lambda: lb(anchor="xy"), "anchor"),
        _no("leaderboard: anchor ('z', 0), z not a model", lambda: lb(anchor=("z", 0.0)), "anchor"),
        # ci in (0, 1)
        _ok("leaderboard: ci = 0.95", lambda: lb(ci=0.95).ci, 0.95),
        _no("leaderboard: ci = 1", lambda: lb(ci=1.0), "ci"),
        # ties: all dropped; all ties under a tie model; an all-ties 'half' fit
        _ok("leaderboard: all ties, 'half' -> equal ratings 0", lambda: lb(ties).rating, [0.0, 0.0]),
        _ok("leaderboard: two ties and one decisive, 'drop'", lambda: lb(one_dec, ties="drop", prior_strength=1.0).n_ties,
            0.0),
        _ok("leaderboard: two ties and one decisive, 'davidson'", lambda: lb(one_dec, ties="davidson").n_battles, 3.0),
        _no("leaderboard: all ties, 'drop'", lambda: lb(ties, ties="drop"), "battles"),
        _no("leaderboard: all ties, 'davidson'", lambda: lb(ties, ties="davidson"), "battles"),
        _no("leaderboard: all ties, 'rao_kupper'", lambda: lb(ties, ties="rao_kupper"), "battles"),
        # strong connectivity without a prior
        _ok("leaderboard: x beats y only, prior 1 (MAP)", lambda: lb(_W[:1], prior_strength=1.0).n_battles, 1.0),
        _no("leaderboard: x beats y only, prior 0", lambda: lb(_W[:1], prior_strength=0.0), None, DisconnectedGraphError),
        # read_battles: model names, cluster ids, columns, self-battles
        _no("leaderboard: model_a ''", lambda: lb([dict(_W[0], model_a="")] + _W), "battles[0].model_a"),
        _ok("leaderboard: cluster ids 0, 'k', 2", lambda: lb(cl("k"), cluster="c").rating, [_H, -_H]),
        _no("leaderboard: a cluster id None", lambda: lb(cl(None), cluster="c"), "battles[1].c"),
        _no("leaderboard: a cluster id nan", lambda: lb(cl(float("nan")), cluster="c"), "battles[1].c"),
        _no("leaderboard: cluster 1 (not a column name)", lambda: lb(cluster=1), "cluster"),
        _ok("read_battles: columns of equal length 3", lambda: len(A.read_battles(cols).a), 3),
        _no("read_battles: columns of lengths 3, 2", lambda: A.read_battles(dict(cols, winner=["model_a"] * 2)), "battles"),
        _no("read_battles: a 2-d column", lambda: A.read_battles({"model_a": np.array([["x", "y"]]), "model_b": ["y"],
                                                                  "winner": ["model_a"]}), "model_a"),
        _no("read_battles: a None model in columns", lambda: A.read_battles(dict(cols, model_b=["y", None, "x"])),
            "battles[1].model_b"),
        _no("read_battles: a None cluster in columns", lambda: A.read_battles(dict(cols, c=[0, None, 1]), cluster="c"),
            "battles[1].c"),
        _ok("read_battles: cluster column", lambda: A.read_battles(dict(cols, c=[0, 1, 1]), cluster="c").cluster,
            [0, 1, 1]),
        _no("read_battles: self-battles only", lambda: A.read_battles([dict(_W[0], model_b="x")]), "battles"),
        _ok("read_battles: categorical columns (an unused category 'z')", lambda: _cat(A).tolist(), [0, 0, 1]),
        # next_comparisons / adjacent_uncertainty need two comparable models: Fisher variance 1/(K p (1 - p))
        _ok("next_comparisons: K = 3, p = 2/3: variance 3/2 before, 9/8 after one more battle",
            lambda: [(pl := A.next_comparisons(lb(), 1)).variance_before, pl.variance_after], [1.5, 1.125]),
        _ok("adjacent_uncertainty: variance 3/2", lambda: A.adjacent_uncertainty(lb()).variance, [1.5]),
        # JSON array files
        _ok("leaderboard: a JSON array file", lambda: lb(arr_ok).rating, [_H, -_H]),
        _no("leaderboard: data after the closing ']'", lambda: lb(arr_tail), "tail.json"),
    ]


@claim(
    id="arena.guard_conditions",
    statement="Each atomic condition of each raising guard of the arena analysis (aligntheory.analysis.arena: "
              "leaderboard and read_battles) decides one row: a row where it alone holds is refused with the named "
              "error and argument, a row where none holds is accepted with its closed-form rating, comparisons are "
              "tested at their edge and one step off.",
    source=[Source(key="ford1957solution", where="Raises sections of the arena docstrings; DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact sides; accepted ratings within 1e-6 relative of their closed forms (the fit's tolerance)",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions(ctx: Context) -> Evidence:
    """Predicted: each row's documented side and closed-form rating; measured: the library's call."""
    with tempfile.TemporaryDirectory() as tmp:
        return contract_evidence(_rows(tmp))
