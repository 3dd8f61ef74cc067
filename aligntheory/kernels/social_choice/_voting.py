"""Vectorised voting rules over batches of profiles (spec ``social_choice.md`` §2.5) [M].

Input: an int array ``profiles`` of shape ``(n_profiles, n_voters, n_alternatives)``; row = one voter's
ranking, best first; optional ``counts`` of shape ``(n_profiles, n_voters)``: non-negative integer
multiplicities of the rows (default 1). Output: the winning set as a boolean mask
``(n_profiles, n_alternatives)`` with all tied winners marked (:func:`condorcet_winner_mask` marks
none when there is none). All rules except :func:`scoring_rule` are exact integer computations for up
to :math:`2^{31}-1` voters per profile (counts summed; :math:`2^{24}` without float64): the cores tally in
int32 (and float32 without x64), so a larger total raises :class:`~aligntheory.errors.PrecisionError` on
concrete input (under tracing it cannot be checked); the theory-layer rules are exact up to :math:`2^{62}`.
:func:`scoring_rule` sums a float64 score vector (exact for integer vectors with :math:`n\\max|s|\\le
2^{53}`). Conventions
match pref-voting 1.18 (winner lists without tie-breaking; see the spec §2.5), except the Condorcet
mask, which matches ``Profile.condorcet_winner()`` and not the ``condorcet`` voting method (that
method returns every candidate when there is no Condorcet winner).

Validation boundary (issue #14 item 5). ``validate=True`` (default) checks values on the host
(every ranking a permutation, counts non-negative integers, score vectors finite and non-increasing)
*before* the jitted kernel runs, and raises :class:`~aligntheory.errors.InvalidInputError`. Under
``jax.jit`` / ``jax.vmap`` the inputs are tracers and cannot be inspected, so the host checks are
skipped (shapes and dtypes are still checked, they are static); on that unchecked path a profile
containing an invalid ranking gets an all-False winner mask, never a silent winner. Validate
concrete data first (e.g. with :func:`validate_profiles`) when tracing.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels._common import check_precision_all, f64
from aligntheory.kernels.social_choice._voting_core import (  # jitted cores
    _HIST_MAX_M,
    _all,
    _borda,
    _condorcet,
    _copeland,
    _margins,
    _plurality,
    _position_counts,
    _scoring,
)
from aligntheory.results import provenance

__all__ = [
    "RuleMasks",
    "MAX_ELEMENTS",
    "validate_profiles",
    "ranks",
    "position_counts_batched",
    "plurality",
    "borda",
    "scoring_rule",
    "margins_batched",
    "copeland",
    "condorcet_winner_mask",
    "all_rules",
]

MAX_ELEMENTS = 10**8
"""Default cap on the working-set size (array elements) of a kernel call, checked before tracing."""


def _traced(*xs: Any) -> bool:
    """True when any argument is a JAX tracer (inside jit / vmap / grad): values cannot be inspected."""
    return any(isinstance(x, jax.core.Tracer) for x in xs)


def _arr(name: str, x: Any) -> Any:
    """JAX arrays (and tracers) pass; anything else goes through the one host-side refusal point for
    ragged, complex, object, boolean and string input (:func:`aligntheory._validate.as_real_array`)."""
    return x if isinstance(x, jax.Array) else V.as_real_array(name, x)


def _profiles(profiles: Any) -> jax.Array:
    if isinstance(profiles, jax.Array):
        arr = profiles
    else:
        arr = V.as_real_array("profiles", profiles)
    if arr.ndim != 3:
        raise InvalidInputError("profiles", "must have shape (n_profiles, n_voters, n_alternatives)",
                                received=f"shape {tuple(arr.shape)}")
    if not jnp.issubdtype(arr.dtype, jnp.integer):
        raise InvalidInputError("profiles", "must be an integer array of rankings", received=f"dtype {arr.dtype}")
    if min(arr.shape) < 1:
        raise InvalidInputError("profiles", "every dimension must be >= 1", received=f"shape {tuple(arr.shape)}")
    return jnp.asarray(arr)


def _exact_count_limit() -> int:
    """Largest number of voters per profile (counts summed) the voting kernels count exactly.

    The cores accumulate counts in int32 (ranking scan) or in JAX's default float (ranking histograms)
    and return position counts and margins as int32, so the limit is :math:`2^{31}-1` with float64
    enabled and :math:`2^{24}` (the float32 integers) without. The theory-layer rules are exact up to
    :math:`2^{62}` voters.

    """
    return 2**31 - 1 if jax.config.jax_enable_x64 else 2**24


def _counts(counts: Any, p: jax.Array) -> jax.Array:
    if counts is None:
        if int(p.shape[1]) > _exact_count_limit():
            raise PrecisionError(f"profiles: {int(p.shape[1])} voters per profile, above the {_exact_count_limit()} "
                                 "the voting kernels count exactly; use the theory layer's rules")
        return jnp.ones(p.shape[:2], dtype=jnp.int32)
    c = counts if isinstance(counts, jax.Array) else V.as_real_array("counts", counts)
    if tuple(c.shape) != tuple(p.shape[:2]) or not jnp.issubdtype(c.dtype, jnp.integer):
        raise InvalidInputError("counts", f"must be an integer array of shape (n_profiles, n_voters) = "
                                f"{tuple(p.shape[:2])}", received=f"shape {tuple(c.shape)}, dtype {c.dtype}")
    if not isinstance(c, jax.core.Tracer):  # the precision guard needs the values (skipped under tracing)
        host = np.asarray(c)
        tot = host.astype(np.float64).sum(axis=1) if host.size else np.zeros(host.shape[0])  # exact below 2**53
        limit = _exact_count_limit()
        if host.size and (tot.max() > limit or (host.dtype.kind == "u" and host.max() > limit)):
            b = int(np.argmax(tot))
            raise PrecisionError(f"counts: profile {b} totals {int(host[b].astype(object).sum())} voters, above the "
                                 f"{limit} the voting kernels count exactly (int32 tallies; float32 without x64); use "
                                 "the theory layer's rules, exact up to 2**62 voters")
    return jnp.asarray(c)


def _cap(p: jax.Array, max_elements: Any) -> None:
    cap = V.check_int("max_elements", max_elements, lo=1)
    b, v, m = (int(x) for x in p.shape)
    work = b * v * m + (b * m * m if m > _HIST_MAX_M else b * (math.factorial(m) + 1) * (1 + 2 * m * m))
    V.check_size("profiles", work, cap=cap, unit="array elements")


@provenance("M", where="spec §2.5: strict-order profiles")
def validate_profiles(profiles: Any, counts: Any = None) -> None:
    """Host-side value checks of a batch of profiles (the boundary the kernels run when ``validate=True``).

    Parameters
    ----------
    profiles : int array (n_profiles, n_voters, n_alternatives)
    counts : int array (n_profiles, n_voters), optional
        Non-negative multiplicities.

    Raises
    ------
    InvalidInputError
        Naming the first profile and voter whose ranking is not a permutation, or negative counts.

    Notes
    -----
    :math:`O(PVm\\log m)` on the host; call it on concrete data before ``jax.jit``-ing a pipeline.

    Examples
    --------
    >>> validate_profiles(np.array([[[0, 1], [1, 0]]]))
    >>> validate_profiles(np.array([[[0, 1], [1, 1]]]))
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: profiles: every ranking must be a permutation of 0..n_alternatives-1 (received profile 0, voter 1 = [1, 1])
    """
    p = np.asarray(_profiles(profiles))
    m = p.shape[-1]
    ok = np.all(np.sort(p, axis=-1) == np.arange(m), axis=-1)
    if not ok.all():
        b, v = (int(i) for i in np.argwhere(~ok)[0])
        raise InvalidInputError("profiles", "every ranking must be a permutation of 0..n_alternatives-1",
                                received=f"profile {b}, voter {v} = {p[b, v].tolist()}")
    if counts is not None:
        c = np.asarray(_counts(counts, jnp.asarray(p)))
        if np.any(c < 0):
            raise InvalidInputError("counts", "multiplicities must be >= 0", received=f"min {int(c.min())}")


def _host_checks(validate: bool, p: jax.Array, counts: Any, w: jax.Array) -> None:
    if validate and not _traced(p, w):
        validate_profiles(p, None if counts is None else w)


def _prepare(profiles, counts, validate, max_elements):
    p = _profiles(profiles)
    w = _counts(counts, p)
    _cap(p, max_elements)
    _host_checks(validate, p, counts, w)
    return p, w


_ranks_jit = jax.jit(lambda p: jnp.argsort(p, axis=-1).astype(p.dtype))


@provenance("M", where="spec §2.5 positions r_v(c)")
def ranks(profiles: Any, *, validate: bool = True, max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Position of each alternative in each voter's ranking (0 = top), shape (P, V, m) [M].

    Parameters
    ----------
    profiles : int array (P, V, m)
    validate : bool, default True
        Host-side check that every ranking is a permutation (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set, checked before any work: :math:`PVm + P(m!+1)(1+2m^2)` elements for
        :math:`m \\le 7` (ranking histograms), :math:`PVm + Pm^2` above; the same for every profile kernel.

    Returns
    -------
    int array (P, V, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    ``argsort`` of each ranking: :math:`O(PVm\\log m)`.

    Examples
    --------
    >>> np.asarray(ranks(np.array([[[2, 0, 1]]]))).tolist()
    [[[1, 2, 0]]]
    """
    p, _ = _prepare(profiles, None, validate, max_elements)
    return _ranks_jit(p)


