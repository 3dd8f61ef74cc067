"""Helpers every claim uses, so claims are written one way (docs/DESIGN.md §7).

* :func:`rel_err` / :func:`within` -- relative error with an absolute floor, the one tolerance
  rule for numerical agreement;
* :func:`slope_fit` -- OLS slope of ``log y`` (or ``y``) on ``log x`` with a bootstrap interval over
  the replicates;
* :func:`bounded_quotient` -- the check of an asymptotic (Θ/O) statement: ``measured / rate`` stays in
  fixed bounds over a range of sizes *and* shows no drift;
* :func:`decide_within` -- the verdict of "equal within a margin" (an equivalence test);
* :func:`decide_hypothesis` -- the verdict of an ``empirical`` or ``reconstruction`` claim from a
  z-score: PASS, CONTRADICTED (decisively opposite), or INCONCLUSIVE (underpowered);
* :func:`exceedance_band` -- a Clopper--Pearson interval for a rate of exceedances;
* :func:`predicted_vs_measured` -- the standard figure;
* :class:`ContractCase` / :func:`check_contract` / :func:`contract_evidence` -- a ``contract`` claim's
  table of boundary inputs (accepted side and refused side of each documented constraint) and its evidence.

Randomness comes only from :meth:`Context.rng` / :meth:`Context.key` and sizes only from
:meth:`Context.pick`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from aligntheory.errors import InvalidInputError
from aligntheory.proofs_check._registry import Evidence, Figure, Series, Verdict

__all__ = [
    "rel_err",
    "within",
    "SlopeFit",
    "slope_fit",
    "QuotientCheck",
    "bounded_quotient",
    "decide_hypothesis",
    "decide_within",
    "exceedance_band",
    "predicted_vs_measured",
    "ContractCase",
    "check_contract",
    "contract_evidence",
]


def rel_err(measured: Any, predicted: Any, *, floor: float = 0.0) -> float:
    """Largest ``|measured - predicted| / max(|predicted|, floor)`` over the entries.

    ``floor`` is the absolute scale below which a relative error is meaningless (derived from the
    numerics: for instance ``n * eps * max|x|``). Non-finite entries give ``inf``.

    Examples
    --------
    >>> rel_err([1.0, 2.0], [1.0, 2.2])
    0.0909...
    >>> rel_err([1e-20], [0.0], floor=1e-12)
    1e-08
    """
    m = np.asarray(measured, dtype=np.float64)
    p = np.asarray(predicted, dtype=np.float64)
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(p))):
        return float("inf")
    den = np.maximum(np.abs(p), floor)
    diff = np.abs(m - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(diff == 0, 0.0, diff / np.where(den > 0, den, np.inf))
    r = np.where((den == 0) & (diff > 0), np.inf, r)
    return float(np.max(r)) if r.size else 0.0


def within(measured: Any, predicted: Any, *, rtol: float, floor: float = 0.0) -> bool:
    """``rel_err(measured, predicted, floor=floor) <= rtol``.

    Examples
    --------
    >>> within(1.0 + 1e-12, 1.0, rtol=1e-10)
    True
    """
    return rel_err(measured, predicted, floor=floor) <= rtol


class SlopeFit(NamedTuple):
    """OLS slope with a bootstrap percentile interval."""

    slope: float
    intercept: float
    ci_low: float
    ci_high: float


def slope_fit(x: Sequence[float], y: Any, *, rng: np.random.Generator, log_x: bool = True, log_y: bool = True,
              n_boot: int = 2000, level: float = 0.95) -> SlopeFit:
    """Slope of ``y`` against ``x`` (log-log by default) with a bootstrap interval.

    Parameters
    ----------
    x : sequence of float, shape (n_sizes,)
    y : array_like, shape (n_sizes,) or (n_sizes, n_replicates)
        With replicates, the fit is on the per-size means and the bootstrap resamples replicates
        within each size; without, it resamples (x, y) points.
    rng : numpy.random.Generator
        From :meth:`Context.rng`.

    Examples
    --------
    >>> fit = slope_fit([1, 2, 4, 8], [1, 4, 16, 64], rng=np.random.default_rng(0))
    >>> round(fit.slope, 12)
    2.0
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    X = np.log(xs) if log_x else xs
    f = np.log if log_y else (lambda v: v)
    if ys.ndim == 1:
        slope, icpt = np.polyfit(X, f(ys), 1)
        idx = rng.integers(0, len(X), size=(n_boot, len(X)))
        boots = []
        for row in idx:
            if np.ptp(X[row]) > 0:
                boots.append(np.polyfit(X[row], f(ys[row]), 1)[0])
        boots = np.asarray(boots)
    else:
        slope, icpt = np.polyfit(X, f(ys.mean(axis=1)), 1)
        r = ys.shape[1]
        pick = rng.integers(0, r, size=(n_boot, ys.shape[0], r))
        means = np.take_along_axis(ys[None, :, :], pick, axis=2).mean(axis=2)  # (n_boot, n_sizes)
        A = np.vstack([X, np.ones_like(X)]).T
        boots = np.linalg.lstsq(A, f(means).T, rcond=None)[0][0]
    a = (1.0 - level) / 2.0
    lo, hi = (np.quantile(boots, [a, 1 - a]) if len(boots) else (np.nan, np.nan))
    return SlopeFit(float(slope), float(icpt), float(lo), float(hi))


