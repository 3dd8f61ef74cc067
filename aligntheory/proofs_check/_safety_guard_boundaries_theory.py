"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the safety theory and analysis decides a row.

``safety.guard_conditions_theory`` (``contract``) calls the public functions of
``aligntheory.theory.safety`` (Gibbs tilt, dual ascent, preference losses, harm labels, multiplier
trajectories) and of ``aligntheory.analysis.safety`` (cost logs, the multiplier replay, the CLI, the
PKU-SafeRLHF reader) on inputs chosen so that EACH atomic condition of each hand-written raising
guard decides the outcome once: ``A or B`` gets a row where only A holds and one where only B holds
(refused, the named error and argument), ``A and B`` a refused row with both and accepted rows with
one alone, comparisons a row at their edge and one step off. Accepted rows check their result against
a one-line closed form (the Gibbs tilt of two responses, one log-space ascent step, the logistic loss
of one pair). The table is fixed in advance and reads no seed. Registered by the import at the end of
``proofs_check/safety.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import tempfile

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, accepted, contract_evidence, refused
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_P2, _R2, _C2 = [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]
_E = math.e


_ok, _no = accepted, refused  # the shared row builders of proofs_check._helpers


def _pku(**kw):
    """The documented one-record PKU-SafeRLHF example, with fields replaced by ``kw``."""
    rec = {"prompt": "p", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
           "is_response_1_safe": False, "response_0_harm_category": {}, "response_1_harm_category": {"Drugs": True},
           "response_0_severity_level": 0, "response_1_severity_level": 2, "better_response_id": 1,
           "safer_response_id": 0}
    rec.update(kw)
    return rec


