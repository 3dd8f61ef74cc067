"""Bad-input fuzzing of the foreign-input boundaries (issue #14 items 3 and 4, issue #12 contract).

networkx graphs with bad edge attributes, scipy.sparse / dense matrices with bad entries, profiles
in every supported form with bad content: every call must end in a named library error (or a
TypeError with a message for non-array Python arguments) or a finite result, within the harness's
time limit. Where a call succeeds on a matrix, the answer is checked against networkx (an
independent route). Quick under the default profile; the long run is
``python -m pytest tests/fuzz --hypothesis-profile=fuzz``.
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import scipy.sparse as sps
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.theory import ibn as T
from aligntheory.theory import social_choice as S
from tests.fuzz._harness import bad_arrays, bad_scalars, call_gently

ENTRIES = st.sampled_from([float("nan"), float("inf"), -float("inf"), -1.0, 0.0, 1e-300, 1e300, 0.5, 1.0, 3.0])


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ignored 'weight' attributes and dropped edges are documented warnings
        return call_gently(fn, *args, **kw)


@given(w=st.lists(st.one_of(ENTRIES, st.just("x"), st.just(None), st.just(True), st.just(1 + 2j)),
                  min_size=3, max_size=3),
       invert=st.booleans(), attr=st.sampled_from(["weight", "var", None]))
def test_networkx_graph_attributes(w, invert, attr):
    G = nx.Graph()
    for (u, v), x in zip([("a", "b"), ("b", "c"), ("a", "c")], w):
        G.add_edge(u, v, **({} if x is None else {attr or "weight": x}))
    _quiet(T.effective_resistance, G, weight=attr, invert_weight=invert, pairs=[("a", "c")])


@given(vals=st.lists(ENTRIES, min_size=3, max_size=3), kind=st.sampled_from(["adjacency", "laplacian"]),
       sparse=st.booleans())
def test_matrix_entries(vals, kind, sparse):
    a, b, c = vals
    A = np.array([[0.0, a, b], [a, 0.0, c], [b, c, 0.0]])
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf in the test's own Laplacian is meant
        M = A if kind == "adjacency" else np.diag(A.sum(axis=1)) - A
    status, out = _quiet(T.effective_resistance, sps.csr_array(M) if sparse else M, matrix=kind, pairs=[[0, 2]])
    if all(0.01 < x < 100 for x in vals):
        assert status == "ok", out  # a valid matrix must be accepted
        G = nx.from_numpy_array(A)  # conductances as 'weight'
        want = nx.resistance_distance(G, 0, 2, weight="weight", invert_weight=False)
        assert abs(float(np.asarray(out)[0]) - want) <= 1e-9 * want


@given(m=bad_arrays(), kind=st.one_of(st.sampled_from(["adjacency", "laplacian"]), bad_scalars()))
def test_matrix_shapes_and_kinds(m, kind):
    _quiet(T.effective_resistance, np.asarray(m) if isinstance(m, np.ndarray) else m, matrix=kind)


@given(pairs=st.one_of(bad_arrays(), st.lists(st.tuples(st.sampled_from(["a", "b", "z", 0, None]),
                                                        st.sampled_from(["a", "c", 1.5])), max_size=3)))
def test_label_pairs(pairs):
    G = nx.path_graph(["a", "b", "c"])
    _quiet(T.effective_resistance, G, pairs=pairs)


BALLOT_ITEMS = st.one_of(st.integers(-2, 4), st.sampled_from(["x", "y", "q", None, 1.5, True]),
                         st.frozensets(st.integers(-1, 3), max_size=3))


@given(ballots=st.lists(st.lists(BALLOT_ITEMS, max_size=4), max_size=4),
       names=st.one_of(st.none(), st.just(["x", "y", "z"]), st.just(["x", "x"])),
       counts=st.one_of(st.none(), bad_arrays()), extended=st.one_of(st.none(), st.booleans(), bad_scalars()))
def test_profiles_in_list_form(ballots, names, counts, extended):
    status, prof = call_gently(S.as_profile, ballots, counts, candidates=names, extended=extended)
    if status == "ok":
        call_gently(S.margins, prof)
        call_gently(S.condorcet_winner, prof)
        call_gently(S.borda_winners, prof)


@given(p=bad_arrays(), counts=st.one_of(st.none(), bad_arrays()))
def test_profiles_in_array_form(p, counts):
    for fn in (S.as_profile, S.margins, S.plurality_winners):
        call_gently(fn, p, counts)


@given(text=st.binary(max_size=200), suffix=st.sampled_from([".soc", ".soi", ".toc", ".toi", ".txt"]))
def test_preflib_garbage_files(tmp_path_factory, text, suffix):
    f = tmp_path_factory.mktemp("preflib") / f"x{suffix}"
    f.write_bytes(text)
    call_gently(S.read_preflib, f)