class QuotientCheck(NamedTuple):
    """Result of :func:`bounded_quotient`."""

    quotients: tuple[float, ...]
    lower: float
    upper: float
    drift: float
    max_drift: float
    passed: bool


def bounded_quotient(sizes: Sequence[float], measured: Sequence[float], rate: Sequence[float], *,
                     lower: float, upper: float, max_drift: float) -> QuotientCheck:
    """Check ``lower <= measured/rate <= upper`` at every size and ``|drift| <= max_drift``.

    ``drift`` is the OLS slope of ``log(measured/rate)`` against ``log(size)``: a Θ(rate) statement
    allows bounded quotients; a quotient that keeps growing or shrinking across the range would
    be a different rate even if it is still inside the bounds. The constants are fixed in
    advance by the claim.

    Examples
    --------
    >>> n = np.array([2.0**k for k in range(4, 12)])
    >>> bounded_quotient(n, 3 * np.log(n), np.log(n), lower=1, upper=5, max_drift=0.05).passed
    True
    >>> bounded_quotient(n, n, np.log(n), lower=1, upper=1e6, max_drift=0.05).passed
    False
    """
    s = np.asarray(sizes, dtype=np.float64)
    q = np.asarray(measured, dtype=np.float64) / np.asarray(rate, dtype=np.float64)
    if not np.all(np.isfinite(q)) or np.any(q <= 0):
        return QuotientCheck(tuple(map(float, q)), lower, upper, float("nan"), max_drift, False)
    drift = float(np.polyfit(np.log(s), np.log(q), 1)[0]) if len(s) > 1 else 0.0
    ok = bool(np.all(q >= lower) and np.all(q <= upper) and abs(drift) <= max_drift)
    return QuotientCheck(tuple(map(float, q)), lower, upper, drift, max_drift, ok)


def decide_hypothesis(estimate: float, predicted: float, stderr: float, *, kind: str,
                      z_pass: float = 2.0, z_contradict: float = 4.0, min_effect: float = 0.0) -> tuple[Verdict, str]:
    """Verdict of a statistical comparison of a measurement with a prediction.

    For ``kind`` in {"empirical", "reconstruction"} (hypotheses about papers we cannot read in full):
    ``|z| <= z_pass`` gives PASS; ``|z| >= z_contradict`` *and* ``|estimate - predicted| > min_effect``
    gives CONTRADICTED; anything between is INCONCLUSIVE (more replicates decide it). For
    ``kind="theorem"`` a decisive disagreement is a FAIL (a bug), and the middle band also FAILs:
    theorem tolerances are fixed to hold at every seed.

    Returns
    -------
    (Verdict, str)
        The verdict and a sentence saying how many standard errors separate the two.

    Examples
    --------
    >>> decide_hypothesis(1.0, 1.05, 0.05, kind="empirical")[0].value
    'PASS'
    >>> decide_hypothesis(0.2, 2.4, 0.1, kind="reconstruction")[0].value
    'CONTRADICTED'
    >>> decide_hypothesis(1.0, 1.15, 0.05, kind="empirical")[0].value
    'INCONCLUSIVE'
    """
    if not (np.isfinite(estimate) and np.isfinite(predicted) and np.isfinite(stderr)) or stderr < 0:
        return Verdict.FAIL, f"non-finite measurement (estimate {estimate!r}, stderr {stderr!r})"
    diff = estimate - predicted
    z = np.inf if stderr == 0 and diff != 0 else (0.0 if diff == 0 else diff / stderr)
    text = f"measured {estimate:.6g} vs predicted {predicted:.6g}: {abs(z):.3g} standard errors apart (se {stderr:.3g})"
    if abs(z) <= z_pass:
        return Verdict.PASS, text
    if kind == "theorem":
        return Verdict.FAIL, text
    if abs(z) >= z_contradict and abs(diff) > min_effect:
        return Verdict.CONTRADICTED, text
    if abs(z) >= z_contradict:  # decisive in se, but the difference is below the effect that matters
        return Verdict.INCONCLUSIVE, text + (f"; |difference| {abs(diff):.3g} <= min_effect {min_effect:.3g}: "
                                             "significant but too small to contradict the statement")
    return Verdict.INCONCLUSIVE, text + f"; between {z_pass} and {z_contradict} se: more replicates would decide"


