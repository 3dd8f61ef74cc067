"""Registry behaviour: registration rules, duplicate ids, failures as data, filters, tags."""

import json

import pytest

from aligntheory.errors import DuplicateClaimError, InvalidInputError
from aligntheory.proofs_check import (
    RICE,
    STAGES,
    Context,
    Evidence,
    Figure,
    Registry,
    Series,
    Source,
    Verdict,
    load_all,
)

SRC = Source(key="foster1949average")
TAGS = dict(provenance="M", kind="theorem", tolerance="exact", rice={"R"}, stage="backward:assurance")


def make(reg, cid, fn, **over):
    kw = dict(TAGS)
    kw.update(over)
    reg.claim(id=cid, statement="s", source=SRC, **kw)(fn)
    return reg.get(cid)


def test_duplicate_id_is_an_error():
    reg = Registry()
    make(reg, "demo.a", lambda ctx: Evidence(Verdict.PASS))
    with pytest.raises(DuplicateClaimError, match="demo.a"):
        make(reg, "demo.a", lambda ctx: Evidence(Verdict.PASS))
    assert len(reg) == 1


def test_raising_check_is_fail_with_traceback():
    def boom(ctx):
        raise ZeroDivisionError("divided by zero on purpose")

    ev = make(Registry(), "demo.boom", boom).run(Context(seed=7))
    assert ev.verdict is Verdict.FAIL
    assert "ZeroDivisionError" in ev.details and "divided by zero on purpose" in ev.traceback
    assert ev.claim_id == "demo.boom" and ev.seed == 7 and ev.seconds >= 0


def test_non_evidence_return_is_fail():
    ev = make(Registry(), "demo.bad", lambda ctx: 3.0).run(Context())
    assert ev.verdict is Verdict.FAIL and "not Evidence" in ev.details


@pytest.mark.parametrize("verdict", list(Verdict))
def test_verdicts_are_kept(verdict):
    ev = make(Registry(), "demo.v", lambda ctx: Evidence(verdict, predicted=1.0, measured=2.0)).run(Context())
    assert ev.verdict is verdict and ev.passed is (verdict is Verdict.PASS)


def test_verdict_of():
    assert Verdict.of(True) is Verdict.PASS and Verdict.of(False) is Verdict.FAIL


@pytest.mark.parametrize(
    "field, value",
    [("provenance", "X"), ("kind", "lemma"), ("rice", set()), ("rice", {"Z"}), ("stage", "forward"),
     ("tolerance", "  ")],
)
def test_bad_tags_rejected(field, value):
    with pytest.raises(InvalidInputError, match=field):
        make(Registry(), "demo.x", lambda ctx: Evidence(Verdict.PASS), **{field: value})


@pytest.mark.parametrize("cid", ["nodot", ".x", "a..b", "a.b-c"])
def test_bad_ids_rejected(cid):
    with pytest.raises(InvalidInputError, match="id"):
        make(Registry(), cid, lambda ctx: Evidence(Verdict.PASS))


def test_source_needs_key_or_arxiv_and_known_key():
    with pytest.raises(InvalidInputError):
        Source()
    with pytest.raises(InvalidInputError, match="key"):
        Source(key="no-such-paper")
    assert "eprint = {9999.99999}" in Source(arxiv="9999.99999").bibtex()


def test_context_validation_and_determinism():
    with pytest.raises(InvalidInputError, match="tier"):
        Context(tier="medium")
    with pytest.raises(InvalidInputError, match="seed"):
        Context(seed=-1)
    a, b = Context(seed=5).rng(2).random(4), Context(seed=5).rng(2).random(4)
    assert (a == b).all() and not (a == Context(seed=6).rng(2).random(4)).all()


def test_select_filters():
    reg = Registry()
    make(reg, "p1.a", lambda c: Evidence(Verdict.PASS), rice={"R", "E"}, stage="forward:feedback")
    make(reg, "p1.b", lambda c: Evidence(Verdict.PASS), rice={"I"}, stage="backward:assurance")
    make(reg, "p2.c", lambda c: Evidence(Verdict.PASS), rice={"E"}, stage="backward:governance")
    assert [c.id for c in reg.select(pillars=["p1"])] == ["p1.a", "p1.b"]
    assert [c.id for c in reg.select(rice=["E"])] == ["p1.a", "p2.c"]
    assert [c.id for c in reg.select(stages=["backward"])] == ["p1.b", "p2.c"]
    assert [c.id for c in reg.select(stages=["forward:feedback"], rice=["R"])] == ["p1.a"]
    assert [c.id for c in reg.select(ids=["p2.c"])] == ["p2.c"]
    with pytest.raises(InvalidInputError):
        reg.select(pillars=["nope"])
    with pytest.raises(InvalidInputError):
        reg.select(ids=["p9.z"])


def test_evidence_json_roundtrip_handles_numpy_and_nonfinite():
    import numpy as np

    fig = Figure("t", "x", "y", (Series("s", np.arange(3.0), np.ones(3)),))
    ev = Evidence(Verdict.PASS, predicted=np.float64(1.5), measured=np.array([1.0, np.inf]), figures=(fig,))
    d = json.loads(json.dumps(ev.to_json()))
    assert d["verdict"] == "PASS" and d["predicted"] == 1.5 and d["measured"] == [1.0, "inf"]


