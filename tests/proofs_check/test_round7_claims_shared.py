"""The shared-numerics claims of issue #11 round 7 can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant of the fourth fresh sample (docs/mutation-report/fresh-r6/shared.md),
planted by editing the function's source, and PASSes unpatched.
"""

from __future__ import annotations

import inspect
import types

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all

configure()
REG = load_all()

NEWMAN = "ibn.bt_newman_iterates_match_reference"
IDS = (NEWMAN, "ibn.bt_fit_boundaries")


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def _planted(module, name: str, old: str, new: str):
    """``module.name`` recompiled from its source with the one token ``old`` -> ``new`` (which must occur once)."""
    src = inspect.getsource(getattr(module, name))
    assert src.count(old) == 1, (name, old)
    mod = types.ModuleType(f"{module.__name__}_mutant")
    mod.__dict__.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    exec(compile(src.replace(old, new), "<mutant>", "exec"), mod.__dict__)
    return getattr(mod, name)


@pytest.mark.parametrize("cid", IDS)
def test_passes_unpatched(cid):
    assert _run(cid) is Verdict.PASS


@pytest.mark.parametrize("old,new", [
    ("g -= g.mean()", "g += g.mean()"),  # b4aa3a5630: Anderson's residuals keep twice their mean
    ("Gs.pop(0)", "Gs.pop(1)"),  # ce01540811: the iterate history drops the wrong entry
    ("it >= 8 and", "it >= 9 and"),  # 951f288c3d: the stall rule checked one iteration late
    ("0.5 * om", "0.25 * om"),  # 767b401983: the relaxation quartered instead of halved
])
def test_newman_iterates_fail_under_a_planted_mutant(monkeypatch, old, new):
    from aligntheory.numerics import _bt_fit as F
    from aligntheory.numerics import bradley_terry as B

    mutant = _planted(F, "_newman_host", old, new)
    monkeypatch.setattr(F, "_newman_host", mutant)  # Newton's warm start
    monkeypatch.setattr(B, "_newman_host", mutant)
    assert _run(NEWMAN) is Verdict.FAIL


def test_auto_iterations_fail_when_newton_steps_are_subtracted(monkeypatch):
    """Mutant 948dbe0494 (``it -= it2``): ``method="auto"`` reports Newman's iterations minus Newton's."""
    from aligntheory.numerics import bradley_terry as B

    orig = B._newton

    def mutated(*a, **k):
        theta, gn, it2, ll, used, cg = orig(*a, **k)
        return theta, gn, -it2, ll, used, cg

    monkeypatch.setattr(B, "_newton", mutated)
    assert _run(NEWMAN) is Verdict.FAIL


def test_boundaries_fail_when_boolean_ids_are_read_as_numbers(monkeypatch):
    """Mutant 3670ecabd1 (``arr.size != 0``): non-empty boolean id arrays take the integer route and are refused."""
    from aligntheory.numerics import bradley_terry as B

    monkeypatch.setattr(B, "_encode", _planted(B, "_encode", "arr.size == 0 and arr.dtype", "arr.size != 0 and arr.dtype"))
    assert _run("ibn.bt_fit_boundaries") is Verdict.FAIL