def decide_within(estimate: float, predicted: float, stderr: float, *, margin: float, kind: str,
                  z_pass: float = 2.0, z_contradict: float = 4.0) -> tuple[Verdict, str]:
    """Verdict of "the measurement equals the prediction within ``margin``" (an equivalence test).

    For statements of the form "our first-order model is right within a factor 2" (``margin = ln 2``
    on a log scale). With :math:`d = \\text{estimate} - \\text{predicted}` and standard error
    :math:`s`: PASS when :math:`|d| + z_{\\rm pass}\\,s \\le` ``margin`` (the measurement is inside the
    margin by ``z_pass`` standard errors); CONTRADICTED (``kind`` "empirical" or "reconstruction")
    or FAIL (``kind="theorem"``) when :math:`|d| - z_{\\rm contradict}\\,s >` ``margin`` (outside it by
    ``z_contradict``); otherwise INCONCLUSIVE, and the text says how many times the replicates would
    decide (the standard error shrinking as one over the square root of the replicates). Unlike
    :func:`decide_hypothesis` with ``min_effect``, whose INCONCLUSIVE band "significant but smaller than
    the effect that matters" never shrinks with more data, every INCONCLUSIVE here is underpowered.

    Returns
    -------
    (Verdict, str)

    Examples
    --------
    >>> import math
    >>> decide_within(0.50, 0.0, 0.05, margin=math.log(2), kind="empirical")[0].value
    'PASS'
    >>> decide_within(1.50, 0.0, 0.05, margin=math.log(2), kind="empirical")[0].value
    'CONTRADICTED'
    >>> v, text = decide_within(0.50, 0.0, 0.12, margin=math.log(2), kind="empirical")
    >>> v.value, "about 1.5x the replicates" in text
    ('INCONCLUSIVE', True)
    """
    if not (np.isfinite(estimate) and np.isfinite(predicted) and np.isfinite(stderr)) or stderr < 0 \
            or not (np.isfinite(margin) and margin >= 0):
        return Verdict.FAIL, (f"non-finite measurement or margin (estimate {estimate!r}, stderr {stderr!r}, "
                              f"margin {margin!r})")
    d = abs(estimate - predicted)
    z_eq = np.inf if stderr == 0 and d > 0 else (0.0 if d == 0 else d / stderr)
    text = (f"measured {estimate:.6g} vs predicted {predicted:.6g}: |difference| {d:.3g} against the margin "
            f"{margin:.3g} (se {stderr:.3g}; exact equality {z_eq:.3g} se away)")
    if d + z_pass * stderr <= margin:
        return Verdict.PASS, text + f"; inside the margin by {z_pass} se or more"
    if d - z_contradict * stderr > margin:
        return (Verdict.FAIL if kind == "theorem" else Verdict.CONTRADICTED), \
            text + f"; outside the margin by more than {z_contradict} se"
    if kind == "theorem":
        return Verdict.FAIL, text + "; not inside the margin by the required standard errors"
    if d == margin:
        return Verdict.INCONCLUSIVE, text + "; exactly at the margin: no number of replicates decides"
    need = (margin - d) / z_pass if d < margin else (d - margin) / z_contradict
    return Verdict.INCONCLUSIVE, text + (f"; the interval straddles the margin: about {(stderr / need) ** 2:.2g}x "
                                         "the replicates would decide")


