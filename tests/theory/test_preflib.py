"""Profiles the pref_voting way (issue #14 item 4): pref_voting profiles, PrefLib files, weak and
truncated orders, candidate names, and the Condorcet semantics.

Anchors: pref_voting's own profile methods (``margin``, ``condorcet_winner``,
``weak_condorcet_winner``) and voting methods (``condorcet``, ``plurality``, ``borda``,
``copeland``), and the rank matrices of the sample files written out by hand here. Every quantity
is an integer count or a set, so comparisons are exact.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import aligntheory.theory.social_choice as S
from aligntheory.errors import InvalidInputError

pv = pytest.importorskip("pref_voting")
from pref_voting.profiles import Profile  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402
from pref_voting.voting_methods import borda, condorcet, copeland, plurality  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "preflib"
FILES = ["cyclic.soc", "winner.soc", "truncated.soi", "ties.toc", "mixed.toi"]


def _pv_read(name):
    from pref_voting.io.readers import preflib_to_profile

    return preflib_to_profile(str(DATA / name), use_cand_names=True, include_cmap=True)


def _pv_margins(prof, cands):
    return np.array([[prof.margin(a, b) for b in cands] for a in cands])


# ----------------------------------------------------------------------------------------------
# reading PrefLib files


def test_sample_files_read_as_written(tmp_path):
    """The rank matrices written out by hand from the file text (0 = top, -1 = unranked)."""
    f = tmp_path / "order.soc"  # names out of alphabetical order: the file's order is kept
    f.write_text("# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 2\n# NUMBER UNIQUE ORDERS: 2\n"
                 "# ALTERNATIVE NAME 1: zed\n# ALTERNATIVE NAME 2: amy\n# ALTERNATIVE NAME 3: max\n"
                 "1: 2,3,1\n1: 1,2,3\n")
    o = S.read_preflib(f)
    assert o.candidates == ("zed", "amy", "max") and o.ranks.tolist() == [[2, 0, 1], [0, 1, 2]]
    p = S.read_preflib(DATA / "cyclic.soc")
    assert p.candidates == ("Alice", "Bob", "Carol") and p.n_voters == 3
    assert p.ranks.tolist() == [[0, 1, 2], [2, 0, 1], [1, 2, 0]]
    q = S.read_preflib(str(DATA / "mixed.toi"))  # "3: 1,{2,3}" / "2: 2,1,4" / "1: {3,4},1"
    assert q.candidates == ("a", "b", "c", "d") and q.counts.tolist() == [3, 2, 1]
    assert q.ranks.tolist() == [[0, 1, 1, -1], [1, 0, -1, 2], [1, -1, 0, 0]]
    t = S.read_preflib(DATA / "ties.toc")
    assert t.ranks.tolist() == [[0, 0, 1], [1, 1, 0], [1, 0, 2]] and t.n_voters == 5


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("extended", [False, True])
def test_files_margins_and_condorcet_match_pref_voting(name, extended):
    prof = _pv_read(name)
    if extended:
        prof.use_extended_strict_preference()
    ours = S.read_preflib(DATA / name, extended=extended)
    cands = list(ours.candidates)  # the file's order; pref_voting's own reader sorts names
    assert sorted(cands) == sorted(prof.candidates)
    np.testing.assert_array_equal(S.margins(ours), _pv_margins(prof, cands))
    np.testing.assert_array_equal(S.margins(prof), _pv_margins(prof, cands))  # the pref_voting object itself
    cw = S.condorcet_winner(ours)
    assert (None if cw is None else cands[cw]) == prof.condorcet_winner()
    assert [cands[c] for c in S.weak_condorcet_winners(ours)] == sorted(prof.weak_condorcet_winner() or [],
                                                                       key=cands.index)
    assert [cands[c] for c in S.copeland_winners(ours)] == sorted(copeland(prof), key=cands.index)


def test_strict_rules_on_a_strict_file_match_pref_voting():
    prof = _pv_read("winner.soc").to_linear_profile()  # a pref_voting Profile (candidates 0..m-1)
    ours = S.read_preflib(DATA / "winner.soc")
    assert list(S.plurality_winners(ours)) == plurality(prof)
    assert list(S.borda_winners(ours)) == borda(prof)
    assert S.condorcet_winner(ours) == prof.condorcet_winner() == 1  # "x"; checked by hand: 5-4 over each


@pytest.mark.parametrize("name", ["truncated.soi", "ties.toc", "mixed.toi"])
@pytest.mark.parametrize("rule", [S.plurality_winners, S.borda_winners, S.borda_ranking, S.position_counts,
                                  lambda p: S.scoring_winners(p, [3, 2, 1, 0][: S.as_profile(p).n_alternatives])])
def test_rules_that_need_strict_orders_refuse_weak_or_truncated_ballots(name, rule):
    with pytest.raises(InvalidInputError, match=r"^profile: .*needs strict orders.*ballot \d"):
        rule(S.read_preflib(DATA / name))


@pytest.mark.parametrize("bad, match", [
    ("nope.soc", "no such PrefLib file"),
    (DATA / "cyclic.soc.txt", "suffix"),
    (42, "must be a path"),
])
def test_read_preflib_refuses_bad_paths(bad, match, tmp_path):
    with pytest.raises(InvalidInputError, match=match):
        S.read_preflib(tmp_path / bad if isinstance(bad, str) else bad)


def test_read_preflib_refuses_garbage(tmp_path):
    f = tmp_path / "junk.soc"
    f.write_bytes(b"\x00\xff garbage\n1: x,y\n")
    with pytest.raises(InvalidInputError, match="^path: "):
        S.read_preflib(f)


# ----------------------------------------------------------------------------------------------
# pref_voting objects, random profiles


def _random_weak(rng, m, n):
    """Random weak, possibly truncated ballots as {candidate name: rank} maps (pref_voting's form)."""
    names = [f"c{i}" for i in range(m)]
    ballots = []
    for _ in range(n):
        k = int(rng.integers(1, m + 1))  # how many are ranked
        ranked = rng.permutation(m)[:k]
        tiers = rng.integers(0, k, size=k)  # rank values (ties when equal; gaps allowed)
        ballots.append({names[int(c)]: int(t) + 1 for c, t in zip(ranked, tiers)})
    return names, ballots


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("extended", [False, True])
def test_random_weak_profiles_match_pref_voting(seed, extended):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 6)), int(rng.integers(1, 9))
    names, ballots = _random_weak(rng, m, n)
    counts = rng.integers(1, 4, size=n).tolist()
    prof = ProfileWithTies(ballots, rcounts=counts, candidates=names)
    if extended:
        prof.use_extended_strict_preference()
    want = _pv_margins(prof, names)
    np.testing.assert_array_equal(S.margins(prof), want)
    # the same ballots written as indifference lists with names
    lists = [[set(c for c, r in b.items() if r == t) for t in sorted(set(b.values()))] for b in ballots]
    np.testing.assert_array_equal(S.margins(S.as_profile(lists, counts, candidates=names, extended=extended)), want)
    cw = S.condorcet_winner(prof)
    assert (None if cw is None else names[cw]) == prof.condorcet_winner()


