"""Round-8 claims (issue 11): pins found by the fifth fresh mutation sample (docs/mutation-report/fresh-r7).

``arena.several_covariates_information_closed_form``: with three covariates (style control), the leaderboard's
estimates are the penalised MLE and its standard errors the pseudo-inverse of the observed information, both
written out in closed form here (half and Davidson tie models), including the covariate-covariate block and the
tie-parameter-covariate block of the information that no one-covariate check reaches.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Verdict, claim
from aligntheory.proofs_check.arena import _SRC_FISHER, _frame, _random_battles

_K = 3  # covariates


def _design(n: int, a: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Rows z = (e_a - e_b, x) of the linear predictor d = s_a - s_b + x.gamma."""
    m = len(a)
    Z = np.zeros((m, n + X.shape[1]))
    Z[np.arange(m), a] += 1.0
    Z[np.arange(m), b] -= 1.0
    Z[:, n:] = X
    return Z


def half_information(n, a, b, o, X, s, gam, lam):
    """Gradient and observed information of the half model (a tie is half a win each way), written out.

    ell = sum_rows y log sigma(d) + (1 - y) log sigma(-d) - lam/2 |gamma|^2, y = 1, 0, 1/2;
    grad = Z^T (y - sigma(d)) - lam (0, gamma); information = Z^T diag(sigma(d) sigma(-d)) Z + lam on the gamma block.
    """
    Z = _design(n, a, b, X)
    d = Z @ np.concatenate([s, gam])
    y = np.where(o == 0, 1.0, np.where(o == 1, 0.0, 0.5))
    g = Z.T @ (y - expit(d))
    g[n:] -= lam * gam
    I = (Z * (expit(d) * expit(-d))[:, None]).T @ Z
    I[n:, n:] += lam * np.eye(len(gam))
    return g, I


def davidson_information(n, a, b, o, X, s, lognu, gam, lam):
    """Gradient and observed information of the Davidson model in (s, log nu, gamma), written out.

    log P = d/2 | -d/2 | log nu  minus log z, z = e^{d/2} + e^{-d/2} + nu: the outcome enters linearly, so the
    information is sum_rows J^T Hess(log z) J with J = d(d, log nu)/d(s, log nu, gamma), plus lam on gamma.
    """
    Z = _design(n, a, b, X)
    d = Z @ np.concatenate([s, gam])
    A, Bv, C = np.exp(d / 2), np.exp(-d / 2), np.exp(lognu) * np.ones_like(d)
    z = A + Bv + C
    zd, zt = (A - Bv) / 2, C  # first derivatives of z in d and in tau = log nu
    zdd, ztt = (A + Bv) / 4, C  # second derivatives (the mixed one is 0)
    hdd = zdd / z - zd**2 / z**2
    htt = ztt / z - zt**2 / z**2
    hdt = -zd * zt / z**2
    lin_d = np.where(o == 0, 0.5, np.where(o == 1, -0.5, 0.0))  # d/dd of the outcome's linear part
    lin_t = (o == 2).astype(float)
    P = n + 1 + X.shape[1]
    J = np.zeros((len(d), P))  # d(d)/d(theta) in the order (s, tau, gamma)
    J[:, :n], J[:, n + 1:] = Z[:, :n], Z[:, n:]
    e_t = np.zeros(P)
    e_t[n] = 1.0
    g = J.T @ (lin_d - zd / z) + e_t * np.sum(lin_t - zt / z)
    g[n + 1:] -= lam * gam
    Jt = np.zeros_like(J)
    Jt[:, n] = 1.0
    I = ((J * hdd[:, None]).T @ J + (J * hdt[:, None]).T @ Jt + (Jt * hdt[:, None]).T @ J
         + (Jt * htt[:, None]).T @ Jt)
    I[n + 1:, n + 1:] += lam * np.eye(X.shape[1])
    return g, I


