"""Malformed inputs to the mechanism returned by ``privileged_ordering_mechanism`` (session 14).

Before: a ``sample`` or ``profile`` without ``len`` (an int, a generator) raised a raw ``TypeError``, and
an unhashable sampled pair (a list) raised ``TypeError: unhashable type``. Now they raise
``InvalidInputError`` naming the argument; iterables are read as sequences.
"""

from __future__ import annotations

import pytest

from aligntheory.errors import InvalidInputError
from aligntheory.theory.social_choice import privileged_ordering_mechanism

PHI = privileged_ordering_mechanism([2, 0, 1])  # pair 2 most privileged, then 0, then 1
PROFILE = ((0, 1, 2), (2, 1, 0))


@pytest.mark.parametrize("sample, profile, name", [
    ((0, 1), 5, "profile"),
    (7, PROFILE, "sample"),
    (None, PROFILE, "sample"),
    ((0, 1), None, "profile"),
    (([0],), ((0, 1, 2),), "privilege"),      # an unhashable "pair" is not ranked by privilege
    ((0.5,), ((0, 1, 2),), "privilege"),       # nor is a non-integer one
    ((0, 1), ((0, 1, 2), (2, 1, 0), (1, 0, 2)), "profile"),
])
def test_malformed_arguments_raise_invalid_input_naming_them(sample, profile, name):
    with pytest.raises(InvalidInputError) as err:
        PHI(sample, profile)
    assert err.value.argument == name


def test_the_most_privileged_sampled_pair_decides_for_any_iterable():
    # expected by hand: of pairs {0, 1}, pair 0 ranks above pair 1 in [2, 0, 1], so its order decides
    assert PHI((0, 1), PROFILE) == (0, 1, 2)
    assert PHI([1, 0], [list(PROFILE[0]), list(PROFILE[1])]) == (2, 1, 0)
    assert PHI(iter([1, 2]), iter([(0, 1, 2), (1, 2, 0)])) == (1, 2, 0)
