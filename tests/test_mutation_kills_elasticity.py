"""Tests written to kill surviving mutants of the elasticity pillar (``python -m tools.mutate``,
``docs/mutation-report/elasticity``)."""

from __future__ import annotations

import pytest

pytest.importorskip("jax")


@pytest.mark.parametrize("eos", [0.0, 1.0])
def test_token_tree_refuses_an_end_of_sequence_probability_of_zero_or_one(eos):
    # kills `0.0 < e < 1.0` -> `<=` in token_tree_leaf_probs: the end-of-sequence probability must lie strictly
    # inside (0, 1)
    import jax

    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.elasticity import token_tree_leaf_probs

    configure()
    with pytest.raises(InvalidInputError):
        token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, eos, 1.0)