def _pinv_centred(I: np.ndarray, n: int) -> np.ndarray:
    """Covariance on the centred strengths: pinv of the information restricted to sum(s) = 0."""
    Pj = np.eye(len(I))
    Pj[:n, :n] -= 1.0 / n
    return np.linalg.pinv(Pj @ I @ Pj, rcond=1e-12, hermitian=True)


def _covariate_data(ctx: Context):
    rng = ctx.rng(801)
    n, m = 5, ctx.pick(quick=300, full=3000)
    a, b = _random_battles(rng, n, m)
    s = rng.normal(scale=0.6, size=n)
    X = np.round(rng.normal(size=(m, _K)), 3)
    X[:, 2] = np.round(0.7 * X[:, 0] + 0.5 * X[:, 2], 3)  # correlated covariates: off-diagonal information
    gam = np.array([0.4, -0.3, 0.2])
    d = s[a] - s[b] + X @ gam
    nu = 0.8
    zz = np.exp(d / 2) + np.exp(-d / 2) + nu
    u = rng.random(m)
    pw, pt = np.exp(d / 2) / zz, nu / zz
    o = np.where(u < pw, 0, np.where(u < pw + pt, 2, 1))
    w = np.array(["model_a", "model_b", "tie"], dtype=object)[o]
    fr = _frame(a, b, w, n)
    for q in range(_K):
        fr[f"x{q}"] = X[:, q]
    lam = float(rng.uniform(0.5, 2.0))
    return n, m, a, b, o, X, fr, lam


@claim(
    id="arena.several_covariates_information_closed_form",
    statement="With several covariates (style control), the leaderboard's strengths, tie parameter and covariate "
    "coefficients are the penalised MLE (the closed-form gradient of the half / Davidson log-likelihood with L2 "
    "penalty lam/2 |gamma|^2 is within the documented relative-gradient tolerance tol = 1e-9 of zero, per battle), "
    "and stderr, tie_parameter_stderr (delta method: se(nu) = nu se(log nu)) and gamma_stderr are the square roots "
    "of the diagonal of the pseudo-inverse of the closed-form observed information on the centred strengths.",
    source=[_SRC_FISHER],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-7 (floor 1e-10) on the standard errors: the closed-form information and the library's, "
    "both at the reported estimate, agree to rounding (a 9x9 matrix of condition <= 1e4); the max |gradient| / "
    "n_battles <= 1e-9 (the documented tol) plus 1e-12 (rounding of the centring and natural-scale read-back)",
    rice={"R"},
    stage="backward:assurance",
)
def check_several_covariates_information(ctx: Context) -> Evidence:
    """Predicted: the gradient and the observed information of the penalised log-likelihood written in closed form
    here (no library code); measured: ``leaderboard(..., covariates=[x0, x1, x2], penalty=lam)`` estimates and
    standard errors, natural scale, no bootstrap.

    Tolerance: the information is evaluated at the reported estimate on both sides, so the standard errors differ by
    rounding only (relative ~1e-12); 1e-7 leaves room for the inversion's conditioning. A mis-placed block of the
    information (a covariate's column written into a neighbouring column) moves some standard error by > 1 %.
    """
    from aligntheory.analysis.arena import leaderboard

    n, m, a, b, o, X, fr, lam = _covariate_data(ctx)
    covs = [f"x{q}" for q in range(_K)]
    errs, grads = {}, {}
    for t in ("half", "davidson"):
        lb = leaderboard(fr, ties=t, covariates=covs, penalty=lam, n_bootstrap=0, scale="natural")
        idx = [lb.index(f"m{i:02d}") for i in range(n)]
        s = np.asarray(lb.scores)[idx]
        gam = np.asarray(lb.gamma)
        if t == "half":
            g, I = half_information(n, a, b, o, X, s, gam, lam)
            got = np.concatenate([np.asarray(lb.stderr)[idx], lb.gamma_stderr])
            se = np.sqrt(np.diag(_pinv_centred(I, n)))
        else:
            nu = float(lb.tie_parameter)
            g, I = davidson_information(n, a, b, o, X, s, np.log(nu), gam, lam)
            got = np.concatenate([np.asarray(lb.stderr)[idx], [lb.tie_parameter_stderr], lb.gamma_stderr])
            se = np.sqrt(np.diag(_pinv_centred(I, n)))
            se[n] *= nu
        errs[t] = rel_err(got, se, floor=1e-10)
        grads[t] = float(np.abs(g).max() / m)
    bad = [f"{t}: stderr rel_err {v:.2e}" for t, v in errs.items() if not v <= 1e-7]
    bad += [f"{t}: |gradient|/m {v:.2e} > tol" for t, v in grads.items() if not v <= 1e-9 + 1e-12]
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted="closed-form gradient 0 (to tol) and sqrt diag pinv of the closed-form information",
        measured={"stderr_rel_err": errs, "relative_gradient": grads},
        tolerance=1e-7,
        why="both sides evaluate the information at the same estimate: rounding only",
        sizes={"n_models": n, "n_battles": m, "n_covariates": _K},
        details="; ".join(bad) if bad else f"standard errors match (worst {max(errs.values()):.1e})",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


