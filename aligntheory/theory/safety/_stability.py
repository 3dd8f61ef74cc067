"""Local stability of the windowed Lagrange-multiplier updates of Safe RLHF training [M] (issue 15 item 2).

The updates themselves (the safe-rlhf trainer's log-multiplier SGD step and the PID Lagrangian) are in
``aligntheory.theory.safety._lagrangian``.

Our linear analysis (tag [M], extends our B-T4 of the spec to the window): on the tilted-policy model
(rollout :math:`r` is drawn from :math:`\\pi_{\\lambda_r}\\propto\\pi_{\\rm ref}e^{(r-\\lambda c)/\\beta}` with
``batch_size`` samples, expected cost :math:`C(\\lambda)=\\mathbb E_{\\pi_\\lambda}[c]`, curvature
:math:`\\kappa=-C'(\\lambda^*)=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`), the full window holds the last
rollouts with weights :math:`w_j=\\min(B,\\max(0,W-jB))/W`, and the error :math:`e_r=\\lambda_r-\\lambda^*`
obeys, to first order,

.. math:: e_{r+1} = e_r - a\\sum_j w_j e_{r-j},\\qquad a = U\\,\\eta\\,\\lambda^{*2}\\kappa

(:math:`U` = ``updates_per_rollout``). The fixed point is :math:`C(\\lambda^*)=d` (the constrained optimum,
our B-T2) and it is locally stable iff every root of
:math:`z^{m-1}(z-1)+a\\sum_{j<m} w_j z^{m-1-j}` lies inside the unit circle; with one rollout in the window
(:math:`W\\le B`) this is our B-T4, :math:`0<a<2`, with sign-alternating oscillation for :math:`1<a<2`.
For the PID rule with :math:`K_D=0` and an interior integral,
:math:`e_{r+1}=e_r+K_P(\\Delta_r-\\Delta_{r-1})+UK_I\\Delta_r` with :math:`\\Delta_r\\approx-\\kappa\\sum_j w_je_{r-j}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import PrecisionError
from aligntheory.results import provenance
from aligntheory.theory.safety._lagrangian import _SAFE

__all__ = ["window_weights", "MultiplierStability", "log_multiplier_stability", "pid_multiplier_stability"]


@provenance("M", source=_SAFE, where="our linearisation of the windowed update")
def window_weights(window: int, batch_size: int) -> np.ndarray:
    """Weights of past rollouts in the full window mean [M].

    .. math:: w_j = \\min\\bigl(B, \\max(0, W - jB)\\bigr)/W,\\qquad j = 0, \\dots, \\lceil W/B\\rceil - 1

    (rollout :math:`r-j` contributes its last samples when the window cuts it).

    Parameters
    ----------
    window, batch_size : int
        :math:`W \\ge 1`, :math:`B \\ge 1`, with :math:`\\lceil W/B\\rceil \\le 10^6` rollouts.

    Returns
    -------
    ndarray, shape (ceil(W/B),), summing to 1

    Raises
    ------
    InvalidInputError
        Non-positive integers.
    SizeCapError
        More than 10**6 weights.

    Notes
    -----
    :math:`O(W/B)`.

    Examples
    --------
    >>> window_weights(5, 2).tolist()
    [0.4, 0.4, 0.2]
    """
    W = V.check_int("window", window, lo=1)
    B = V.check_int("batch_size", batch_size, lo=1)
    m = -(-W // B)
    V.check_size("window", m, cap=10**6, unit="rollouts in the window")
    j = np.arange(m)
    return np.minimum(B, np.maximum(0, W - j * B)) / W


@provenance("M", source=_SAFE, where="our local stability of the windowed multiplier update")
@dataclass(frozen=True)
class MultiplierStability:
    """Linear stability of a multiplier update at its fixed point.

    Attributes
    ----------
    spectral_radius : float
        Largest modulus of the linearised per-rollout map's eigenvalues.
    dominant_root : complex
        An eigenvalue of largest modulus (a positive real one when there is one).
    stable : bool
        The exact spectral radius is < 1. For a small positive log-rule gain (:math:`0<a\\le` 1e-8, see
        :func:`log_multiplier_stability`) this is decided before rounding: the radius :math:`1-\\delta`,
        :math:`\\delta\\approx a`, is then ``True`` even where ``spectral_radius`` rounds to ``1.0``
        (:math:`a` below about 1.1e-16). Likewise for a PID integral gain :math:`0<UK_I\\kappa\\le` 1e-8 (see
        :func:`pid_multiplier_stability`), and without integral action (:math:`K_I\\kappa=0`) the root 1 is exact:
        ``False``.
    oscillatory : bool
        The spectral radius is positive and no eigenvalue of largest modulus is a positive real (the error
        changes sign infinitely often). A zero spectral radius (a nilpotent map, e.g. :math:`a=1` with one
        rollout in the window: the error vanishes after one step) is not oscillatory.
    gain : float
        The loop gain (:math:`a` for the log rule, :math:`U K_I\\kappa` for PID).

    Examples
    --------
    >>> s = log_multiplier_stability(1.0, 1.0, 2.5, window=1, batch_size=1)
    >>> s.stable, s.oscillatory, round(s.gain, 12)
    (False, True, 2.5)
    """

    spectral_radius: float
    dominant_root: complex
    stable: bool
    oscillatory: bool
    gain: float


def _gain(names: str, *factors: float) -> float:
    """Product of non-negative finite factors without intermediate overflow or underflow (mantissas and exponents
    apart, so the rounding is that of the plain left-to-right product); PrecisionError if the product itself
    leaves the float64 range."""
    m, e = 1.0, 0
    for x in factors:
        f, k = math.frexp(x)
        m *= f
        e += k
    try:
        return math.ldexp(m, e)
    except OverflowError:
        raise PrecisionError(f"{names}: the loop gain (their product) overflows float64 (> 1.8e308); the linearised "
                             "map's spectral radius is not representable (rescale the inputs)") from None


def _companion_eigvals(c: np.ndarray) -> np.ndarray:
    """Eigenvalues of the companion matrix with first row ``c`` and the shift below it.

    LAPACK's ``eigvals`` is wrong for entries past ~1e138 (``[[1 - 2e200, 1e200], [1, 0]]`` gave a root 1.5e138
    instead of -2e200), so when ``max |c| > 2^128`` the roots are computed for ``z = 2^k y`` with ``2^k`` the
    power of two above ``max_j |c_j|^(1/(j+1))`` (the polynomial's coefficients become ``c_j 2^(-k(j+1))`` and
    are all <= 1) and scaled back exactly; below that bound the matrix is used as it is.
    """
    m = c.size
    C = np.zeros((m, m))
    C[1:, :-1] += np.eye(m - 1)
    k = 0
    if float(np.max(np.abs(c))) > 2.0**128:
        j = np.arange(1, m + 1)
        nz = c != 0
        k = int(math.ceil(float(np.max(np.log2(np.abs(c[nz])) / j[nz]))))
        C[0, :] = np.ldexp(c, -k * j)
    else:
        C[0, :] = c
    ev = np.linalg.eigvals(C)
    if k:
        with np.errstate(over="ignore", invalid="ignore"):  # a root past the float64 range is refused by _report
            ev = ev * 2.0 ** (k // 2) * 2.0 ** (k - k // 2)
    return ev


def _report(M: np.ndarray, gain: float, names: str) -> MultiplierStability:
    if not np.all(np.isfinite(M)):
        raise PrecisionError(f"{names}: an entry of the linearised map overflows float64 (rescale the inputs)")
    return _verdict(_companion_eigvals(M[0, :]), gain, names)


def _verdict(ev: np.ndarray, gain: float, names: str) -> MultiplierStability:
    """Spectral radius, dominant root and verdict from the eigenvalues ``ev`` of the linearised map."""
    if not np.all(np.isfinite(ev)):
        raise PrecisionError(f"{names}: the eigenvalues of the linearised map overflow float64 (rescale the inputs)")
    mod = np.abs(ev)
    rho = float(mod.max())
    if rho == 0.0:  # nilpotent: the error is exactly 0 after finitely many rollouts, no sign change ever again
        return MultiplierStability(0.0, 0j, True, False, gain)
    top = ev[mod >= rho * (1 - 1e-9)]
    pos = top[(np.abs(top.imag) <= 1e-9 * rho) & (top.real > 0)]
    dom = complex(pos[0]) if pos.size else complex(top[np.argmax(np.abs(top.imag))])
    return MultiplierStability(rho, dom, rho < 1.0, pos.size == 0, gain)


_SMALL_GAIN = 1e-8
"""Log-rule gains in ``(0, _SMALL_GAIN]`` take the perturbative route of :func:`_small_gain_report`."""


def _small_gain_report(a: float, w: np.ndarray) -> MultiplierStability:
    """Stability of :math:`e_{r+1}=e_r-a\\sum_j w_je_{r-j}` for :math:`0<a\\le` ``_SMALL_GAIN``, exactly decided.

    The companion matrix's entry :math:`1-aw_0` rounds to 1 for :math:`a\\lesssim10^{-16}` (a spurious root 1:
    "not stable"). Here instead: the characteristic polynomial :math:`z^{m-1}(z-1)+a\\sum_jw_jz^{m-1-j}`
    (:math:`w_j\\ge0`, :math:`\\sum_jw_j=1`, :math:`m\\le10^6` by :func:`window_weights`' cap, so
    :math:`4a(m-1)\\le0.04<\\ln2`, i.e. :math:`((1+2a)/(1-2a))^{m-1}<2`) has, by Rouche on :math:`|z-1|=2a`
    (:math:`|z|^{m-1}|z-1|\\ge2a(1-2a)^{m-1}>a(1+2a)^{m-1}`), exactly one root in that disc;
    it is real (roots come in conjugate pairs), :math:`1-\\delta` with :math:`\\delta\\in(0,2a)` by the sign
    change of the polynomial on :math:`[1-2a,1]`. Any root with :math:`|z|\\ge1-2a` satisfies
    :math:`|z-1|\\le a(1-2a)^{-(m-1)}<2a`, so it is that root: the map is stable, the dominant root is the
    positive real :math:`1-\\delta` (no oscillation), and :math:`\\delta=a\\sum_jw_j(1-\\delta)^{-j}`, a
    contraction (factor :math:`\\le2am`) iterated on :math:`\\delta` itself, never on :math:`1-\\delta`.
    """
    j = np.arange(w.size, dtype=np.float64)
    delta = a
    for _ in range(50):
        nxt = a * float(np.sum(w * np.exp(-j * math.log1p(-delta))))
        if nxt == delta:
            break
        delta = nxt
    rho = 1.0 - delta
    return MultiplierStability(rho, complex(rho), True, False, a)


_PID_DECIDED = 1e-6
"""A PID map with a tiny integral gain outside the proven domain keeps the eigenvalue solver's verdict only where its
spectral radius exceeds ``1 + _PID_DECIDED`` (see :func:`pid_multiplier_stability`)."""


def _pid_small_gain_domain(p: float, m: int) -> bool:
    """Whether the bounds (A) and (B) of :func:`_pid_small_gain_report` hold for :math:`p=K_P\\kappa` and every
    integral gain :math:`0<g\\le` ``_SMALL_GAIN`` (checked at the largest radius :math:`\\bar r=c\\cdot10^{-8}`;
    both sides are monotone in :math:`r`, and a relative margin 1e-6 covers the rounding here and of :math:`p`, g).

    Always true for :math:`p\\le1/2` (:math:`m\\le10^6`); for :math:`1/2<p<1` it fails once :math:`rm` is not
    small against :math:`1-p`; false for :math:`p\\ge1`.
    """
    if not p < 1.0:
        return False
    c = 2.0 / (1.0 - p)
    r = c * _SMALL_GAIN * (1.0 + 1e-6)
    if r * m > 0.5:
        return False
    lo = math.log1p(-r)
    pw_lo = math.exp(m * lo)  # (1 - r)^m
    pw_hi = math.exp(m * math.log1p(r))  # (1 + r)^m
    s = 1.0 / pw_lo  # (1 - r)^-m
    s1 = math.exp(-(m - 1) * lo)  # (1 - r)^-(m-1)
    a_ok = c * (pw_lo - p) > pw_hi * (1.0 + 1e-6)
    b_ok = s1 * (1.0 + 1e-6) < c * (1.0 - p * s)
    return a_ok and b_ok


def _pid_small_gain_report(p: float, g: float, w: np.ndarray) -> MultiplierStability:
    """Stability of the PID map for a tiny integral gain :math:`0<g=UK_I\\kappa\\le` ``_SMALL_GAIN``, exactly decided.

    The map :math:`e_{r+1}=e_r-(p+g)\\sum_jw_je_{r-j}+p\\sum_jw_je_{r-1-j}` (:math:`p=K_P\\kappa`) has the
    characteristic polynomial (degree :math:`m+1`, :math:`W(z)=\\sum_{j<m}w_jz^{m-1-j}`)

    .. math:: P(z)=z^{m+1}-z^m+(p+g)\\sum_jw_jz^{m-j}-p\\sum_jw_jz^{m-1-j}=(z-1)R(z)+g\\,zW(z),
              \\qquad R(z)=z^m+pW(z).

    The companion matrix's entry :math:`1-(p+g)w_0` loses :math:`g` to rounding for :math:`g\\lesssim10^{-16}` (a
    spurious root 1 or a root a few ulps on either side of 1: "not stable" or a wrong radius). Instead, with
    :math:`c=2/(1-p)`, :math:`r=cg` and the bounds checked by :func:`_pid_small_gain_domain` (:math:`p<1`):

    (A) :math:`c\\,((1-r)^m-p)>(1+r)^m`,   (B) :math:`(1-r)^{-(m-1)}<c\\,(1-p(1-r)^{-m})`.

    For :math:`|z|\\ge1-r`: :math:`|R(z)|=|z|^m|1+p\\sum_jw_jz^{-j-1}|\\ge|z|^m(1-p(1-r)^{-m})>0` (by (B)) and
    :math:`|zW(z)|\\le|z|^m(1-r)^{-(m-1)}` (:math:`w_j\\ge0`, :math:`\\sum_jw_j=1`). Rouche on :math:`|z-1|=r`:
    :math:`|(z-1)R(z)|\\ge r((1-r)^m-p)>g(1+r)^m\\ge|gzW(z)|` by (A), and :math:`(z-1)R(z)` has exactly one zero in
    that disc (:math:`z=1`; :math:`R\\ne0` there), so :math:`P` has exactly one root there; it is real (roots come
    in conjugate pairs) and below 1, since :math:`P(x)=(x-1)R(x)+gxW(x)>0` for :math:`x\\ge1`: it is
    :math:`1-\\delta`, :math:`0<\\delta<r`. Any root with :math:`|z|\\ge1-r` has
    :math:`|z-1|=g|zW(z)|/|R(z)|\\le g(1-r)^{-(m-1)}/(1-p(1-r)^{-m})<r` by (B), so it is that root: every other root
    has :math:`|z|<1-r<1-\\delta`. Hence the map is stable, :math:`1-\\delta` is the only root of largest modulus,
    positive real (not oscillatory), and :math:`\\delta=F(\\delta)=g\\sum_jw_j(1-\\delta)^{-j}/(1+p\\sum_jw_j
    (1-\\delta)^{-j-1})`; :math:`F` maps :math:`[0,r]` into :math:`[0,r)` (by (B)) with Lipschitz constant
    :math:`\\le3gm(1-r)^{-m}\\le3\\cdot10^{-8}\\cdot10^6e^{0.51}<0.06` (:math:`m\\le10^6` by :func:`window_weights`' cap,
    :math:`rm\\le1/2` checked; below :math:`2\\cdot10^{-4}` for :math:`m\\le2000`), so 50 iterations of it on
    :math:`\\delta` itself (never on :math:`1-\\delta`) converge to :math:`\\delta` to working precision and
    ``1 - delta`` is correctly rounded.

    Domain: for :math:`p\\le1/2`, :math:`g\\le10^{-8}` and :math:`m\\le10^6` (the cap of :func:`window_weights`),
    :math:`rm\\le0.04`, so (A) reads :math:`\\ge2(1-0.04/0.5)=1.84>e^{0.04}` and (B) :math:`1.0417(1-p)/2<1-1.0417p`
    (true for :math:`p<0.92`); for :math:`1/2<p<1` they are checked in code. A gain :math:`g` that underflowed to 0
    with :math:`K_I,\\kappa>0` is still positive: the verdict holds and :math:`\\delta` rounds to 0.
    """
    j = np.arange(w.size, dtype=np.float64)
    delta = g / (1.0 + p)
    for _ in range(50):
        lz = -math.log1p(-delta)  # (1 - delta)^(-k) = exp(k lz)
        s0 = float(np.sum(w * np.exp(j * lz)))
        s1 = float(np.sum(w * np.exp((j + 1.0) * lz)))
        nxt = g * s0 / (1.0 + p * s1)
        if nxt == delta:
            break
        delta = nxt
    rho = 1.0 - delta
    return MultiplierStability(rho, complex(rho), True, False, g)


def _pid_no_integral_report(p: float, w: np.ndarray, names: str) -> MultiplierStability:
    """The PID map without integral action (:math:`g=UK_I\\kappa=0`: :math:`K_I=0` or :math:`\\kappa=0`).

    :math:`P(z)=(z-1)R(z)` exactly (:func:`_pid_small_gain_report`): the root 1 is exact, so the map is not stable
    (the companion matrix alone put it a few ulps below 1, "stable"). For :math:`p<1` every root of :math:`R`
    has :math:`|z|<1`: for :math:`|z|\\ge1`, :math:`|pW(z)|\\le p|z|^{m-1}<|z|^m`; so the spectral radius is
    exactly 1, the dominant root 1, not oscillatory. For :math:`p\\ge1` the roots of :math:`R` come from its own
    companion matrix (first row :math:`-pw`) next to the exact root 1.
    """
    if p < 1.0:
        return MultiplierStability(1.0, 1.0 + 0j, False, False, 0.0)
    ev = np.concatenate((np.array([1.0 + 0j]), _companion_eigvals(-p * w).astype(complex)))
    return _verdict(ev, 0.0, names)


def _lin_common(curvature: Any, window: Any, batch_size: Any, updates_per_rollout: Any) -> tuple[float, np.ndarray, int]:
    kappa = V.check_scalar("curvature", curvature, nonnegative=True)
    w = window_weights(window, batch_size)
    V.check_size("window", w.size, cap=2000, unit="rollouts in the window (eigenvalue problem)")
    U = V.check_int("updates_per_rollout", updates_per_rollout, lo=1)
    return kappa, w, U


@provenance("M", source=_SAFE, where="our B-T4 extended to the window")
def log_multiplier_stability(lam_star: float, curvature: float, lambda_lr: float, *, window: int = 128,
                             batch_size: int = 128, updates_per_rollout: int = 1) -> MultiplierStability:
    """Local stability of the log-space multiplier update at :math:`\\lambda^*` (our analysis) [M].

    Linearising :math:`u\\leftarrow u+\\eta(\\bar J-d)e^u` at :math:`C(\\lambda^*)=d` with
    :math:`C(\\lambda)\\approx d-\\kappa(\\lambda-\\lambda^*)` and the window weights :math:`w_j`
    (:func:`window_weights`) gives, per rollout, :math:`e_{r+1}=e_r-a\\sum_j w_je_{r-j}`,
    :math:`a=U\\eta\\lambda^{*2}\\kappa`; the companion matrix's spectral radius decides. With one
    rollout in the window the root is :math:`1-a`: stable iff :math:`0<a<2`, oscillating iff
    :math:`a>1` (spec B-T4; at :math:`a=1` exactly the error is 0 after one step, not oscillating).
    A gain :math:`0<a\\le10^{-8}` is decided perturbatively (the root :math:`1-\\delta`, :math:`\\delta\\approx a`,
    is found as :math:`\\delta`): stable, not oscillating, also where :math:`1-a` rounds to 1 (``lambda_lr =
    1e-17``: ``spectral_radius`` 1.0 but ``stable`` True; the companion matrix alone gave a root exactly 1).
    For the tilted policy, :math:`\\kappa=\\mathrm{Var}_{\\pi_{\\lambda^*}}(c)/\\beta`. The gain is
    formed without intermediate overflow (``lam_star = 1e200`` with ``lambda_lr = 1e-300`` gives
    :math:`a=10^{100}`).

    Parameters
    ----------
    lam_star : float
        Positive fixed point.
    curvature : float
        :math:`\\kappa=-C'(\\lambda^*)\\ge 0`.
    lambda_lr : float
    window : int, default 128
        Window length :math:`W` in samples, :math:`\\ge 1`.
    batch_size : int, default 128
        Samples per rollout :math:`B \\ge 1` (at most 2000 rollouts in the window, :math:`\\lceil W/B\\rceil`).
    updates_per_rollout : int, default 1
        Update steps per rollout :math:`U \\ge 1`.

    Returns
    -------
    MultiplierStability

    Raises
    ------
    InvalidInputError
        Bad scalars.
    SizeCapError
        More than 2000 rollouts in the window.
    PrecisionError
        The gain :math:`a` (or the map's eigenvalues) overflows float64, e.g. ``lam_star = 1e200`` with
        ``curvature = lambda_lr = 1``: the spectral radius (:math:`a-1` for one rollout) is not representable.

    Notes
    -----
    :math:`O(m^3)` with :math:`m=\\lceil W/B\\rceil`.

    Examples
    --------
    >>> s = log_multiplier_stability(1.0, 1.0, 1.5, window=4, batch_size=4)
    >>> round(s.spectral_radius, 12), s.stable, s.oscillatory
    (0.5, True, True)
    >>> s = log_multiplier_stability(1.0, 1.0, 1.0, window=1, batch_size=1)  # a = 1: e_1 = 0, no sign change
    >>> s.spectral_radius, s.stable, s.oscillatory
    (0.0, True, False)
    """
    lam = V.check_scalar("lam_star", lam_star, positive=True)
    eta = V.check_scalar("lambda_lr", lambda_lr, nonnegative=True)
    kappa, w, U = _lin_common(curvature, window, batch_size, updates_per_rollout)
    names = "lam_star, curvature, lambda_lr, updates_per_rollout"
    a = _gain(names, float(U), eta, lam, lam, kappa)
    if 0.0 < a <= _SMALL_GAIN:
        return _small_gain_report(a, w)
    m = w.size
    M = np.zeros((m, m))
    M[0, :] = -a * w
    M[0, 0] += 1.0
    M[1:, :-1] += np.eye(m - 1)
    return _report(M, a, names)


@provenance("M", source="stooke2020responsive", where="our linearisation of Algorithm 2 (K_D = 0) with the window")
def pid_multiplier_stability(curvature: float, kp: float, ki: float, *, window: int = 128, batch_size: int = 128,
                             updates_per_rollout: int = 1) -> MultiplierStability:
    """Local stability of the PID multiplier (:math:`K_D=0`, interior integral, :math:`\\lambda^*>0`) [M].

    With :math:`\\Delta_r\\approx-\\kappa\\sum_j w_j e_{r-j}` the update gives
    :math:`e_{r+1}=e_r+K_P(\\Delta_r-\\Delta_{r-1})+UK_I\\Delta_r`; the state is the last
    :math:`m+1` errors. The derivative term :math:`K_D(\\cdot)_+` is one-sided (not linearisable), hence
    excluded. With :math:`p=K_P\\kappa`, :math:`g=UK_I\\kappa` and :math:`W(z)=\\sum_{j<m}w_jz^{m-1-j}` the
    characteristic polynomial is

    .. math:: z^{m+1}-z^m+(p+g)\\sum_jw_jz^{m-j}-p\\sum_jw_jz^{m-1-j}=(z-1)\\bigl(z^m+pW(z)\\bigr)+g\\,zW(z).

    Small and zero integral gains are decided before rounding (the companion matrix's entry :math:`1-(p+g)w_0`
    loses :math:`g` below ~1e-16: ``ki = 1e-17`` gave a root exactly 1, "not stable"):

    * :math:`g=0` (``ki = 0`` or ``curvature = 0``): the root 1 is exact, so not stable; for :math:`p<1` the
      spectral radius is exactly 1 with dominant root 1 (not oscillatory), for :math:`p\\ge1` the other roots come
      from the companion matrix of :math:`z^m+pW(z)`.
    * :math:`0<g\\le10^{-8}` with :math:`p\\le1/2` (or :math:`p<1` where two bounds checked in code hold; they
      fail once :math:`10^{-8}m/(1-p)` is not small against :math:`1-p`): a Rouche argument (in
      ``_pid_small_gain_report``) shows a single dominant root :math:`1-\\delta`, :math:`\\delta\\approx g/(1+p)`,
      found as :math:`\\delta`: stable, not oscillatory, ``spectral_radius`` correctly rounded (1.0 below
      :math:`\\delta\\approx1.1\\cdot10^{-16}`). A product :math:`UK_I\\kappa` that underflows to 0 with
      :math:`K_I,\\kappa>0` counts as such a gain (``gain`` is then reported as 0.0).
    * :math:`0<g\\le10^{-8}` outside that domain (e.g. :math:`p\\ge1`): the eigenvalue solver's verdict is kept only
      where its spectral radius exceeds :math:`1+10^{-6}` (a root far outside the unit circle decides, as for
      ordinary gains); otherwise PrecisionError.

    Parameters
    ----------
    curvature : float
    kp, ki : float
        Non-negative gains.
    window : int, default 128
        Window length :math:`W` in samples, :math:`\\ge 1`.
    batch_size : int, default 128
        Samples per rollout :math:`B \\ge 1` (at most 2000 rollouts in the window, :math:`\\lceil W/B\\rceil`).
    updates_per_rollout : int, default 1
        Update steps per rollout :math:`U \\ge 1`.

    Returns
    -------
    MultiplierStability

    Raises
    ------
    InvalidInputError
        Bad scalars.
    SizeCapError
        More than 2000 rollouts in the window.
    PrecisionError
        :math:`K_P\\kappa`, :math:`UK_I\\kappa`, their sum, or the map's eigenvalues overflow float64
        (e.g. ``curvature = kp = 1e300``): the spectral radius is not representable. Or
        :math:`0<UK_I\\kappa\\le10^{-8}` outside the proven small-gain domain with a computed spectral radius
        :math:`\\le1+10^{-6}` (e.g. ``pid_multiplier_stability(1.0, 2.0, 1e-12, window=3, batch_size=1)``): the
        root near 1 is within about the gain of 1 and the verdict cannot be decided in float64.

    Notes
    -----
    :math:`O(m^3)`. With :math:`K_P=0` and one rollout in the window the roots are :math:`0` and
    :math:`1-UK_I\\kappa`: as for the log rule, oscillating iff the gain exceeds 1 (at exactly 1 the map is
    nilpotent, not oscillating).

    Examples
    --------
    >>> s = pid_multiplier_stability(1.0, 0.0, 1.5, window=1, batch_size=1)  # = log rule, a = 1.5
    >>> round(s.spectral_radius, 12), s.oscillatory
    (0.5, True)
    >>> pid_multiplier_stability(1.0, 0.0, 1.0, window=1, batch_size=1).oscillatory  # gain 1: nilpotent
    False
    >>> s = pid_multiplier_stability(1.0, 0.0, 1e-17, window=1, batch_size=1)  # root 1 - 1e-17, rounds to 1
    >>> s.spectral_radius, s.stable, s.oscillatory
    (1.0, True, False)
    >>> s = pid_multiplier_stability(1.0, 0.5, 0.0, window=4, batch_size=1)  # no integral action: root 1 exact
    >>> s.spectral_radius, s.stable
    (1.0, False)
    """
    kp_ = V.check_scalar("kp", kp, nonnegative=True)
    ki_ = V.check_scalar("ki", ki, nonnegative=True)
    kappa, w, U = _lin_common(curvature, window, batch_size, updates_per_rollout)
    names = "curvature, kp, ki, updates_per_rollout"
    g_p = _gain(names, kp_, kappa)
    g_i = _gain(names, float(U), ki_, kappa)
    m = w.size
    if ki_ == 0.0 or kappa == 0.0:
        return _pid_no_integral_report(g_p, w, names)
    tiny = g_i <= _SMALL_GAIN  # also a product that underflowed to 0: K_I, kappa > 0, so the exact gain is > 0
    if tiny and _pid_small_gain_domain(g_p, m):
        return _pid_small_gain_report(g_p, g_i, w)
    n = m + 1
    wd = np.zeros(n)
    wd[:m] = w  # Delta_r = -kappa * wd . e
    wprev = np.zeros(n)
    wprev[1:] = w  # Delta_{r-1}
    M = np.zeros((n, n))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing K_P kappa + U K_I kappa is refused by _report
        M[0, :] = -(g_p + g_i) * wd + g_p * wprev
    M[0, 0] += 1.0
    M[1:, :-1] += np.eye(n - 1)
    s = _report(M, g_i, names)
    if tiny and not s.spectral_radius > 1.0 + _PID_DECIDED:
        raise PrecisionError(
            f"{names}: the integral loop gain U K_I kappa = {g_i:.3g} is <= {_SMALL_GAIN:g} and K_P kappa = {g_p:.6g} "
            f"is outside the proven small-gain domain (K_P kappa < 1 with bounds (A), (B) for {m} rollouts in the "
            "window): the root near z = 1 lies within about the gain of 1, below the eigenvalue solver's float64 "
            "resolution, and the verdict (stable or not, the dominant root) cannot be decided in float64 here")
    return s