@pytest.mark.parametrize("seed", range(12))
def test_random_strict_profiles_match_pref_voting_methods(seed):
    rng = np.random.default_rng(100 + seed)
    m, n = int(rng.integers(2, 6)), int(rng.integers(1, 10))
    rankings = np.array([rng.permutation(m) for _ in range(n)])
    counts = rng.integers(1, 4, size=n)
    prof = Profile(rankings.tolist(), rcounts=counts.tolist())
    assert list(S.plurality_winners(prof)) == plurality(prof)
    assert list(S.borda_winners(prof)) == borda(prof)
    assert list(S.copeland_winners(prof)) == copeland(prof)
    assert S.condorcet_winner(prof) == prof.condorcet_winner()
    np.testing.assert_array_equal(S.margins(rankings, counts), _pv_margins(prof, list(range(m))))


# ----------------------------------------------------------------------------------------------
# Condorcet semantics on cyclic profiles (documented in condorcet_winner)


@pytest.mark.parametrize("m", [3, 4, 5])
def test_condorcet_semantics_on_cycles(m):
    """A Latin-square profile is a majority cycle: pref_voting's Profile.condorcet_winner() is None,
    like ours; pref_voting's *method* condorcet returns every candidate; our kernel marks none."""
    rankings = [[(i + j) % m for j in range(m)] for i in range(m)]
    prof = Profile(rankings)
    assert prof.condorcet_winner() is None
    assert S.condorcet_winner(prof) is None and S.condorcet_winner(rankings) is None
    assert condorcet(prof) == list(range(m))  # the documented difference
    jax = pytest.importorskip("jax")
    from aligntheory.config import configure
    from aligntheory.kernels import social_choice as K

    configure()
    mask = K.condorcet_winner_mask(jax.numpy.asarray(np.array(rankings)[None]))
    assert not np.asarray(mask).any()
    # with a Condorcet winner, all four agree on it
    win = [[0] + [(i + j) % (m - 1) + 1 for j in range(m - 1)] for i in range(m - 1)]
    pw = Profile(win)
    assert S.condorcet_winner(win) == pw.condorcet_winner() == 0 and condorcet(pw) == [0]
    assert np.asarray(K.condorcet_winner_mask(jax.numpy.asarray(np.array(win)[None])))[0].tolist() == \
        [True] + [False] * (m - 1)


# ----------------------------------------------------------------------------------------------
# as_profile: forms, names, errors


def test_as_profile_forms_agree():
    arr = np.array([[2, 0, 1], [1, 2, 0]])
    a = S.as_profile(arr, [2, 1], candidates=["x", "y", "z"])
    b = S.as_profile([["z", "x", "y"], ["y", "z", "x"]], [2, 1], candidates=["x", "y", "z"])
    c = S.as_profile(Profile(arr.tolist(), rcounts=[2, 1]))
    for p in (a, b):
        assert p.ranks.tolist() == c.ranks.tolist() and p.counts.tolist() == [2, 1] and p.is_strict
    assert a.candidates == ("x", "y", "z") and c.candidates == (0, 1, 2)
    assert S.check_profile(b).rankings.tolist() == arr.tolist()


@pytest.mark.parametrize("call, name", [
    (lambda: S.as_profile([[0, 0]]), "profile"),
    (lambda: S.as_profile([[0, {1, 0}]]), "profile"),  # a candidate twice
    (lambda: S.as_profile([["a", "q"]], candidates=["a", "b"]), "profile"),
    (lambda: S.as_profile([[0, 1]], candidates=["a"]), "candidates"),
    (lambda: S.as_profile([[0, 1]], candidates=["a", "a"]), "candidates"),
    (lambda: S.as_profile([[0, set()]]), "profile"),
    (lambda: S.as_profile([[0, 1]], [0]), "counts"),
    (lambda: S.as_profile(Profile([[0, 1]]), [1]), "counts"),
    (lambda: S.as_profile(Profile([[0, 1]]), candidates=["a", "b"]), "candidates"),
    (lambda: S.as_profile([[0, 1]], extended="yes"), "extended"),
    (lambda: S.check_profile([[0, {1, 2}]]), "profile"),
])
def test_as_profile_errors_name_the_argument(call, name):
    with pytest.raises(InvalidInputError) as info:
        call()
    assert str(info.value).startswith(name + ":"), str(info.value)