# with a prior every bootstrap round has a MAP: none may fail, even on lopsided data whose resamples start far from
# their optimum (the point estimate), where a full Newton step lowers the objective and the step must be halved


@claim(
    id="arena.prior_keeps_every_lopsided_bootstrap_round",
    statement="With prior_strength > 0 the MAP estimate exists for every dataset (documented), so no bootstrap round "
    "is left out: on two models with lopsided data (w wins, 1 loss, t ties: most resamples' optimum lies far "
    "from the point estimate every round starts from; Davidson, and Davidson and half with a penalised covariate) n_bootstrap_failed = 0, bootstrap has n_bootstrap finite rows, "
    "the interval ends are finite with ci_low <= ci_high, and the point fit converged.",
    source=[_SRC_FISHER],
    provenance="M",
    kind="theorem",
    tolerance="exact: counts of rounds and finiteness",
    rice={"R"},
    stage="backward:assurance",
)
def check_prior_keeps_every_lopsided_round(ctx: Context) -> Evidence:
    """Predicted: 0 failed rounds and B finite rows (a MAP exists in every round: Ford's condition is met through
    the virtual model); measured: ``leaderboard(..., ties="davidson", prior_strength=1, n_bootstrap=B)``.

    Tolerance: exact. A resample with 3 or more losses (1 in the data) has its optimum where the point estimate's
    curvature is far smaller, so the full Newton step from it overshoots and must be halved; a line search that
    does not reduce the step (or re-evaluates the objective at the wrong point) leaves such rounds unconverged after
    ``maxiter`` steps and they are reported failed.
    """
    from aligntheory.analysis.arena import leaderboard

    rng = ctx.rng(802)
    B = ctx.pick(quick=200, full=1000)
    rows, bad = {}, []
    cases = [(30, 1, "davidson", False), (int(rng.integers(50, 70)), 2, "davidson", False),
             (30, 1, "davidson", True), (30, 1, "half", True)]
    for w, t, ties, cov in cases:
        N = w + 1 + t
        order = rng.permutation(N)
        win = np.array(["model_a"] * w + ["model_b"] + ["tie"] * t, dtype=object)[order]
        fr = {"model_a": ["x"] * N, "model_b": ["y"] * N, "winner": win}
        kw = {}
        if cov:  # a covariate with its L2 penalty: the line search also weighs the penalty
            fr["len"], kw = np.linspace(-1.0, 1.0, N), {"covariates": ["len"], "penalty": 1.0}
        lb = leaderboard(fr, ties=ties, prior_strength=1.0, n_bootstrap=B, seed=int(rng.integers(2**31)),
                         scale="natural", **kw)
        boot = np.asarray(lb.bootstrap)
        r = {"failed": lb.n_bootstrap_failed, "rows": int(boot.shape[0]), "finite": bool(np.isfinite(boot).all()),
             "ci finite": bool(np.isfinite(lb.ci_low).all() and np.isfinite(lb.ci_high).all()),
             "converged": lb.converged}
        key = f"{ties}, w={w}, l=1, t={t}{', covariate' if cov else ''}"
        rows[key] = r
        if not (r["failed"] == 0 and r["rows"] == B and r["finite"] and r["ci finite"] and r["converged"]
                and np.all(np.asarray(lb.ci_low) <= np.asarray(lb.ci_high))):
            bad.append({key: r})
    return Evidence(
        Verdict.of(not bad),
        predicted={"failed": 0, "rows": B},
        measured=rows,
        tolerance="exact",
        why="a MAP exists in every round (prior_strength > 0)",
        sizes={"rounds": B},
        details="every round kept" if not bad else f"rounds lost: {bad}",
        counterexample=None if not bad else {"seed": ctx.seed, "cases": bad},
    )


