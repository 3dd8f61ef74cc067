"""PKU-SafeRLHF-format preference data (issue 15 item 1): harm tables and the dual Bradley-Terry fit.

Private module: :func:`analyse_safety_preferences` is public through :mod:`aligntheory.analysis.safety`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

_SAFE = "dai2023safe"
MAX_LOG_BYTES = 2 * 10**9
"""Largest cost log or records file read (bytes)."""


_FIELDS = ("prompt", "response_0", "response_1", "is_response_0_safe", "is_response_1_safe",
           "response_0_harm_category", "response_1_harm_category", "response_0_severity_level",
           "response_1_severity_level", "better_response_id", "safer_response_id")
MAX_RECORDS = 10**6
MAX_FIT_ITEMS = 4000


def _records(records: Any) -> list[dict[str, Any]]:
    if isinstance(records, (str, Path)):
        p = Path(records)
        if not p.is_file():
            raise InvalidInputError("records", "must be an existing file", received=str(p))
        V.check_size("records", p.stat().st_size, cap=MAX_LOG_BYTES, unit="bytes")
        if p.suffix.lower() == ".parquet":
            pd = require("pandas")
            require("pyarrow")  # pandas reads Parquet through pyarrow
            return _records(pd.read_parquet(p))
        text = p.read_text()
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = []
            for i, line in enumerate(text.splitlines()):
                if line.strip():
                    try:
                        data.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InvalidInputError(f"{p} line {i + 1}", "is not valid JSON") from exc
        return _records(data)
    if hasattr(records, "to_dict") and hasattr(records, "columns"):
        records = records.to_dict(orient="records")
    if not isinstance(records, Sequence) or isinstance(records, (str, bytes)) or not records:
        raise InvalidInputError("records", "must be a non-empty list of records, a DataFrame or a file path",
                                received=type(records).__name__)
    V.check_size("records", len(records), cap=MAX_RECORDS, unit="records")
    return list(records)


def _bool(rec: dict, i: int, key: str) -> bool:
    v = rec[key]
    if not isinstance(v, (bool, np.bool_)):
        raise InvalidInputError(f"records[{i}].{key}", "must be a bool", received=v)
    return bool(v)


def _id01(rec: dict, i: int, key: str) -> int:
    v = rec[key]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or int(v) not in (0, 1):
        raise InvalidInputError(f"records[{i}].{key}", "must be 0 or 1", received=v)
    return int(v)


def _label(rec: dict, i: int, k: int, safe: bool):
    from aligntheory.theory.safety import parse_harm_label

    flags = rec[f"response_{k}_harm_category"]
    sev = rec[f"response_{k}_severity_level"]
    if isinstance(sev, (bool, np.bool_)) or not isinstance(sev, (int, np.integer)) or not 0 <= int(sev) <= 3:
        raise InvalidInputError(f"records[{i}].response_{k}_severity_level", "must be an integer in 0..3", received=sev)
    try:
        lab = parse_harm_label(dict(flags) if isinstance(flags, dict) else flags, int(sev))
    except InvalidInputError as exc:
        raise InvalidInputError(f"records[{i}].response_{k}_harm_category", str(exc)) from exc
    if not safe and not lab.categories:
        raise InvalidInputError(f"records[{i}].response_{k}_harm_category",
                                "a response marked unsafe must flag at least one harm category")
    return lab


def _newton(n: int, pairs: np.ndarray, signs: list[tuple[int, float]], ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """Minimise sum softplus(-(x_w - x_l)) + sum softplus(-s x_i) + ridge/2 |x|^2; returns (x, standard errors)."""
    from scipy.special import expit

    x = np.zeros(n)
    si = np.array([s[0] for s in signs], dtype=np.int64)
    ss = np.array([s[1] for s in signs], dtype=float)
    w, l_ = (pairs[:, 0], pairs[:, 1]) if pairs.size else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    H = np.eye(n)
    for _ in range(100):
        q = expit(-(x[w] - x[l_]))
        g = ridge * x
        np.add.at(g, w, -q)
        np.add.at(g, l_, q)
        H = ridge * np.eye(n)
        pq = q * (1 - q)
        np.add.at(H, (w, w), pq)
        np.add.at(H, (l_, l_), pq)
        np.add.at(H, (w, l_), -pq)
        np.add.at(H, (l_, w), -pq)
        if si.size:
            qs = expit(-ss * x[si])
            np.add.at(g, si, -ss * qs)
            np.add.at(H, (si, si), qs * (1 - qs))
        step = np.linalg.solve(H, g)
        x = x - step
        if np.max(np.abs(step)) < 1e-12:
            break
    return x, np.sqrt(np.diag(np.linalg.inv(H)))


@provenance("M", source=_SAFE, where="PKU-SafeRLHF-format analysis: harm tables, dual Bradley-Terry fit (B-T7), frontier (B-T5)")
def analyse_safety_preferences(records: Any, *, ridge: float = 1.0, beta: float = 1.0,
                               n_budgets: int = 25) -> dict[str, Any]:
    """Analyse PKU-SafeRLHF-format preference records [M].

    Validates every field (errors name the record and field), tabulates harm category x severity
    (per response and per prompt), the disagreement rate of the helpfulness and harmlessness
    preferences, fits the dual Bradley--Terry model of our B-T7 (reward from ``better_response_id``;
    cost from ``safer_response_id`` plus the sign terms :math:`-\\log\\sigma(s(y)c(y))`, :math:`s=+1`
    unsafe, so :math:`c>0` means predicted unsafe) with a ridge ``ridge/2 |x|^2`` (a Gaussian prior:
    each response usually appears in one pair, so the unpenalised MLE diverges) and Laplace standard
    errors, and traces the tilted-policy frontier (our B-T5) over all responses with a uniform reference.

    Parameters
    ----------
    records : list of dict, pandas.DataFrame, or path (JSON Lines / JSON array / Parquet)
    ridge : float
        Positive prior precision.
    beta : float
        KL strength of the frontier.
    n_budgets : int

    Returns
    -------
    dict
        ``n_records``, ``n_responses``, ``severity_counts``, ``category_severity_counts`` (category ->
        severity name -> count), ``category_rate_per_response``, ``category_rate_per_prompt``,
        ``preference_disagreement_rate``, ``fit`` (reward/cost scores and standard errors per response),
        ``frontier`` (budgets, helpfulness, harm, lambda).

    Raises
    ------
    InvalidInputError
        A missing or invalid field, naming ``records[i].field``.
    SizeCapError
        More than 10**6 records or 4000 distinct responses to fit.

    Notes
    -----
    Tables :math:`O(N)`; fit :math:`O(n^3)` dense Newton in the number of responses :math:`n`.

    Examples
    --------
    >>> rec = {"prompt": "p", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
    ...        "is_response_1_safe": False, "response_0_harm_category": {}, "response_1_harm_category": {"Drugs": True},
    ...        "response_0_severity_level": 0, "response_1_severity_level": 2, "better_response_id": 1,
    ...        "safer_response_id": 0}
    >>> out = analyse_safety_preferences([rec])
    >>> out["category_severity_counts"]["Drugs"]["MODERATE"], out["preference_disagreement_rate"]
    (1, 1.0)
    """
    from aligntheory.theory.safety import HarmCategory, Severity, frontier

    recs = _records(records)
    ridge = V.check_scalar("ridge", ridge, positive=True)
    beta = V.check_scalar("beta", beta, positive=True)
    nb = V.check_int("n_budgets", n_budgets, lo=2, hi=10_000)
    items: dict[tuple[str, str], int] = {}
    unsafe_of: dict[int, bool] = {}
    better, harmful = [], []
    cat_names = [c.display_name for c in HarmCategory]
    table = {c: {s.name: 0 for s in Severity} for c in cat_names}
    sev_counts = {s.name: 0 for s in Severity}
    per_prompt: dict[str, set[str]] = {}
    disagree = 0
    for i, rec in enumerate(recs):
        if not isinstance(rec, dict):
            raise InvalidInputError(f"records[{i}]", "must be a mapping", received=type(rec).__name__)
        missing = [f for f in _FIELDS if f not in rec]
        if missing:
            raise InvalidInputError(f"records[{i}]", f"missing field(s) {missing}")
        for f in ("prompt", "response_0", "response_1"):
            if not isinstance(rec[f], str):
                raise InvalidInputError(f"records[{i}].{f}", "must be a string", received=type(rec[f]).__name__)
        b, s = _id01(rec, i, "better_response_id"), _id01(rec, i, "safer_response_id")
        ids = []
        cats_here = per_prompt.setdefault(rec["prompt"], set())
        for k in (0, 1):
            safe = _bool(rec, i, f"is_response_{k}_safe")
            lab = _label(rec, i, k, safe)
            key = (rec["prompt"], rec[f"response_{k}"])
            if key not in items:
                items[key] = len(items)
                sev_counts[lab.severity.name] += 1
                for c in lab.categories:
                    table[c.display_name][lab.severity.name] += 1
                    cats_here.add(c.display_name)
            unsafe_of[items[key]] = not safe
            ids.append(items[key])
        better.append((ids[b], ids[1 - b]))
        harmful.append((ids[1 - s], ids[s]))  # the less safe response is the more harmful
        disagree += b != s
    n = len(items)
    V.check_size("records", n, cap=MAX_FIT_ITEMS, unit="distinct responses (dense Newton fit)")
    r, r_se = _newton(n, np.array(better, dtype=np.int64), [], ridge)
    signs = [(j, 1.0 if u else -1.0) for j, u in unsafe_of.items()]
    c, c_se = _newton(n, np.array(harmful, dtype=np.int64), signs, ridge)
    per_resp = {name: sum(table[name].values()) / n for name in cat_names}
    per_pr = {name: sum(name in cs for cs in per_prompt.values()) / len(per_prompt) for name in cat_names}
    ref = np.full(n, 1.0 / n)
    budgets = np.linspace(c.min() + 0.02 * np.ptp(c) + 1e-9, float(np.mean(c)) + 0.5 * np.ptp(c), nb)
    fr = frontier(ref, r, c, beta, budgets)
    return {
        "n_records": len(recs), "n_responses": n, "n_prompts": len(per_prompt),
        "severity_counts": sev_counts, "category_severity_counts": table,
        "category_rate_per_response": per_resp, "category_rate_per_prompt": per_pr,
        "preference_disagreement_rate": disagree / len(recs),
        "fit": {"ridge": ridge, "reward": r.tolist(), "reward_se": r_se.tolist(), "cost": c.tolist(),
                "cost_se": c_se.tolist(), "responses": [list(k) for k in items]},
        "frontier": {"beta": beta, "budgets": fr.budgets.tolist(), "value": fr.value.tolist(),
                     "helpfulness": fr.helpfulness.tolist(),
                     "harm": fr.harm.tolist(), "lambda": fr.lam.tolist()},
    }
