"""Feedback model of spec ``ibn.md`` §2.1--2.3: Bradley--Terry probabilities, HP edge variances,
and the decoder lemma."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.special

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import Bound, provenance

__all__ = ["bt_prob", "hp_edge_var", "DecoderBounds", "decoder_bounds"]

_TINY = float(np.finfo(np.float64).tiny)


@provenance("S", source="qiu2024reward", where="§2.2 (BT invariant); spec ibn.md §2.2")
def bt_prob(r_a: Any, r_b: Any, beta: Any) -> float:
    """Bradley--Terry preference probability (the BT invariant [S] of the feedback model).

    .. math:: \\Pr[a \\succ b] = \\sigma\\big(\\beta (r_a - r_b)\\big), \\qquad \\sigma(x) = 1/(1+e^{-x})

    Spec ``ibn.md`` §2.2 (the BT invariant every sampler enforces). Computed with
    :func:`scipy.special.expit`, which does not overflow.

    Parameters
    ----------
    r_a, r_b : float
        Latent rewards of the two responses.
    beta : float
        Inverse temperature, finite and > 0.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Non-finite rewards, ``beta <= 0``.

    Notes
    -----
    :math:`O(1)`. ``beta * (r_a - r_b)`` may overflow to ``±inf``; ``expit`` then gives 1 or 0, the limit.

    Examples
    --------
    >>> bt_prob(1.0, 0.0, 2.0)  # sigma(2)
    0.8807970779778...
    >>> bt_prob(0.0, 0.0, 5.0)
    0.5
    """
    a = V.check_scalar("r_a", r_a)
    b = V.check_scalar("r_b", r_b)
    be = V.check_scalar("beta", beta, positive=True)
    with np.errstate(over="ignore"):
        x = be * (a - b)
    if np.isnan(x):  # pragma: no cover - finite inputs cannot give NaN
        raise InvalidInputError("r_a, r_b", "their difference times beta is undefined")
    return float(scipy.special.expit(x))


def _scaled_inverse(k: float, beta: float, info: float, what: str) -> float:
    """``k / (beta**2 * info)`` without intermediate overflow or underflow (exponents split off by frexp)."""
    mb, eb = np.frexp(beta)
    mi, ei = np.frexp(info)
    m = k / (mb * mb * mi)
    e = -2 * int(eb) - int(ei)
    with np.errstate(over="ignore", under="ignore"):
        v = float(np.ldexp(m, e))
    if not np.isfinite(v):
        raise PrecisionError(f"{what} overflows float64 (beta = {beta:.3g}): the comparison carries almost no "
                             "information; rescale the rewards")
    if v < _TINY:
        raise PrecisionError(f"{what} underflows float64 (beta = {beta:.3g}): rescale the rewards")
    return v


@provenance("M", source="hendrickx2019graph", where="§2 (Fisher information of one BT label); spec ibn.md §2.3")
def hp_edge_var(beta: Any, *, feedback: Literal["continuous", "binary"], estimator: str | None = None,
                p: Any = None, delta_r: Any = None) -> float:
    """Variance of one human-preference (HP) comparison about :math:`\\Delta r` [M values; R choice].

    ============ ========================= =====================================
    feedback     estimator                 :math:`\\sigma^2_{\\rm HP}`
    ============ ========================= =====================================
    continuous   ``"ls"`` (default)        :math:`\\pi^2/(3\\beta^2)` (logistic noise variance)
    continuous   ``"mle"``                 :math:`3/\\beta^2` (inverse Fisher information)
    binary       ``"fisher"`` (default)    :math:`1/(\\beta^2 p(1-p))`, :math:`\\ge 4/\\beta^2`
    ============ ========================= =====================================

    Spec ``ibn.md`` §2.3 (the choice of estimator is ours [R]; the values are standard [M]). For
    binary feedback give either ``p`` in :math:`(0,1)` or ``delta_r`` (then
    :math:`p(1-p)=\\sigma(x)\\sigma(-x)`, :math:`x=\\beta\\Delta r`, computed stably).
    :math:`K` repeated comparisons divide the variance by :math:`K` (conductances add).

    Parameters
    ----------
    beta : float
        Inverse temperature > 0.
    feedback : {"continuous", "binary"}
    estimator : {"ls", "mle", "fisher"} or None
        ``None`` means ``"ls"`` for continuous and ``"fisher"`` for binary feedback.
    p : float, optional
        Preference probability (binary feedback), in the open interval (0, 1).
    delta_r : float, optional
        Reward difference :math:`r_a - r_b` (binary feedback), instead of ``p``.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Bad ``beta``, ``p`` outside (0, 1), an uninformative comparison (:math:`p(1-p)` underflows).
    PrecisionError
        The variance is outside the float64 range (``beta`` near 1e-300 or 1e300); it is computed
        with the exponents split off, so it is exact to rounding whenever it is representable.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> hp_edge_var(1.0, feedback="continuous")  # pi^2 / 3
    3.289868133696...
    >>> hp_edge_var(2.0, feedback="continuous", estimator="mle")
    0.75
    >>> hp_edge_var(1.0, feedback="binary", p=0.5)
    4.0
    >>> hp_edge_var(1e-150, feedback="binary", p=0.5)
    4e+300
    """
    be = V.check_scalar("beta", beta, positive=True)
    V.check_choice("feedback", feedback, ("continuous", "binary"))
    if estimator is None:
        estimator = "ls" if feedback == "continuous" else "fisher"
    allowed = ("ls", "mle") if feedback == "continuous" else ("fisher",)
    if estimator not in allowed:
        raise InvalidInputError("estimator", f"must be one of {allowed} with feedback={feedback!r}", received=estimator)
    if feedback == "continuous":
        if p is not None or delta_r is not None:
            raise InvalidInputError("p, delta_r", "are only used with feedback='binary'")
        k = float(np.pi**2 / 3.0) if estimator == "ls" else 3.0
        return _scaled_inverse(k, be, 1.0, "the HP variance")
    if (p is None) == (delta_r is None):
        raise InvalidInputError("p, delta_r", "binary feedback requires exactly one of p or delta_r")
    if p is not None:
        pv = V.check_scalar("p", p)
        if not 0.0 < pv < 1.0:
            raise InvalidInputError("p", "must lie in the open interval (0, 1)", received=pv)
        info = pv * (1.0 - pv)
    else:
        with np.errstate(over="ignore"):
            x = be * V.check_scalar("delta_r", delta_r)
        info = float(scipy.special.expit(x) * scipy.special.expit(-x))
    if not info > 0.0:
        raise InvalidInputError("delta_r" if p is None else "p",
                                "uninformative comparison: p(1-p) underflows to 0", received=delta_r if p is None else p)
    return _scaled_inverse(1.0, be, info, "the HP variance 1/(beta^2 p(1-p))")


@provenance("M", source="qiu2024reward", where="§2.1 (RLHF as autoencoding; our elementary lemma)")
@dataclass(frozen=True)
class DecoderBounds:
    """Result of :func:`decoder_bounds`: three upper bounds, each a :class:`~aligntheory.results.Bound`.

    Examples
    --------
    >>> b = decoder_bounds(0.5, 2.0)
    >>> float(b.kl), b.kl.kind
    (1.0, 'upper')
    """

    sup_log_ratio: Bound
    kl: Bound
    tv: Bound


_LEMMA = ("p_LM and p_H proportional to pi_ref exp(beta r) with the same pi_ref",
          "eps = max(r_hat - r_H) - min(r_hat - r_H)")


@provenance("M", source="qiu2024reward", where="§2.1 (RLHF as autoencoding; our elementary lemma)")
def decoder_bounds(eps: Any, beta: Any) -> DecoderBounds:
    """Decoder lemma: how a reward error of spread :math:`\\varepsilon` moves the optimal policy [M].

    With :math:`e=\\hat r-r_H`, :math:`\\varepsilon=\\max e-\\min e` and
    :math:`p\\propto\\pi_{\\rm ref}e^{\\beta r}`:

    .. math:: \\sup_y |\\log p_{LM}(y)-\\log p_H(y)| \\le \\beta\\varepsilon,\\quad
              \\mathrm{KL}(p_{LM}\\|p_H) \\le \\beta\\varepsilon,\\quad
              \\mathrm{TV}(p_{LM},p_H) \\le \\min\\big(1, (e^{\\beta\\varepsilon}-1)/2\\big)

    Spec ``ibn.md`` §2.1 (elementary; our statement, not the paper's Theorem 3.1). The TV bound
    is capped at 1, the trivial bound, so that it stays finite for large :math:`\\beta\\varepsilon`.

    Parameters
    ----------
    eps : float
        Spread :math:`\\varepsilon \\ge 0` of the reward error.
    beta : float
        Inverse temperature > 0.

    Returns
    -------
    DecoderBounds
        ``sup_log_ratio``, ``kl``, ``tv``: upper :class:`~aligntheory.results.Bound` objects with
        closed forms (``.sympy()``) in the positive symbols ``beta`` and ``epsilon``, shared by the
        three (so they combine symbolically).

    Raises
    ------
    InvalidInputError
        ``eps < 0``, ``beta <= 0``, non-finite input.
    PrecisionError
        :math:`\\beta\\varepsilon` overflows float64.

    Notes
    -----
    :math:`O(1)`.

    Examples
    --------
    >>> b = decoder_bounds(0.5, 2.0)
    >>> float(b.sup_log_ratio), float(b.kl), round(float(b.tv), 12)
    (1.0, 1.0, 0.85914091423)
    >>> b.tv.sympy()
    exp(beta*epsilon)/2 - 1/2
    """
    e = V.check_scalar("eps", eps, nonnegative=True)
    be = V.check_scalar("beta", beta, positive=True)
    with np.errstate(over="ignore"):
        x = be * e
    if not np.isfinite(x):
        raise PrecisionError(f"beta * eps overflows float64 (beta = {be:.3g}, eps = {e:.3g})")
    with np.errstate(over="ignore"):
        tv = float(min(1.0, 0.5 * np.expm1(x)))

    def lin():
        import sympy as sp

        b_, e_ = sp.symbols("beta epsilon", positive=True)
        return b_ * e_

    def tvx():
        import sympy as sp

        b_, e_ = sp.symbols("beta epsilon", positive=True)
        return (sp.exp(b_ * e_) - 1) / 2

    common = dict(kind="upper", assumptions=_LEMMA, source="qiu2024reward", where="§2.1 (our elementary lemma)",
                  provenance="M", subs={"beta": be, "epsilon": e})
    return DecoderBounds(
        sup_log_ratio=Bound(x, quantity="sup_y |log p_LM(y) - log p_H(y)|", expr=lin, **common),
        kl=Bound(x, quantity="KL(p_LM || p_H)", expr=lin, **common),
        tv=Bound(tv, quantity="TV(p_LM, p_H) (capped at 1)", expr=tvx, **common),
    )