@provenance("M", where="spec §2.5 position counts")
def position_counts_batched(profiles: Any, counts: Any = None, *, validate: bool = True,
                            max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """:math:`\\pi_c(P)_r` for a batch: int array (P, m, m), row = alternative, column = position [M].

    The batched twin of :func:`aligntheory.theory.social_choice.position_counts`.

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
        Multiplicities of the rows.
    validate : bool, default True
        Host-side value checks (skipped under tracing; invalid rankings then count for nothing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    int array (P, m, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    :math:`O(PV m)` plus :math:`O(P\\,m!\\,m^2)` for the histogram products (:math:`m \\le 7`).

    Examples
    --------
    >>> np.asarray(position_counts_batched(np.array([[[0, 1], [1, 0], [0, 1]]]))).tolist()
    [[[2, 1], [1, 2]]]
    """
    return _position_counts(*_prepare(profiles, counts, validate, max_elements))


@provenance("M", where="spec §2.5 plurality")
def plurality(profiles: Any, counts: Any = None, *, validate: bool = True,
              max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Plurality winning sets, boolean mask (P, m) [M] (§2.5).

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    bool array (P, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    See :func:`position_counts_batched`.

    Examples
    --------
    >>> np.asarray(plurality(np.array([[[0, 1, 2], [1, 0, 2]]]))).tolist()
    [[True, True, False]]
    """
    return _plurality(*_prepare(profiles, counts, validate, max_elements))


@provenance("M", where="spec §2.5 Borda")
def borda(profiles: Any, counts: Any = None, *, validate: bool = True,
          max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Borda winning sets (:math:`s_r = m - r`), boolean mask (P, m) [M] (§2.5).

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    bool array (P, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    Works under ``jax.jit`` and ``jax.vmap`` (host checks are skipped on tracers).

    Examples
    --------
    >>> np.asarray(borda(np.array([[[0, 1, 2], [1, 2, 0]]]))).tolist()
    [[False, True, False]]
    """
    return _borda(*_prepare(profiles, counts, validate, max_elements))


@provenance("M", where="spec §2.5 positional scoring rules")
def scoring_rule(profiles: Any, score_vector: Any, counts: Any = None, *, validate: bool = True,
                 max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Positional scoring rule winning sets for a non-increasing float64 ``score_vector`` (m,) [M] (§2.5).

    Scores are :math:`\\langle s, \\pi_c(P)\\rangle` from integer position counts, summed in float64: the
    winning sets are exact when every entry of ``s`` is an integer and :math:`n \\max|s| \\le 2^{53}`
    (:math:`n` voters); otherwise rounding can create or break a tie. The theory layer's
    :func:`aligntheory.theory.social_choice.scoring_winners` compares the exact scores.

    Parameters
    ----------
    profiles : int array (P, V, m)
    score_vector : float64 array (m,)
        Finite and non-increasing (checked on the host when ``validate``).
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks of the rankings, counts and ``score_vector`` (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    bool array (P, m)

    Raises
    ------
    InvalidInputError, PrecisionError, SizeCapError

    Notes
    -----
    See :func:`position_counts_batched`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(scoring_rule(np.array([[[0, 1, 2], [1, 2, 0]]]), np.array([2.0, 1.0, 0.0]))).tolist()
    [[False, True, False]]
    """
    score_vector = _arr("score_vector", score_vector)
    check_precision_all("scoring_rule", score_vector=score_vector)
    p, w = _prepare(profiles, counts, validate, max_elements)
    s = f64("score_vector", score_vector, ndim=1)
    if s.shape[0] != p.shape[-1]:
        raise InvalidInputError("score_vector", f"must have length n_alternatives = {p.shape[-1]}",
                                received=f"shape {tuple(s.shape)}")
    if validate and not _traced(s):
        sv = np.asarray(s)
        if not np.all(np.isfinite(sv)):
            raise InvalidInputError("score_vector", "non-finite input: entries must be finite")
        if sv.shape[0] > 1 and np.any(np.diff(sv) > 0):
            raise InvalidInputError("score_vector", "must be non-increasing (s_1 >= ... >= s_m)",
                                    received=sv.tolist())
    return _scoring(p, w, s)


@provenance("M", where="spec §2.5 margins")
def margins_batched(profiles: Any, counts: Any = None, *, validate: bool = True,
                    max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Margin matrices :math:`\\mathrm{mg}(a,b)`, int array (P, m, m) [M] (§2.5).

    The batched twin of :func:`aligntheory.theory.social_choice.margins`; ``counts`` weight the rows.

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    int array (P, m, m), antisymmetric

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    See :func:`position_counts_batched`.

    Examples
    --------
    >>> np.asarray(margins_batched(np.array([[[0, 1], [0, 1], [1, 0]]]))).tolist()
    [[[0, 1], [-1, 0]]]
    >>> np.asarray(margins_batched(np.array([[[0, 1], [1, 0]]]), counts=np.array([[1, 3]]))).tolist()
    [[[0, -2], [2, 0]]]
    """
    return _margins(*_prepare(profiles, counts, validate, max_elements))


@provenance("M", where="spec §2.5 Copeland")
def copeland(profiles: Any, counts: Any = None, *, validate: bool = True,
             max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Copeland winning sets (scores +1 / 0 / -1), boolean mask (P, m) [M] (§2.5).

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    bool array (P, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    See :func:`position_counts_batched`.

    Examples
    --------
    >>> np.asarray(copeland(np.array([[[0, 1, 2], [1, 2, 0], [2, 0, 1]]]))).tolist()
    [[True, True, True]]
    """
    return _copeland(*_prepare(profiles, counts, validate, max_elements))


@provenance("M", where="spec §2.5 Condorcet winner")
def condorcet_winner_mask(profiles: Any, counts: Any = None, *, validate: bool = True,
                          max_elements: int = MAX_ELEMENTS) -> jax.Array:
    """Condorcet winner as a boolean mask (P, m): at most one True per row, none when there is none [M].

    The mask form of :func:`aligntheory.theory.social_choice.condorcet_winner` (which returns
    ``int | None``); it matches pref_voting's ``Profile.condorcet_winner()``, not its ``condorcet``
    voting method (all candidates when there is no Condorcet winner).

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    bool array (P, m)

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    See :func:`position_counts_batched`.

    Examples
    --------
    >>> P = np.array([[[0, 1, 2], [1, 2, 0], [2, 0, 1]], [[1, 0, 2], [1, 2, 0], [0, 1, 2]]])
    >>> np.asarray(condorcet_winner_mask(P)).tolist()
    [[False, False, False], [False, True, False]]
    """
    return _condorcet(*_prepare(profiles, counts, validate, max_elements))


condorcet_winner = condorcet_winner_mask
"""Deprecated alias of :func:`condorcet_winner_mask` (shown under this name in the README); not in ``__all__``."""


@provenance("M", where="spec §2.5")
class RuleMasks(NamedTuple):
    """Winner masks of :func:`all_rules`, each a bool array (P, m).

    Examples
    --------
    >>> out = all_rules(np.array([[[0, 1, 2]]]))
    >>> np.asarray(out.borda).tolist()
    [[True, False, False]]
    """

    plurality: jax.Array
    borda: jax.Array
    copeland: jax.Array
    condorcet: jax.Array


@provenance("M", where="spec §2.5")
def all_rules(profiles: Any, counts: Any = None, *, validate: bool = True,
              max_elements: int = MAX_ELEMENTS) -> RuleMasks:
    """Plurality, Borda, Copeland and Condorcet masks in one fused pass (shared histogram and margins) [M].

    Parameters
    ----------
    profiles : int array (P, V, m)
    counts : int array (P, V), optional
    validate : bool, default True
        Host-side value checks: every ranking a permutation, counts >= 0 (skipped under tracing).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on the working set as in :func:`ranks`, checked before any work
        (:class:`~aligntheory.errors.SizeCapError` past it).

    Returns
    -------
    RuleMasks

    Raises
    ------
    InvalidInputError, SizeCapError

    Notes
    -----
    One pass; see :func:`position_counts_batched`.

    Examples
    --------
    >>> out = all_rules(np.array([[[0, 1, 2], [1, 0, 2], [0, 2, 1]]]))
    >>> {k: np.asarray(v).tolist() for k, v in out._asdict().items()}
    {'plurality': [[True, False, False]], 'borda': [[True, False, False]], 'copeland': [[True, False, False]], 'condorcet': [[True, False, False]]}
    """
    return RuleMasks(*_all(*_prepare(profiles, counts, validate, max_elements)))
