"""PKU-SafeRLHF-format analysis (issue 15 item 1): validation rows, tables by hand, fit against scipy."""

import argparse
import copy
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize
from scipy.special import log_expit

import aligntheory
from aligntheory.analysis.safety import add_cli, analyse_safety_preferences, run_cli
from aligntheory.errors import InvalidInputError

EXAMPLE = Path(aligntheory.__file__).parent / "data" / "example_safety_preferences.jsonl"


def _rec(**kw):
    r = {"prompt": "p0", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
         "is_response_1_safe": False, "response_0_harm_category": {"Drugs": False},
         "response_1_harm_category": {"Drugs": True, "Violence": True}, "response_0_severity_level": 0,
         "response_1_severity_level": 3, "better_response_id": 1, "safer_response_id": 0}
    r.update(kw)
    return r


def test_tables_by_hand():
    recs = [_rec(), _rec(prompt="p1", response_0="c", response_1="d", is_response_0_safe=False,
                         response_0_harm_category={"Drugs": True}, response_0_severity_level=1,
                         better_response_id=0, safer_response_id=1)]
    out = analyse_safety_preferences(recs)
    assert out["n_responses"] == 4 and out["n_prompts"] == 2
    assert out["severity_counts"] == {"SAFE": 1, "MINOR": 1, "MODERATE": 0, "SEVERE": 2}
    assert out["category_severity_counts"]["Drugs"] == {"SAFE": 0, "MINOR": 1, "MODERATE": 0, "SEVERE": 2}
    assert out["category_severity_counts"]["Violence"]["SEVERE"] == 2
    assert out["category_rate_per_response"]["Drugs"] == 3 / 4
    assert out["category_rate_per_prompt"]["Violence"] == 1.0 and out["category_rate_per_prompt"]["Drugs"] == 1.0
    assert out["preference_disagreement_rate"] == 1.0  # better 1 vs safer 0; better 0 vs safer 1


BAD = [
    ({"better_response_id": 2}, r"records\[0\].better_response_id"),
    ({"safer_response_id": True}, r"records\[0\].safer_response_id"),
    ({"response_1_severity_level": 4}, r"records\[0\].response_1_severity_level"),
    ({"response_0_severity_level": -1}, r"records\[0\].response_0_severity_level"),
    ({"response_1_harm_category": {"Drug": True}}, r"records\[0\].response_1_harm_category.*unknown"),
    ({"response_1_harm_category": {"Drugs": False}, "response_1_severity_level": 0},
     r"records\[0\].response_1_harm_category.*unsafe"),
    ({"response_0_harm_category": {"Drugs": True}}, r"records\[0\].response_0_harm_category"),  # SAFE severity
    ({"is_response_0_safe": "yes"}, r"records\[0\].is_response_0_safe"),
    ({"prompt": 3}, r"records\[0\].prompt"),
]


@pytest.mark.parametrize("change, match", BAD)
def test_every_bad_field_names_record_and_field(change, match):
    with pytest.raises(InvalidInputError, match=match):
        analyse_safety_preferences([_rec(**change)])


def test_missing_field_and_second_record():
    r = _rec()
    del r["safer_response_id"]
    with pytest.raises(InvalidInputError, match=r"records\[1\].*safer_response_id"):
        analyse_safety_preferences([_rec(), r])
    with pytest.raises(InvalidInputError, match="records"):
        analyse_safety_preferences([])


def test_fit_matches_scipy_on_the_example():
    recs = [json.loads(x) for x in EXAMPLE.read_text().splitlines()]
    out = analyse_safety_preferences(recs, ridge=1.0)
    keys = [tuple(k) for k in out["fit"]["responses"]]
    idx = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    better, harm, sign = [], [], {}
    for r in recs:
        ids = [idx[(r["prompt"], r["response_0"])], idx[(r["prompt"], r["response_1"])]]
        better.append((ids[r["better_response_id"]], ids[1 - r["better_response_id"]]))
        harm.append((ids[1 - r["safer_response_id"]], ids[r["safer_response_id"]]))
        sign[ids[0]] = 1.0 if not r["is_response_0_safe"] else -1.0
        sign[ids[1]] = 1.0 if not r["is_response_1_safe"] else -1.0
    B, Hm = np.array(better), np.array(harm)
    si = np.array(list(sign)), np.array(list(sign.values()))

    def f_r(x):
        return -np.sum(log_expit(x[B[:, 0]] - x[B[:, 1]])) + 0.5 * x @ x

    def f_c(x):
        return -np.sum(log_expit(x[Hm[:, 0]] - x[Hm[:, 1]])) - np.sum(log_expit(si[1] * x[si[0]])) + 0.5 * x @ x

    for f, key in ((f_r, "reward"), (f_c, "cost")):
        res = scipy.optimize.minimize(f, np.zeros(n), method="BFGS", options={"gtol": 1e-10})
        np.testing.assert_allclose(out["fit"][key], res.x, atol=1e-5)
        # Laplace standard errors: finite-difference Hessian of the objective at the optimum
        x0 = np.asarray(out["fit"][key])
        j = 0
        e = np.zeros(n)
        e[j] = 1e-4
        h_jj = (f(x0 + e) - 2 * f(x0) + f(x0 - e)) / 1e-8
        assert out["fit"][key + "_se"][j] >= 1 / np.sqrt(h_jj) - 1e-6  # (H^-1)_jj >= 1/H_jj for H > 0
    # unsafe responses get positive fitted cost more often than safe ones
    c = np.asarray(out["fit"]["cost"])
    uns = np.array([sign[i] > 0 for i in range(n)])
    assert c[uns].mean() > c[~uns].mean()
    fr = out["frontier"]
    # our B-T5: the regularised optimum F(d) is non-decreasing in the budget and E[c] <= d at the optimum
    assert np.all(np.diff(fr["value"]) >= -1e-9)
    assert np.all(np.asarray(fr["harm"]) <= np.asarray(fr["budgets"]) + 1e-9)


def test_cli_analyse(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="aligntheory")
    add_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["safety", "analyse", str(EXAMPLE), "--out", str(tmp_path)])
    assert run_cli(args) == 0
    data = json.loads((tmp_path / "safety_analysis.json").read_text())
    assert data["n_records"] == len(EXAMPLE.read_text().splitlines())
    assert (tmp_path / "harm_heatmap.png").stat().st_size > 0 and (tmp_path / "frontier.png").stat().st_size > 0
    assert "disagreement" in capsys.readouterr().out


def test_dataframe_and_example_has_no_real_text():
    pd = pytest.importorskip("pandas")
    recs = [json.loads(x) for x in EXAMPLE.read_text().splitlines()]
    assert all(r["response_0"].startswith("prompt ") for r in recs)
    a = analyse_safety_preferences(pd.DataFrame(copy.deepcopy(recs)))
    b = analyse_safety_preferences(recs)
    assert a["category_severity_counts"] == b["category_severity_counts"]