# ---------------------------------------------------------------------------------------------
# the library's own registry


def test_every_registered_claim_is_tagged_and_sourced():
    claims = list(load_all())
    assert len(claims) >= 3
    for c in claims:
        assert c.rice and c.rice <= set(RICE), c.id
        assert c.stage in STAGES, c.id
        assert c.sources and all(s.resolve() is not None or s.arxiv for s in c.sources), c.id
        assert c.provenance in {"V", "S", "R", "M"}, c.id
        assert len(c.tolerance) > 3 and c.statement.strip(), c.id
        assert c.bibtex().startswith("@"), c.id


def test_claim_ids_are_unique_and_prefixed_by_their_pillar_module():
    import aligntheory.proofs_check as pc

    modules = set(pc.pillar_modules())
    for c in load_all():
        assert c.pillar in modules, f"{c.id}: pillar {c.pillar!r} has no module proofs_check/{c.pillar}"


def test_context_device_is_honoured():
    import jax
    import jax.numpy as jnp

    seen = []

    def check(ctx):
        seen.append({d.platform for d in jnp.zeros(2).devices()})
        return Evidence(Verdict.PASS)

    c = make(Registry(), "demo.dev", check)
    assert c.run(Context(device="cpu")).verdict is Verdict.PASS
    assert seen == [{"cpu"}]
    assert c.run(Context()).verdict is Verdict.PASS  # None: JAX's default device
    assert seen[-1] == {jax.devices()[0].platform}
    for bad in ("", 3):
        with pytest.raises(InvalidInputError, match="device"):
            Context(device=bad)
    with pytest.raises(InvalidInputError, match="device"):  # a platform this JAX does not have
        c.run(Context(device="no_such_platform"))
    try:
        jax.devices("gpu")
    except RuntimeError:  # no GPU backend: asking for one is a usage error, not a silent CPU run
        with pytest.raises(InvalidInputError, match="device"):
            c.run(Context(device="gpu"))


def test_unknown_names_suggest_and_list():
    reg = Registry()
    make(reg, "alpha.one", lambda c: Evidence(Verdict.PASS))
    make(reg, "alpha.two", lambda c: Evidence(Verdict.PASS))
    with pytest.raises(InvalidInputError, match=r"did you mean alpha\?.*valid: alpha"):
        reg.select(pillars=["alpah"])
    with pytest.raises(InvalidInputError, match=r"did you mean alpha\.one.*claims of pillar .alpha.: alpha\.one, alpha\.two"):
        reg.get("alpha.onw")
    with pytest.raises(InvalidInputError, match=r"pillars: alpha"):
        reg.get("beta.one")


def test_aliases_resolve():
    reg = Registry()
    reg.claim(id="alpha.new", statement="s", source=SRC, aliases=("alpha.old",), **TAGS)(
        lambda c: Evidence(Verdict.PASS))
    assert reg.get("alpha.old").id == "alpha.new" and "alpha.old" in reg
    assert [c.id for c in reg.select(ids=["alpha.old"])] == ["alpha.new"]
    with pytest.raises(DuplicateClaimError):
        reg.claim(id="alpha.old", statement="s", source=SRC, **TAGS)(lambda c: Evidence(Verdict.PASS))


def test_seed_used_sees_every_route_to_the_seed():
    """``Evidence.seed_used`` must see a read through ``rng()``, ``key()``, the attribute and ``replace``,
    and no read in a check that ignores its seed: otherwise seed-dependent claims would be run at one seed
    only by ``verify --seeds`` and by the CI suite."""
    from dataclasses import replace

    reg = Registry()
    checks = {
        "rng": lambda ctx: ctx.rng().integers(10),
        "key": lambda ctx: ctx.key(),
        "attr": lambda ctx: ctx.seed + 1,
        "replace": lambda ctx: replace(ctx, tier="full"),
        "none": lambda ctx: ctx.pick(quick=1, full=2) + (ctx.device is None) + len(ctx.tier),
    }
    for name, body in checks.items():
        def check(ctx, body=body, name=name):
            body(ctx)
            return Evidence(Verdict.FAIL, predicted=0, measured=1, tolerance=0, why="demo",
                            counterexample={"seed": None, "row": name})

        reg.claim(id=f"demo.{name}", statement="demo", source=Source(key="foster1949average"), provenance="M",
                  kind="theorem", tolerance="exact", rice={"R"}, stage="backward:assurance")(check)
    evs = {name: reg.get(f"demo.{name}").run(Context(seed=7)) for name in checks}
    assert {n: ev.seed_used for n, ev in evs.items()} == {"rng": True, "key": True, "attr": True, "replace": True,
                                                          "none": False}
    # the runner stamps the run's seed on a counterexample left unseeded, and on the evidence
    assert all(ev.counterexample == {"seed": 7, "row": n} and ev.seed == 7 for n, ev in evs.items())
    assert evs["none"].to_json()["seed_used"] is False