def _theory_rows() -> list[ContractCase]:
    import aligntheory.theory.safety as S

    def tp(p=_P2, **kw):
        return S.tilted_policy(p, _R2[:len(p)] + [0.0] * (len(p) - 2), _C2[:len(p)] + [0.0] * (len(p) - 2),
                               0.5, 1.0, **kw)

    def da(**kw):
        a = dict(step=1.0, n_steps=1)
        a.update(kw)
        return S.dual_ascent(_P2, _R2, _C2, 1.0, 0.25, **a)

    p3 = [0.5, 0.5, 0.0]
    e5 = math.exp(0.5)
    # one projected step from 0: lam1 = step (E_{pi_0}[c] - d), E_{pi_0}[c] = e/(1+e) (reward 0, 1)
    proj1 = _E / (1 + _E) - 0.25
    return [
        # _problem: ndim; full support when no mask; mask dtype / shape; mask = (p > 0)
        _ok("tilted_policy: (1/2, 1/2), a = (0, 1/2): Gibbs weights 1 : e^(1/2)", lambda: tp(), [1 / (1 + e5), e5 / (1 + e5)]),
        _no("tilted_policy: ref_probs of shape (1, 2)", lambda: S.tilted_policy([[0.5, 0.5]], [[0.0, 1.0]], [[0.0, 1.0]],
                                                                                 0.5, 1.0), "ref_probs"),
        _no("tilted_policy: a zero of ref_probs, no mask", lambda: tp(p3), "ref_probs"),
        _ok("tilted_policy: a zero of ref_probs, mask (T, T, F)", lambda: tp(p3, support=np.array([True, True, False])),
            [1 / (1 + e5), e5 / (1 + e5), 0.0]),
        _no("tilted_policy: an int mask (1, 1, 0)", lambda: tp(p3, support=np.array([1, 1, 0])), "support"),
        _no("tilted_policy: a bool mask of shape (2,)", lambda: tp(p3, support=np.array([True, True])), "support"),
        _no("tilted_policy: an empty mask", lambda: tp(p3, support=np.array([False, False, False])), "support"),
        _no("tilted_policy: mask (T, F, T) != (p > 0)", lambda: tp(p3, support=np.array([True, False, True])), "support"),
        # _log_policy: (reward - lam cost) / beta overflows (nan logits); _moments: the variance overflows
        _no("tilted_policy: reward - 2 cost = inf - inf", lambda: S.tilted_policy(_P2, [1e308, 0.0], [-1e308, 0.0], 2.0,
                                                                                  1.0), None, PrecisionError),
        _no("tilted_moments: cost (-1e308, 1e308): variance overflows", lambda: S.tilted_moments(
            _P2, [0.0, 0.0], [-1e308, 1e308], 0.0, 1.0), None, PrecisionError),
        _ok("tilted_moments: cost (-1, 1), lam 0: E c = 0, Var c = 1", lambda: [
            (m := S.tilted_moments(_P2, [0.0, 0.0], [-1.0, 1.0], 0.0, 1.0)).cost, m.var_cost], [0.0, 1.0]),
        # primal_value: policy shape
        _ok("primal_value: policy = ref, value = pi . r = 2", lambda: S.primal_value(_P2, _P2, [1.0, 3.0], 1.0), 2.0),
        _no("primal_value: policy of shape (1,)", lambda: S.primal_value([1.0], _P2, [1.0, 3.0], 1.0), "policy"),
        # smoothness_constant: empty cost
        _ok("smoothness_constant: one cost, (c - c)^2 / 4 beta = 0", lambda: float(S.smoothness_constant([3.0], 1.0)), 0.0),
        _no("smoothness_constant: no cost", lambda: S.smoothness_constant([], 1.0), "cost"),
        # dual_ascent: any step <= 0; log mode and any lam0 <= 0; step/lam0 broadcast to 1-D
        _ok("dual_ascent: one projected step = e/(1+e) - 1/4", lambda: da().final, proj1),
        _ok("dual_ascent: step = 5e-324 (edge)", lambda: da(step=5e-324).final, 5e-324 * proj1, 1e-300),
        _ok("dual_ascent: steps (1, 2), B = 2", lambda: da(step=[1.0, 2.0]).lam[-1], [proj1, 2 * proj1]),
        _no("dual_ascent: steps (1, 0)", lambda: da(step=[1.0, 0.0]), "step"),
        _no("dual_ascent: step -1", lambda: da(step=-1.0), "step"),
        _ok("dual_ascent: log mode, lam0 = 1: lam1 = exp(1 (1/2 - 1/4))", lambda: da(lam0=1.0, mode="log").final,
            math.exp(0.25)),
        _ok("dual_ascent: projected mode, lam0 = 0", lambda: da(lam0=0.0, mode="projected").final, proj1),
        _no("dual_ascent: log mode, lam0 = 0", lambda: da(lam0=0.0, mode="log"), "lam0"),
        _no("dual_ascent: log mode, lam0 = (1, 0)", lambda: da(lam0=[1.0, 0.0], mode="log"), "lam0"),
        _no("dual_ascent: step of shape (2, 1)", lambda: da(step=[[1.0], [1.0]]), "step, lam0"),
        # multiplier trajectories: episode_costs a sequence; each rollout non-empty 1-D
        _ok("lagrangian_multiplier_trajectory: scalar rollouts, lambda_lr = 0", lambda: S.lagrangian_multiplier_trajectory(
            [1.0, [0.0]], 0.0, lambda_lr=0.0, window=1).final, 1.0),
        _no("lagrangian_multiplier_trajectory: a str", lambda: S.lagrangian_multiplier_trajectory("ab", 0.0),
            "episode_costs"),
        _no("lagrangian_multiplier_trajectory: an int", lambda: S.lagrangian_multiplier_trajectory(3, 0.0),
            "episode_costs"),
        _no("lagrangian_multiplier_trajectory: an empty rollout", lambda: S.lagrangian_multiplier_trajectory(
            [[1.0], []], 0.0), "episode_costs[1]"),
        _no("lagrangian_multiplier_trajectory: a 2-D rollout", lambda: S.lagrangian_multiplier_trajectory(
            [[[1.0]]], 0.0), "episode_costs[0]"),
        # _binary: shape; dtype bool or 0/1 integers
        _ok("bt_reward_nll: int label 1, log(1 + e^-1)", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]], [1]),
            math.log1p(math.exp(-1.0))),
        _ok("bt_reward_nll: uint8 label 0, log(1 + e)", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]],
                                                                                np.array([0], dtype=np.uint8)),
            math.log1p(_E)),
        _no("bt_reward_nll: labels of shape (2,) for 1 pair", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]], [1, 0]),
            "labels"),
        _no("bt_reward_nll: labels of shape (1, 1)", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]], [[1]]), "labels"),
        _no("bt_reward_nll: label 2", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]], [2]), "labels"),
        _no("bt_reward_nll: label 1.0 (float)", lambda: S.bt_reward_nll([1.0, 0.0], [[0, 1]], [1.0]), "labels"),
        _no("cost_nll: unsafe_flags of shape (1,)", lambda: S.cost_nll([1.0, 0.0], [[0, 1]], [True], [True]),
            "unsafe_flags"),
        # HarmLabel: SAFE exactly when no categories
        _ok("HarmLabel: {DRUGS}, MINOR", lambda: S.HarmLabel(frozenset({S.HarmCategory.DRUGS}), S.Severity.MINOR).is_safe,
            0.0),
        _ok("HarmLabel: {}, SAFE", lambda: S.HarmLabel(frozenset(), S.Severity.SAFE).is_safe, 1.0),
        _no("HarmLabel: {}, MINOR", lambda: S.HarmLabel(frozenset(), S.Severity.MINOR), "severity"),
        _no("HarmLabel: {DRUGS}, SAFE", lambda: S.HarmLabel(frozenset({S.HarmCategory.DRUGS}), S.Severity.SAFE),
            "severity"),
    ]