def exceedance_band(k: int, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Clopper--Pearson interval for a binomial rate ``k / n`` (scipy's exact binomial CI).

    Examples
    --------
    >>> lo, hi = exceedance_band(5, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.0164, 0.1128)
    """
    from scipy.stats import binomtest

    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="exact")
    return float(ci.low), float(ci.high)


def predicted_vs_measured(title: str, x: Sequence[float], predicted: Sequence[float], measured: Sequence[float], *,
                          xlabel: str, ylabel: str, logx: bool = False, logy: bool = False,
                          band: tuple[Sequence[float], Sequence[float]] | None = None) -> Figure:
    """The standard figure: predicted line, measured points, optional tolerance band.

    Examples
    --------
    >>> fig = predicted_vs_measured("t", [1, 2], [1, 2], [1.1, 1.9], xlabel="n", ylabel="v")
    >>> [s.label for s in fig.series]
    ['predicted', 'measured']
    """
    series = [Series("predicted", list(map(float, x)), list(map(float, predicted)), "line"),
              Series("measured", list(map(float, x)), list(map(float, measured)), "scatter")]
    if band is not None:
        series.append(Series("tolerance", list(map(float, x)), list(map(float, band[0])), "band",
                             y_hi=list(map(float, band[1]))))
    return Figure(title, xlabel, ylabel, tuple(series), logx=logx, logy=logy)


class ContractCase(NamedTuple):
    """One row of a failure-contract table (:func:`check_contract`).

    ``call`` runs the library on one input; ``refuse`` is ``None`` when the documented contract
    accepts that input (the call must return, and every float in its result must be finite), or
    ``(error_class, argument)`` when the contract refuses it (the call must raise ``error_class``,
    or a subclass, whose ``argument`` attribute is ``argument``; ``argument=None`` skips that test
    for error classes that name no argument). ``match``, when given with ``refuse``, is a substring the
    error's message must contain (a documented detail of the message, such as the offending labels).
    """

    label: str
    call: Any
    refuse: tuple[type, str | None] | None = None
    match: str | None = None


def _finite_result(x: Any) -> bool:
    if isinstance(x, (bool, int, str, type(None))):
        return True
    if isinstance(x, (float, np.floating)):
        return bool(np.isfinite(x))
    if isinstance(x, np.ndarray) and x.dtype.kind in "fc":
        return bool(np.all(np.isfinite(x)))
    if isinstance(x, (tuple, list)) and len(x) <= 64:
        return all(_finite_result(v) for v in x)
    return True  # result objects: their own checks own finiteness


def check_contract(cases: Sequence[ContractCase]) -> tuple[Verdict, list[str]]:
    """Run a failure-contract table; PASS when every row behaves as documented, else FAIL.

    Returns the verdict and one line per row that did not (what was expected, what happened), so
    a ``contract`` claim reports the exact boundary that moved.

    Examples
    --------
    >>> from aligntheory.errors import InvalidInputError
    >>> def sqrt(x):
    ...     if not x >= 0:
    ...         raise InvalidInputError("x", "must be >= 0", received=x)
    ...     return x ** 0.5
    >>> check_contract([ContractCase("x = 0 accepted", lambda: sqrt(0.0)),
    ...                 ContractCase("x = -1e-300 refused", lambda: sqrt(-1e-300), (InvalidInputError, "x"))])
    (<Verdict.PASS: 'PASS'>, [])
    >>> check_contract([ContractCase("x = -1 accepted?", lambda: sqrt(-1.0))])[1]
    ['x = -1 accepted?: expected a result, got InvalidInputError(x): x: must be >= 0 (received -1.0)']
    >>> check_contract([ContractCase("x = -2 refused", lambda: sqrt(-2.0), (InvalidInputError, "x"), match="-2.0")])
    (<Verdict.PASS: 'PASS'>, [])
    >>> check_contract([ContractCase("x = -2 refused", lambda: sqrt(-2.0), (InvalidInputError, "x"), match="-3")])[1]
    ["x = -2 refused: expected the message to contain '-3', got InvalidInputError(x): x: must be >= 0 (received -2.0)"]
    """
    bad: list[str] = []
    for case in cases:
        try:
            out = case.call()
        except Exception as exc:  # noqa: BLE001 -- the row's expectation decides
            got = f"{type(exc).__name__}({getattr(exc, 'argument', '')}): {exc}"
            if case.refuse is None:
                bad.append(f"{case.label}: expected a result, got {got}")
                continue
            cls, arg = case.refuse
            if not isinstance(exc, cls) or (arg is not None and getattr(exc, "argument", None) != arg):
                bad.append(f"{case.label}: expected {cls.__name__}({arg}), got {got}")
            elif case.match is not None and case.match not in str(exc):
                bad.append(f"{case.label}: expected the message to contain {case.match!r}, got {got}"[:300])
            continue
        if case.refuse is not None:
            bad.append(f"{case.label}: expected {case.refuse[0].__name__}({case.refuse[1]}), got a result")
        elif not _finite_result(out):
            bad.append(f"{case.label}: expected a finite result, got {out!r}"[:300])
    return (Verdict.PASS if not bad else Verdict.FAIL), bad


def accepted(label: str, call: Any, expect: Any = None, tol: float = 1e-12, atol: float | None = None) -> ContractCase:
    """A contract row the documented contract accepts; with ``expect``, the result must also equal it
    (``numpy.allclose`` with ``rtol = tol`` and ``atol`` (default ``tol``), arrays elementwise, shapes equal).

    Examples
    --------
    >>> check_contract([accepted("abs(-2) = 2", lambda: abs(-2.0), 2.0)])
    (<Verdict.PASS: 'PASS'>, [])
    >>> check_contract([accepted("abs(-2) = 3?", lambda: abs(-2.0), 3.0)])[1]
    ['abs(-2) = 3? accepted: expected a result, got AssertionError(): result 2.0 != 3.0']
    """
    def run():
        out = call()
        if expect is not None:
            got, want = np.asarray(out, dtype=float), np.asarray(expect, dtype=float)
            if got.shape != want.shape or not np.allclose(got, want, rtol=tol, atol=tol if atol is None else atol):
                raise AssertionError(f"result {out!r} != {expect!r}")
        return out
    return ContractCase(label + " accepted", run)


def refused(label: str, call: Any, arg: str | None, err: type = InvalidInputError,
            match: str | None = None) -> ContractCase:
    """A contract row the documented contract refuses with ``err`` naming ``arg`` (and, with ``match``, a
    message containing it).

    Examples
    --------
    >>> check_contract([refused("int('x')", lambda: int("x"), None, ValueError, match="invalid literal")])
    (<Verdict.PASS: 'PASS'>, [])
    """
    return ContractCase(label + " refused", call, (err, arg), match)


def quiet(fn: Any) -> Any:
    """``fn`` wrapped so that its warnings are silenced (a contract row's call whose warnings are not its subject).

    Examples
    --------
    >>> import warnings
    >>> quiet(lambda: warnings.warn("ignored") or 1)()
    1
    """
    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    return run


def contract_evidence(cases: Sequence[ContractCase], *, seed: int | None = None) -> Evidence:
    """The evidence of a ``contract`` claim: :func:`check_contract` on ``cases``, reported one way.

    Leave ``seed`` out: :meth:`Claim.run` writes the run's seed into the counterexample, and a check that
    reads no seed is known to give the same result at every seed (``Evidence.seed_used``).

    Examples
    --------
    >>> contract_evidence([ContractCase("abs(-1) accepted", lambda: abs(-1.0))]).verdict.value
    'PASS'
    """
    verdict, bad = check_contract(cases)
    n = len(cases)
    return Evidence(
        verdict=verdict,
        predicted={"rows on their documented side": n},
        measured={"rows on their documented side": n - len(bad), "rows off it": bad},
        tolerance="exact: each row on its documented side",
        why="a documented boundary is a yes/no fact about one input (boundary values exactly representable); "
            "no numerics are involved",
        sizes={"rows": n},
        details=(f"all {n} boundary rows behave as documented" if not bad
                 else f"{len(bad)} of {n} rows off their documented side: " + "; ".join(bad)[:2000]),
        counterexample=None if not bad else {"seed": seed, "rows": bad},
    )
