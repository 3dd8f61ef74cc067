"""Tables of the paper: the per-regime Table 2 (placeholder) and the experiment constants [S]."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from aligntheory.errors import InvalidInputError, PaperUnverifiedError
from aligntheory.results import provenance

__all__ = ["PaperTable2", "paper_table2", "experiment_tables"]


@provenance("R", source="qiu2024reward", where="Table 2 (not available to us), spec ibn.md §8")
class PaperTable2(Mapping):
    """The paper's per-regime Table 2, keyed by ``(F_regime, var_regime, topology)`` [R placeholder].

    Every entry is ``None`` until filled from the paper's text (spec ``ibn.md`` §8, open question
    1); reading a ``None`` entry raises :class:`~aligntheory.errors.PaperUnverifiedError`.
    Reconstruction; the full text was not available to us.

    Examples
    --------
    >>> len(paper_table2), paper_table2.is_filled(("poly", "A", "tree"))
    (12, False)
    >>> paper_table2["poly", "A", "tree"]
    Traceback (most recent call last):
    ...
    aligntheory.errors.PaperUnverifiedError: paper_table2[('poly', 'A', 'tree')] is not known: ...
    """

    KEYS = tuple((f, v, t) for f in ("poly", "log", "sublog") for v in ("A", "B") for t in ("chain", "tree"))

    def __init__(self) -> None:
        self._data: dict[tuple[str, str, str], sp.Expr | None] = {k: None for k in self.KEYS}

    def _key(self, key: Any) -> tuple[str, str, str]:
        k = tuple(key) if isinstance(key, (tuple, list)) else (key,)
        if k not in self._data:
            raise InvalidInputError("key", f"must be one of (F_regime, var_regime, topology) in {self.KEYS[:2]}...",
                                    received=key)
        return k  # type: ignore[return-value]

    def __getitem__(self, key: Any) -> sp.Expr:
        k = self._key(key)
        val = self._data[k]
        if val is None:
            raise PaperUnverifiedError(
                f"paper_table2[{k!r}] is not known: the full text of Qiu et al. (arXiv 2402.10184) was not "
                "available to us (spec ibn.md §8)")
        return val

    def is_filled(self, key: Any) -> bool:
        """Whether the entry has been filled from the text (never raises)."""
        return self._data[self._key(key)] is not None

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


paper_table2 = PaperTable2()
"""The per-regime Table 2 of the paper: every entry unknown until filled from the text [R placeholder]."""


experiment_tables: dict[str, Any] = {
    "datasets": ("HH-RLHF", "GSM-8K", "DialogSum"),
    "win_rate": {
        # [S] GPT-4 win rates as reported by readers of the paper (spec ibn.md §4.3, C12)
        "tree_vs_chain": (0.74, 0.63, 0.58),
        "chain_vs_sft": (0.72, 0.57, 0.58),
        "tree_vs_sft": (0.78, 0.65, 0.66),
    },
    "win_rate_reported_mean": {"tree_vs_chain": 0.65, "chain_vs_sft": 0.62, "tree_vs_sft": 0.70},
    "annotation_length": {
        "chain": (427.0, 324.9, 152.0),
        "tree_excluding_prefix": (315.5, 244.9, 151.2),
    },
    "annotation_length_reported_mean": {"chain": 301.3, "tree_including_prefix": 274.4,
                                        "tree_excluding_prefix": 237.2},
    "savings_reported_overall": 0.21,
}
"""Experiment constants of the paper as reported by secondary sources [S] (spec ``ibn.md`` §4.3 C12).

Order of every tuple: ``experiment_tables["datasets"]``. Only the mean is known for the tree
annotation length including the shared prefix.
"""