def _analysis_rows(tmp: str) -> list[ContractCase]:
    from aligntheory.analysis import safety as AS

    def f(name, text):
        p = os.path.join(tmp, name)
        with open(p, "w") as fh:
            fh.write(text)
        return p

    jl_ok = f("ok.jsonl", '{"rollout": 0, "cost": 1.0}\n{"rollout": 1.0, "cost": 2.0}\n')
    jl_frac = f("frac.jsonl", '{"rollout": 1.5, "cost": 1.0}\n{"rollout": 2, "cost": 1.0}\n')
    jl_neg = f("neg.jsonl", '{"rollout": 0, "cost": 1.0}\n{"rollout": -1, "cost": 1.0}\n')
    csv_nocost = f("nocost.csv", "rollout,c\n0,1.0\n")
    csv_empty = f("empty.csv", "rollout,cost\n")
    csv_b = f("b.csv", "cost\n1.0\n2.0\n3.0\n")
    js3 = f("three.json", "[[1.0], [0.0], [0.5]]")

    def cli(cmd, *extra):
        p = argparse.ArgumentParser(prog="aligntheory")
        AS.add_cli(p.add_subparsers(dest="command"))
        ns = p.parse_args(["safety", "multiplier", js3, "--threshold", "0.5", "--window", "1", "--curvature", "1.0"])
        ns.safety_command = cmd
        with contextlib.redirect_stdout(io.StringIO()):
            return AS.run_cli(ns)

    def rp(costs, **kw):
        a = dict(threshold=0.5, lam_star=1.0, lambda_lr=1.5, window=1)
        a.update(kw)
        return AS.replay_multiplier_log(costs, **a)

    def pku(**kw):
        return AS.analyse_safety_preferences([_pku(**kw)])

    return [
        # _group: rollout an integer (ri == float(r)) and >= 0
        _ok("read_cost_log: JSONL rollouts 0 and 1.0", lambda: [a.tolist() for a in AS.read_cost_log(jl_ok)],
            [[1.0], [2.0]]),
        _no("read_cost_log: JSONL rollout 1.5", lambda: AS.read_cost_log(jl_frac), f"{jl_frac} row 0"),
        _no("read_cost_log: JSONL rollout -1", lambda: AS.read_cost_log(jl_neg), f"{jl_neg} row 1"),
        # CSV: rows and a 'cost' column
        _ok("read_cost_log: cost-only CSV, batch_size 2", lambda: [a.tolist() for a in AS.read_cost_log(
            csv_b, batch_size=2)] == [[1.0, 2.0], [3.0]], 1.0),
        _no("read_cost_log: CSV without 'cost'", lambda: AS.read_cost_log(csv_nocost), csv_nocost),
        _no("read_cost_log: CSV with a header only", lambda: AS.read_cost_log(csv_empty), csv_empty),
        # replay: the curvature estimate needs >= 3 rollouts and a moving lambda
        _ok("replay_multiplier_log: docstring example, spectral radius 0.5",
            lambda: rp([[1.0], [0.0]], curvature=1.0).stability.spectral_radius, 0.5),
        _ok("replay_multiplier_log: 3 rollouts, curvature estimated", lambda: rp(
            [[1.0], [0.0], [0.5]], curvature=None).curvature_estimated, 1.0),
        _no("replay_multiplier_log: 2 rollouts, curvature estimated", lambda: rp([[1.0], [0.0]], curvature=None),
            "curvature"),
        _no("replay_multiplier_log: 3 rollouts, lambda constant (lambda_lr = 0)", lambda: rp(
            [[1.0], [0.0], [0.5]], curvature=None, lambda_lr=0.0), "curvature"),
        # run_cli: the safety command
        _ok("run_cli: safety multiplier", lambda: cli("multiplier"), 0.0),
        _no("run_cli: safety command 'replay'", lambda: cli("replay"), "safety_command"),
        # _safety_pku: records a non-empty sequence; ids 0/1 ints; severity int 0..3; unsafe needs a category
        _ok("analyse_safety_preferences: docstring record, one Drugs/MODERATE",
            lambda: pku()["category_severity_counts"]["Drugs"]["MODERATE"], 1.0),
        _ok("analyse_safety_preferences: np.int64 id 0, severity 3",
            lambda: pku(better_response_id=np.int64(0), response_1_severity_level=3)[
                "category_severity_counts"]["Drugs"]["SEVERE"], 1.0),
        _no("analyse_safety_preferences: records a str", lambda: AS.analyse_safety_preferences("abc"), "records"),
        _no("analyse_safety_preferences: records an int", lambda: AS.analyse_safety_preferences(5), "records"),
        _no("analyse_safety_preferences: no records", lambda: AS.analyse_safety_preferences([]), "records"),
        _no("analyse_safety_preferences: better id True", lambda: pku(better_response_id=True),
            "records[0].better_response_id"),
        _no("analyse_safety_preferences: better id 1.0", lambda: pku(better_response_id=1.0),
            "records[0].better_response_id"),
        _no("analyse_safety_preferences: safer id 2", lambda: pku(safer_response_id=2), "records[0].safer_response_id"),
        _no("analyse_safety_preferences: safer id -1", lambda: pku(safer_response_id=-1), "records[0].safer_response_id"),
        _no("analyse_safety_preferences: severity True", lambda: pku(response_1_severity_level=True),
            "records[0].response_1_severity_level"),
        _no("analyse_safety_preferences: severity 2.0", lambda: pku(response_1_severity_level=2.0),
            "records[0].response_1_severity_level"),
        _no("analyse_safety_preferences: severity 4", lambda: pku(response_1_severity_level=4),
            "records[0].response_1_severity_level"),
        _no("analyse_safety_preferences: severity -1", lambda: pku(response_0_severity_level=-1),
            "records[0].response_0_severity_level"),
        _no("analyse_safety_preferences: unsafe response without a category", lambda: pku(
            response_1_harm_category={}, response_1_severity_level=0), "records[0].response_1_harm_category"),
    ]


@claim(
    id="safety.guard_conditions_theory",
    statement="Each atomic condition of each raising guard of the safety theory (aligntheory.theory.safety) and "
              "analysis (aligntheory.analysis.safety, the PKU-SafeRLHF reader) decides one row: a row where it "
              "alone holds is refused with the named error and argument, a row where none holds is accepted with "
              "its closed-form result, comparisons are tested at their edge and one step off.",
    source=[Source(key="dai2023safe", where="Raises sections of the safety docstrings; PKU-SafeRLHF record format")],
    provenance="M",
    kind="contract",
    tolerance="exact sides; accepted values within 1e-12 relative of their closed forms",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side and closed-form value; measured: the library's call."""
    with tempfile.TemporaryDirectory() as tmp:
        return contract_evidence(_theory_rows() + _analysis_rows(tmp))
