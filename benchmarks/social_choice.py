"""Benchmarks of the social choice pillar (spec ``social_choice.md`` §6).

1. Voting-rule kernels against pref-voting on the same random strict-order profiles (impartial culture):
   end to end (rankings array -> winner masks for plurality, Borda, Copeland and Condorcet, versus
   building pref-voting ``Profile`` objects and calling its rules; target >= 50x) and rule evaluation
   alone (device-resident array versus prebuilt Profiles whose numba helpers are already compiled;
   target >= 10x). Our XLA compile time is recorded separately.
2. The SAT encoder on Arrow base cases n = 2..4, m = 3..4 and the R2 instance k_X = 4 with AAC:
   the IIA-quotient encoding (ours, default) against the full per-profile encoding of spec §4.4
   (the Tang--Lin style encoding); counts must agree.
3. ``empirical_welfare`` (JAX) against a numpy gather.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks._harness import block


def _profiles(rng, count, voters, cands):
    return np.argsort(rng.random((count, voters, cands)), axis=-1).astype(np.int64)


def _pv_all(profs):
    from pref_voting.c1_methods import copeland
    from pref_voting.scoring_methods import borda, plurality

    return [(plurality(p), borda(p), copeland(p), p.condorcet_winner()) for p in profs]


def _voting(h, rng, count, voters, cands, repeat):
    import jax
    import jax.numpy as jnp
    from pref_voting.profiles import Profile

    from aligntheory.kernels import social_choice as K
    from aligntheory.kernels.social_choice import _voting as KV

    P = _profiles(rng, count, voters, cands)
    t0 = time.perf_counter()
    KV._all.lower(jnp.asarray(P), jnp.ones(P.shape[:2], jnp.int32)).compile()
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    profs = [Profile(p.tolist()) for p in P]
    build_s = time.perf_counter() - t0
    ref = _pv_all(profs)  # also warms pref-voting's numba helpers
    out = {k: np.asarray(v) for k, v in K.all_rules(P)._asdict().items()}
    agree = 0
    for i, (pl, bo, co, cw) in enumerate(ref):
        agree += (np.flatnonzero(out["plurality"][i]).tolist() == pl and np.flatnonzero(out["borda"][i]).tolist() == bo
                  and np.flatnonzero(out["copeland"][i]).tolist() == co
                  and np.flatnonzero(out["condorcet"][i]).tolist() == ([] if cw is None else [cw]))
    agreement = {"profiles_agreeing": f"{agree}/{count}"}
    if agree != count:
        raise AssertionError(f"voting kernels disagree with pref-voting on {count - agree} profiles")
    sizes = {"n_profiles": count, "n_voters": voters, "n_alternatives": cands}

    def ours_e2e():
        return {k: np.asarray(v) for k, v in K.all_rules(P)._asdict().items()}

    def anchor_e2e():
        return _pv_all([Profile(p.tolist()) for p in P])

    h.compare(f"voting rules end to end ({count}x{voters}x{cands})", sizes,
              ours=("aligntheory.kernels.social_choice.all_rules (numpy in, masks out)", ours_e2e),
              anchor=("pref-voting Profile(...) + plurality/borda/copeland/condorcet_winner", anchor_e2e),
              agreement=agreement, target=">= 50x", target_ratio=50.0, repeat=repeat,
              extra={"compile_seconds": compile_s, "pref_voting_build_seconds_first": build_s})
    Pd = jax.device_put(jnp.asarray(P))
    Wd = jax.device_put(jnp.ones(P.shape[:2], jnp.int32))

    def ours_eval():
        return block(KV._all(Pd, Wd))

    def anchor_eval():
        return _pv_all(profs)

    h.compare(f"voting rules evaluation only ({count}x{voters}x{cands})", sizes,
              ours=("jitted fused rules on a device array", ours_eval),
              anchor=("pref-voting rules on prebuilt Profiles (numba helpers compiled)", anchor_eval),
              agreement=agreement, target=">= 10x", target_ratio=10.0, repeat=repeat,
              extra={"compile_seconds": compile_s})


def _sat(h, quick):
    from aligntheory.theory import social_choice as T

    cases = [(2, 3), (3, 3), (4, 3), (2, 4), (3, 4)] + ([] if quick else [(4, 4)])
    for n, m in cases:
        sizes = {"n_voters": n, "n_alternatives": m}
        q = T.count_models(T.arrow_instance(n, m, encoding="quotient"), verify=(n, m) != (4, 4), keep_proof=False)
        ours = ("SAT, IIA-quotient encoding (count with blocking clauses)",
                lambda: T.count_models(T.arrow_instance(n, m, encoding="quotient"), verify=False, keep_proof=False))
        if (n, m) == (4, 4):
            h.compare(f"Arrow SAT count n={n} m={m}", sizes, ours=ours, anchor=None,
                      agreement={"count": q.count, "expected": n, "verified": q.verified},
                      notes="full encoding (3,981,312 variables) not timed", repeat=1)
            continue
        f = T.count_models(T.arrow_instance(n, m, encoding="full"), verify=True, keep_proof=False)
        agree = {"count_quotient": q.count, "count_full": f.count, "expected": n,
                 "vars_full": f.n_variables, "clauses_full": f.n_clauses,
                 "vars_quotient": q.n_variables, "clauses_quotient": q.n_clauses}
        if not (q.count == f.count == n):
            raise AssertionError(f"SAT counts disagree: {agree}")
        h.compare(f"Arrow SAT count n={n} m={m}", sizes, ours=ours,
                  anchor=("SAT, full per-profile encoding (spec §4.4 sizes)",
                          lambda: T.count_models(T.arrow_instance(n, m, encoding="full"), verify=False,
                                                 keep_proof=False)),
                  agreement=agree, target="report", repeat=1 if m == 4 else 3)
    sizes = {"k_X": 4, "m": 3, "axioms": "SP+SIIA+AAC"}
    a = T.count_representative_swfs(4, aac=True, encoding="quotient", keep_proof=False)
    b = T.count_representative_swfs(4, aac=True, encoding="full", keep_proof=False)
    if a.count != b.count or a.count != 24:
        raise AssertionError("R2 count disagrees")
    h.compare("R2 SAT count k_X=4 with AAC", sizes,
              ours=("quotient encoding", lambda: T.count_models(
                  T.representative_instance(4, 3, aac=True, encoding="quotient"), verify=False, keep_proof=False)),
              anchor=("full encoding", lambda: T.count_models(
                  T.representative_instance(4, 3, aac=True, encoding="full"), verify=False, keep_proof=False)),
              agreement={"count": a.count}, target="report", repeat=3)


def _welfare(h, rng, quick):
    import jax

    from aligntheory.kernels import social_choice as K

    b, n, f, k, q = (1000, 1000, 101, 500, 20) if quick else (10_000, 1000, 101, 500, 20)
    util = rng.integers(0, 2, (k, 2)).astype(np.float64)
    issues = rng.integers(0, q, k)
    pol = rng.integers(0, 2, (f, q))
    S = np.asarray(K.sample_pairs(jax.random.PRNGKey(0), np.full(k, 1.0 / k), n, b))
    Sd = jax.device_put(S)

    def ours():
        return block(K.empirical_welfare_batched(Sd, util, issues, pol, chunk=500, validate=False))

    def anchor():
        out = np.empty((b, f))
        for i in range(0, b, 500):
            s = S[i:i + 500]
            out[i:i + 500] = util[s[:, None, :], pol[:, issues[s]].transpose(1, 0, 2)].mean(axis=-1)
        return out

    diff = float(np.max(np.abs(np.asarray(ours()) - anchor())))
    if diff > 1e-12:
        raise AssertionError(f"empirical_welfare disagrees with numpy by {diff}")
    h.compare("empirical_welfare (gather + mean)", {"B": b, "N": n, "|F|": f},
              ours=("jax vmap + lax.map chunks of 500", ours), anchor=("numpy fancy indexing, chunks of 500", anchor),
              agreement={"max_abs_diff": diff}, target="report", repeat=2)


def run(h) -> None:
    rng = np.random.default_rng(0)
    _voting(h, rng, 1000, 101, 5, repeat=3)
    if not h.quick:
        _voting(h, rng, 10_000, 101, 5, repeat=2)
        _voting(h, rng, 1000, 1001, 8, repeat=2)
    _sat(h, h.quick)
    _welfare(h, rng, h.quick)
