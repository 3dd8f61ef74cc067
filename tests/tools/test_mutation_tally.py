"""tools.mutation_tally reads the committed mutation reports consistently."""

from tools.mutation_tally import tally


def test_tally_is_consistent_with_its_parts():
    t = tally()
    pillars = [k for k in t if k != "all"]
    assert sorted(pillars) == ["elasticity", "ibn", "progress", "safety", "social_choice"]
    for col in range(4):
        assert t["all"][col] == sum(t[p][col] for p in pillars)
    for n, claims, math_only, with_tests in t.values():
        assert 0 <= math_only <= claims <= with_tests <= n
    assert t["all"][0] >= 200  # the sample size, equivalents left out
