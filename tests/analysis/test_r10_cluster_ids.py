"""Cluster ids that compare equal are one cluster whatever the input form (found in round 10 of issue 11:
records and files kept 1 and 1.0 apart, as the strings '1' and '1.0', while a pandas column merged them)."""

import numpy as np
import pandas as pd
import pytest

from aligntheory.analysis.arena import read_battles
from aligntheory.errors import InvalidInputError

IDS = [1, 1.0, 2, np.float32(2.0), np.int64(3), "3", True]


def _records(ids):
    return [dict(model_a="a", model_b="b", winner="model_a", judge=j) for j in ids]


def test_records_group_cluster_ids_like_a_pandas_column():
    from_records = read_battles(_records(IDS), cluster="judge").cluster
    from_frame = read_battles(pd.DataFrame({"model_a": ["a"] * 7, "model_b": ["b"] * 7, "winner": ["model_a"] * 7,
                                            "judge": pd.Series(IDS, dtype=object)}), cluster="judge").cluster
    # first-appearance codes by Python equality: 1 == 1.0 == True, 2.0 == float32(2), int64(3) != "3"
    assert from_records.tolist() == [0, 0, 1, 1, 2, 3, 0]
    assert from_frame.tolist() == from_records.tolist()


def test_a_float32_nan_cluster_id_is_refused():
    with pytest.raises(InvalidInputError) as e:
        read_battles(_records([1, np.float32("nan")]), cluster="judge")
    assert e.value.argument == "battles[1].judge"