@claim(
    id="arena.bootstrap_rounds_in_draw_order",
    statement="Leaderboard.bootstrap lists the rounds in the order they are drawn (documented): with the same seed, "
    "the rows of a run with n_bootstrap = B are the first B rows of a run with n_bootstrap = B' > B (half ties by "
    "chord steps, Davidson by batched Newton, a prior, a cluster column, a run with failed rounds left out).",
    source=[_SRC_FISHER],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-7 (floor 1e-3) per entry: both runs fit the same resample to relative gradient 1e-9, so "
    "a round is reproduced to ~1e-8; another round differs by the resampling noise, >= 1e-2 here",
    rice={"R"},
    stage="backward:assurance",
)
def check_bootstrap_rounds_in_draw_order(ctx: Context) -> Evidence:
    """Predicted: ``bootstrap`` of the run with B rounds; measured: the first B rows of the run with B' rounds
    (natural scale), B, B' drawn from the context.

    Tolerance: relative 1e-7 with floor 1e-3: the same resample fitted twice agrees to the stopping rule's ~1e-8;
    rows out of order, or one round written over another, differ by resampling noise (~0.1).
    """
    from aligntheory.analysis.arena import leaderboard

    rng = ctx.rng(803)
    n, m = 5, 120
    a, b = _random_battles(rng, n, m)
    s = rng.normal(scale=0.8, size=n)
    d = s[a] - s[b]
    zz = np.exp(d / 2) + np.exp(-d / 2) + 0.8
    u = rng.random(m)
    o = np.where(u < np.exp(d / 2) / zz, 0, np.where(u < (np.exp(d / 2) + 0.8) / zz, 2, 1))
    fr = _frame(a, b, np.array(["model_a", "model_b", "tie"], dtype=object)[o], n)
    fr["judge"] = rng.integers(0, 9, m)
    lop = {"model_a": ["x"] * 32, "model_b": ["y"] * 32, "winner": ["model_a"] * 30 + ["model_b", "tie"]}
    B = int(rng.integers(3, 8))
    B2 = B + int(rng.integers(2, 9))
    seed = int(rng.integers(2**31))
    cases = {"half (chord)": (fr, {}), "davidson (Newton)": (fr, {"ties": "davidson"}),
             "prior 1": (fr, {"prior_strength": 1.0}), "cluster judge": (fr, {"cluster": "judge"}),
             "lopsided, failed rounds": (lop, {"n_bootstrap_rounds": 40})}
    errs, bad = {}, []
    import warnings

    for label, (data, kw) in cases.items():
        kw = dict(kw)
        b1, b2 = (B, B2) if "n_bootstrap_rounds" not in kw else (kw.pop("n_bootstrap_rounds"), 60)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            l1 = leaderboard(data, n_bootstrap=b1, seed=seed, scale="natural", **kw)
            l2 = leaderboard(data, n_bootstrap=b2, seed=seed, scale="natural", **kw)
        x1, x2 = np.asarray(l1.bootstrap), np.asarray(l2.bootstrap)
        k = x1.shape[0]
        if x2.shape[0] < k or x1.shape[0] + l1.n_bootstrap_failed != b1:
            bad.append(f"{label}: shapes {x1.shape}, {x2.shape}")
            continue
        errs[label] = rel_err(x2[:k], x1, floor=1e-3)
        if not errs[label] <= 1e-7:
            bad.append(f"{label}: rel_err {errs[label]:.2e}")
    return Evidence(
        Verdict.of(not bad),
        predicted="the B-round run's rows",
        measured={"rel_err": errs},
        tolerance=1e-7,
        why="the same resample fitted twice agrees to the stopping rule",
        sizes={"B": B, "B'": B2},
        details="; ".join(bad) if bad else "rows in draw order",
        counterexample=None if not bad else {"seed": ctx.seed, "failures": bad},
    )


