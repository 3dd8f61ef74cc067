"""Round-9 claims (issue 11): pins found by the sixth fresh mutation sample (docs/mutation-report/fresh-r8).

``progress.coevolution_kernel_tables`` -- the coevolution kernels and closed forms against routes written here:
:func:`~aligntheory.kernels.progress.coevolve_score` against the definition (a double loop over cosines) on shapes
with ONE simulated or ONE actual row, rows 1e300 and 1e-300 in size and d = 1;
:func:`~aligntheory.theory.progress.steady_state_lag` against v (1 + kappa (1 - m)) / alpha, with alpha = 0 refused
as the documented ``InvalidInputError`` (not as instability); :func:`~aligntheory.kernels.progress.simulate_coevolution`
noise-free against the recurrence in Python floats (integer and fractional m, h_prev != h_init), and
:func:`~aligntheory.kernels.progress.simulate_coevolution_batched` noise-free against the same recurrence.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_EPS = float(np.finfo(np.float64).eps)


def _score_pred(S: np.ndarray, A: np.ndarray) -> float:
    """The coevolve score by its definition: mean over (j, i) of max_{i' >= i} cos(s_j, a_i'), in Python floats
    (each vector scaled by its largest magnitude first so that 1e300 and 1e-300 rows stay in range)."""

    def unit(v):
        top = max(abs(x) for x in v)
        v = [x / top for x in v]
        n = math.sqrt(math.fsum(x * x for x in v))
        return [x / n for x in v]

    Su, Au = [unit(list(map(float, s))) for s in S], [unit(list(map(float, a))) for a in A]
    tot = []
    for s in Su:
        cos = [math.fsum(x * y for x, y in zip(s, a)) for a in Au]
        tot.extend(max(cos[i:]) for i in range(len(cos)))
    return math.fsum(tot) / len(tot)


def _recurrence(alpha, kappa, m, P, h0, hp):
    """h_{t+1} = (1 - alpha - kappa) h_t + alpha p_t + kappa a_t, a_t = h_{t-1} + m (h_{t-1} - h_{t-2}); returns the
    states h_0..h_{T-1} and AI outputs a_0..a_{T-1} (h_{-1} = h_{-2} = h_prev), in Python floats."""
    T, d = P.shape
    H, A = np.zeros((T, d)), np.zeros((T, d))
    for j in range(d):
        h, h1, h2 = float(h0[j]), float(hp[j]), float(hp[j])
        for t in range(T):
            a = h1 + m * (h1 - h2)
            H[t, j], A[t, j] = h, a
            h, h1, h2 = (1.0 - alpha - kappa) * h + alpha * float(P[t, j]) + kappa * a, h, h1
    return H, A


@claim(
    id="progress.coevolution_kernel_tables",
    statement="The coevolution kernels equal their definitions: coevolve_score (kernel) is the mean over (j, i) of "
    "max_{i' >= i} cos(s_j, a_i') also with one simulated or one actual row, rows of size 1e300 and 1e-300 and d = 1, "
    "and so is the theory coevolve_score; cosine, follow_score and predict_score (at T - 1 + horizon = N and T = 1; one past N "
    "is refused naming horizon) are their definitions; "
    "steady_state_lag is v (1 + kappa (1 - m)) / alpha on stable parameters and refuses alpha = 0 and alpha < 0 with "
    "InvalidInputError naming alpha, and its .sympy() (real symbols) evaluates at its substitutions to the value; "
    "coevolve_score refuses rows of different dimensions; simulate_coevolution and simulate_coevolution_batched with noise_sd = 0 follow "
    "h_{t+1} = (1 - alpha - kappa) h_t + alpha p_t + kappa (h_{t-1} + m (h_{t-1} - h_{t-2})) exactly as written, "
    "also from their documented default start h_init = progress[0] (and h_prev = h_init).",
    source=[Source(key="qiu2024progressgym", where="§4 coevolve challenge; our A-T5, A-T6")],
    provenance="M",
    kind="theorem",
    tolerance="scores: absolute 1e-14 (cosines in [-1, 1], d <= 3 products); lag: relative 4 eps (three roundings); "
    "trajectories: relative 1e-12 with floor the largest |h| (the same operations in a different order: about "
    "T eps of the scale, T = 30)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_coevolution_kernel_tables(ctx: Context) -> Evidence:  # noqa: PLR0915 -- one table
    """Predicted: the definitions written here in Python floats. Measured: the kernels ``coevolve_score``,
    ``simulate_coevolution``, ``simulate_coevolution_batched`` and the closed form ``steady_state_lag``.
    Tolerance: see the claim (rounding of the same arithmetic)."""
    import jax

    import aligntheory.kernels.progress as K
    import aligntheory.theory.progress as T
    from aligntheory.errors import InvalidInputError

    rng = ctx.rng(92)
    rows, bad = {}, []
    A = rng.normal(size=(3, 3))
    score_cases = {
        "5 x 3 simulated, 3 actual": (rng.normal(size=(5, 3)), A),
        "one actual row": (rng.normal(size=(4, 3)), A[:1]),
        "one simulated row": (rng.normal(size=(1, 3)), A),
        "one row each": (rng.normal(size=(1, 3)), A[2:3]),
        "rows 1e300 and 1e-300": (np.array([[1e300, -3e299, 2e300], [1e-300, 4e-301, -2e-300]]),
                                  A * np.array([[1e-300], [1.0], [1e300]])),
        "d = 1, signs": (np.array([[1.0], [-2.0], [3.0]]), np.array([[-1.0], [0.5]])),
    }
    for label, (S, Ac) in score_cases.items():
        try:
            got = float(K.coevolve_score(S, Ac))
            e = abs(got - _score_pred(S, Ac))
        except Exception as exc:  # noqa: BLE001 -- a refusal of a valid input is the failure looked for
            got, e = repr(exc), math.inf
        rows[f"coevolve_score {label}"] = e
        if not e <= 1e-14:
            bad.append(f"coevolve_score {label}: got {got}, error {e:.3g}")
    # the theory scores: cosine, follow_score, predict_score (at T - 1 + horizon = N and one past), coevolve_score

    def cos(x, y):
        return _score_pred(np.asarray(x, dtype=float)[None, :], np.asarray(y, dtype=float)[None, :])

    Aa, Ee = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    Ee[0] *= 1e300
    preds = {"cosine": (lambda: T.cosine(Aa[0] * 1e-300, Ee[1]), cos(Aa[0] * 1e-300, Ee[1])),
             "follow_score": (lambda: T.follow_score(Aa, Ee), float(np.mean([cos(a, e) for a, e in zip(Aa, Ee)]))),
             "predict_score T = 3, horizon 3 (= N - T + 1)": (lambda: T.predict_score(Aa, Ee[:3], 3),
                                                               float(np.mean([cos(Aa[t + 3], Ee[t]) for t in range(3)]))),
             "predict_score T = 1, horizon 1": (lambda: T.predict_score(Aa, Ee[:1], 1), cos(Aa[1], Ee[0])),
             "theory coevolve_score, one actual row": (lambda: T.coevolve_score(Ee, Aa[:1]), _score_pred(Ee, Aa[:1])),
             "theory coevolve_score 6 x 6": (lambda: T.coevolve_score(Ee, Aa), _score_pred(Ee, Aa))}
    for label, (call, pred) in preds.items():
        try:
            got = float(call())
            e = abs(got - pred)
        except Exception as exc:  # noqa: BLE001 -- a refusal of a valid input is the failure looked for
            got, e = repr(exc), math.inf
        rows[label] = e
        if not e <= 1e-14:
            bad.append(f"{label}: got {got}, predicted {pred}")
    try:
        T.predict_score(Aa, Ee[:3], 4)
        res = "accepted"
    except InvalidInputError as exc:
        res = f"InvalidInputError({exc.argument})"
    rows["predict_score T = 3, horizon 4 (one past N)"] = res
    if res != "InvalidInputError(horizon)":
        bad.append(f"predict_score one past the trajectory: {res}")
    # steady_state_lag: (alpha, kappa, v, m) stable, and the refusals of alpha <= 0
    for a, k, v, m in ((0.2, 0.3, 0.1, 0), (0.5, -0.4, -2.0, 1), (0.9, 0.05, 3.0, 3), (0.01, 0.0, 1e-3, 0),
                       (float(rng.uniform(0.1, 0.6)), float(rng.uniform(-0.2, 0.2)), float(rng.normal()), 1)):
        got = float(T.steady_state_lag(a, k, v, m))
        pred = v * (1.0 + k * (1 - m)) / a
        e = rel_err(got, pred, floor=1e-300)
        rows[f"steady_state_lag {a, k, v, m}"] = e
        if not e <= 4 * _EPS:
            bad.append(f"steady_state_lag {a, k, v, m}: {got} vs {pred}")
    lag = T.steady_state_lag(0.3, 0.2, 1.5, 1)
    e = lag.sympy()
    sym_ok = all(bool(x.is_real) for x in e.free_symbols)
    sym_val = float(e.subs({x: lag.subs[x.name] for x in e.free_symbols}))
    rows["steady_state_lag .sympy() at its subs"] = sym_val
    if not (sym_ok and rel_err(sym_val, 1.5 * (1.0 + 0.2 * 0) / 0.3, floor=0.0) <= 4 * _EPS):
        bad.append(f"steady_state_lag .sympy(): {e} (real symbols: {sym_ok}) gives {sym_val}")
    try:
        K.coevolve_score(np.ones((3, 2)), np.ones((3, 3)))
        res = "accepted"
    except InvalidInputError as exc:
        res = f"InvalidInputError({exc.argument})"
    except Exception as exc:  # noqa: BLE001 -- another class is the failure looked for
        res = type(exc).__name__
    rows["coevolve_score kernel d = 2 against d = 3"] = res
    if res != "InvalidInputError(simulated, actual)":
        bad.append(f"coevolve_score kernel with different dimensions: {res}")
    for a in (0.0, -1e-300):
        try:
            T.steady_state_lag(a, 0.3, 0.1, 0)
            res = "accepted"
        except InvalidInputError as exc:
            res = f"InvalidInputError({exc.argument})"
        except Exception as exc:  # noqa: BLE001 -- another class is the failure looked for
            res = type(exc).__name__
        rows[f"steady_state_lag alpha = {a}"] = res
        if res != "InvalidInputError(alpha)":
            bad.append(f"steady_state_lag alpha = {a}: {res}")
    # noise-free trajectories against the recurrence
    Tn, d = 30, 2
    P = np.cumsum(rng.normal(size=(Tn, d)), axis=0)
    h0, hp = rng.normal(size=d), rng.normal(size=d)
    key = ctx.key(92)
    for a, k, m in ((0.3, 0.2, 0.5), (0.25, 0.3, 2.0), (0.6, -0.3, 0.0)):
        path = K.simulate_coevolution(key, a, k, m, P, 0.0, h_init=h0, h_prev=hp)
        H, Ai = _recurrence(a, k, m, P, h0, hp)
        scale = float(max(np.max(np.abs(H)), np.max(np.abs(Ai))))
        e = max(rel_err(np.asarray(path.human), H, floor=scale), rel_err(np.asarray(path.ai), Ai, floor=scale))
        rows[f"simulate_coevolution {a, k, m}"] = e
        if not e <= 1e-12:
            bad.append(f"simulate_coevolution {a, k, m}: relative error {e:.3g}")
    # the documented defaults: h_init = progress[0], h_prev = h_init (P[0] != P[1] here, so a shifted row shows)
    path = K.simulate_coevolution(key, 0.3, 0.2, 0.5, P, 0.0)
    H, Ai = _recurrence(0.3, 0.2, 0.5, P, P[0], P[0])
    scale = float(max(np.max(np.abs(H)), np.max(np.abs(Ai))))
    e = max(rel_err(np.asarray(path.human), H, floor=scale), rel_err(np.asarray(path.ai), Ai, floor=scale))
    rows["simulate_coevolution, default h_init and h_prev"] = e
    if not e <= 1e-12:
        bad.append(f"simulate_coevolution with the default h_init = progress[0]: relative error {e:.3g}")
    al, ka = np.array([0.3, 0.6]), np.array([0.2, -0.3])
    for start, h_kw in (("h_init", {"h_init": h0}), ("default h_init = progress[0]", {})):
        Bt = np.asarray(K.simulate_coevolution_batched(jax.random.PRNGKey(0), al, ka, 1.0, P, 0.0, 2, **h_kw))
        want_shape = (2, 2, Tn, d)
        if Bt.shape != want_shape:
            bad.append(f"simulate_coevolution_batched ({start}): shape {Bt.shape}, expected {want_shape}")
            continue
        s0 = h0 if h_kw else P[0]
        for i in range(2):
            H, _ = _recurrence(float(al[i]), float(ka[i]), 1.0, P, s0, s0)
            e = max(rel_err(Bt[i, s], H, floor=float(np.max(np.abs(H)))) for s in range(2))
            rows[f"simulate_coevolution_batched {al[i], ka[i]} ({start})"] = e
            if not e <= 1e-12:
                bad.append(f"simulate_coevolution_batched {al[i], ka[i]} ({start}): relative error {e:.3g}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted="the definitions and the recurrence written here",
        measured=rows,
        tolerance="scores 1e-14 absolute; lag 4 eps relative; trajectories 1e-12 relative",
        why="the same arithmetic in another order",
        sizes={"steps": Tn, "dimension": d},
        counterexample=None if ok else {"failed": bad},
    )
