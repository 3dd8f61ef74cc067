"""Value vectors and trajectories of progress alignment (spec ``progress_and_safety.md`` A.1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["BlockSpec", "ValueVector", "ValueTrajectory"]

_PG = "qiu2024progressgym"


@provenance("S", source=_PG, where="§3 (value representation: moral rules, foundations, world views)")
@dataclass(frozen=True)
class BlockSpec:
    """Block structure of a value vector (default ProgressGym: 10 moral rules, 5 foundations, 4 world views).

    Parameters
    ----------
    sizes : tuple of int
        Positive block sizes; the dimension is their sum.
    names : tuple of str
        Block names (replaced by ``block0, block1, ...`` when the lengths differ).

    Raises
    ------
    InvalidInputError
        Empty or non-positive sizes.

    Examples
    --------
    >>> BlockSpec().dim
    19
    >>> BlockSpec((2, 3)).slices()
    [slice(0, 2, None), slice(2, 5, None)]
    """

    sizes: tuple[int, ...] = (10, 5, 4)
    names: tuple[str, ...] = ("moral_rules", "moral_foundations", "world_views")

    def __post_init__(self) -> None:
        if not self.sizes or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1
                                 for s in self.sizes):
            raise InvalidInputError("sizes", "must be a non-empty tuple of positive integers", received=self.sizes)
        if len(self.names) != len(self.sizes):
            object.__setattr__(self, "names", tuple(f"block{i}" for i in range(len(self.sizes))))

    @property
    def dim(self) -> int:
        """Total dimension :math:`d`."""
        return int(sum(self.sizes))

    def slices(self) -> list[slice]:
        """One slice per block, in order."""
        edges = np.concatenate([[0], np.cumsum(self.sizes)])
        return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


@provenance("S", source=_PG, where="§3 (value vector in R^19)")
@dataclass(frozen=True)
class ValueVector:
    """A value vector in :math:`\\mathbb R^d` (float64, shape (d,)) with an optional :class:`BlockSpec`.

    Raises
    ------
    InvalidInputError
        Non-finite, complex, ragged or wrongly shaped values; blocks not covering ``d``.

    Examples
    --------
    >>> v = ValueVector(np.arange(19.0), BlockSpec())
    >>> v.block("world_views").tolist()
    [15.0, 16.0, 17.0, 18.0]
    """

    values: np.ndarray
    blocks: BlockSpec | None = None

    def __post_init__(self) -> None:
        arr = V.as_float_array("values", self.values, ndim=1)
        if self.blocks is not None and self.blocks.dim != arr.shape[0]:
            raise InvalidInputError("blocks", f"must cover d = {arr.shape[0]} coordinates", received=self.blocks.dim)
        object.__setattr__(self, "values", arr)

    def block(self, name: str) -> np.ndarray:
        """The coordinates of block ``name``."""
        if self.blocks is None:
            raise InvalidInputError("blocks", "no BlockSpec attached")
        V.check_choice("name", name, self.blocks.names)
        return self.values[self.blocks.slices()[self.blocks.names.index(name)]]


@provenance("S", source=_PG, where="§3 (one value vector per century, 13th-21st)")
@dataclass(frozen=True)
class ValueTrajectory:
    """Times :math:`t_0<\\dots<t_n` (shape (n+1,)) and values :math:`v_j` (shape (n+1, d)).

    ``times=None`` means equispaced with step ``h`` from 0 (ProgressGym: one step per century).

    Parameters
    ----------
    values : array_like, shape (n+1, d)
        Values :math:`v_j`, oldest first.
    times : array_like, shape (n+1,), optional
        Strictly increasing times; ``None``: equispaced with step ``h`` from 0.
    h : float, default 1.0
        Step of the equispaced times, > 0 (checked even when ``times`` is given).
    blocks : BlockSpec, optional
        Block structure; it must cover the ``d`` coordinates.

    Raises
    ------
    InvalidInputError
        Non-finite values, times not strictly increasing, ``h <= 0``.

    Examples
    --------
    >>> tr = ValueTrajectory(np.zeros((9, 19)), h=1.0)
    >>> tr.times.tolist()[:3], tr.n_steps
    ([0.0, 1.0, 2.0], 8)
    """

    values: np.ndarray
    times: np.ndarray | None = None
    h: float = 1.0
    blocks: BlockSpec | None = None

    def __post_init__(self) -> None:
        vals = V.as_float_array("values", self.values, ndim=2)
        h = V.check_scalar("h", self.h, positive=True)
        if self.times is None:
            t = h * np.arange(vals.shape[0], dtype=np.float64)
            if not np.all(np.isfinite(t)):
                raise InvalidInputError("h", "h * n_steps must stay finite", received=h)
        else:
            t = V.as_float_array("times", self.times, shape=(vals.shape[0],))
            if np.any(np.diff(t) <= 0):
                raise InvalidInputError("times", "must be strictly increasing")
        if self.blocks is not None and self.blocks.dim != vals.shape[1]:
            raise InvalidInputError("blocks", f"must cover d = {vals.shape[1]} coordinates", received=self.blocks.dim)
        object.__setattr__(self, "values", vals)
        object.__setattr__(self, "times", t)

    @property
    def n_steps(self) -> int:
        """:math:`n` (the number of steps, one less than the number of points)."""
        return int(self.values.shape[0] - 1)