def default_cap_cases() -> list:
    """Contract rows for ``arena.failure_contract``: the documented DEFAULT caps of ``leaderboard`` at and one past
    their values (max_models = 5000, max_bootstrap = 100_000, max_bootstrap_cells = 100_000_000; maxiter = 100).

    "At the cap" is accepted by the cap check and then refused for another documented reason that comes before any
    fitting: a chain of one-way wins is not strongly connected (DisconnectedGraphError), so the rows stay cheap
    (prior_strength = 0 is passed explicitly: with a prior the chain would be fitted; its default is pinned elsewhere).
    """
    from aligntheory.analysis.arena import leaderboard
    from aligntheory.errors import DisconnectedGraphError, SizeCapError
    from aligntheory.proofs_check._helpers import ContractCase

    def chain(k: int) -> dict:
        names = [f"c{i:05d}" for i in range(k)]
        return {"model_a": names[:-1], "model_b": names[1:], "winner": ["model_a"] * (k - 1)}

    c5000, c5001, c16, c17 = chain(5000), chain(5001), chain(16), chain(17)
    far = {"model_a": ["a"] * 61, "model_b": ["b"] * 61, "winner": ["model_a"] * 60 + ["model_b"]}

    def steps_at_default_maxiter() -> bool:
        # tol = 1e-300 is never reached (the relative gradient stops near 1e-17): the fit takes exactly maxiter steps
        from aligntheory.errors import ConvergenceError

        try:
            leaderboard(far, n_bootstrap=0, tol=1e-300)
        except ConvergenceError as e:
            if e.iterations != 100:
                raise AssertionError(f"default maxiter: {e.iterations} Newton steps, documented 100") from None
            return True
        raise AssertionError("tol = 1e-300 reached")

    return [
        ContractCase("default maxiter: an unreachable tol stops after exactly 100 steps", steps_at_default_maxiter),
        ContractCase("default max_models: 5000 models pass the cap",
                     lambda: leaderboard(c5000, n_bootstrap=0, prior_strength=0.0), (DisconnectedGraphError, None)),
        ContractCase("default max_models: 5001 models refused",
                     lambda: leaderboard(c5001, n_bootstrap=0), (SizeCapError, "n_models")),
        ContractCase("default max_bootstrap: 100_000 rounds pass the cap",
                     lambda: leaderboard(c16, n_bootstrap=100_000, prior_strength=0.0), (DisconnectedGraphError, None)),
        ContractCase("default max_bootstrap: 100_001 rounds refused",
                     lambda: leaderboard(c16, n_bootstrap=100_001), (SizeCapError, "n_bootstrap")),
        ContractCase("default max_bootstrap_cells: 16 x 6_250_000 = 1e8 cells pass the cap",
                     lambda: leaderboard(c16, n_bootstrap=6_250_000, max_bootstrap=10**7, prior_strength=0.0),
                     (DisconnectedGraphError, None)),
        ContractCase("default max_bootstrap_cells: 17 x 5_882_353 = 1e8 + 1 cells refused",
                     lambda: leaderboard(c17, n_bootstrap=5_882_353, max_bootstrap=10**7),
                     (SizeCapError, "n_bootstrap * n_models")),
    ]
