"""The voting kernels refuse totals they cannot count exactly (session 12).

Before, with float64 enabled, a count of 2**31 wrapped negative in the int32 scan (m >= 8: plurality marked
every candidate but the winner) and position counts and margins saturated at 2**31 - 1; without float64,
counts 2**24 + 1 and 2**24 tied. Expected values: Python integers written here.
"""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

from aligntheory.errors import PrecisionError  # noqa: E402
from aligntheory.kernels import social_choice as K  # noqa: E402

TWO = np.array([[[0, 1], [1, 0]]])
EIGHT = np.array([[list(range(8)), list(range(7, -1, -1))]])  # m = 8: the scan route


@pytest.mark.parametrize("P", [TWO, EIGHT], ids=["histogram m=2", "scan m=8"])
def test_exact_at_the_int32_limit_and_refused_one_past_it(P):
    a, b = 2**30, 2**30 - 1  # total 2**31 - 1: the largest exact total
    m = P.shape[-1]
    mask = np.asarray(K.plurality(P, np.array([[a, b]])))
    assert mask.tolist() == [[c == 0 for c in range(m)]]
    mg = np.asarray(K.margins_batched(P, np.array([[a, b]])))
    assert int(mg[0, 0, m - 1]) == a - b == 1  # 0 is above m-1 for a voters and below for b voters
    pc = np.asarray(K.position_counts_batched(P, np.array([[a, b]])))
    assert int(pc[0, 0, 0]) == a and int(pc[0, m - 1, 0]) == b
    with pytest.raises(PrecisionError, match="counts"):
        K.plurality(P, np.array([[2**30, 2**30]]))
    with pytest.raises(PrecisionError, match="counts"):
        K.margins_batched(P, np.array([[2**31, 0]]))


def test_without_float64_the_limit_is_2_to_24():
    code = (
        "import numpy as np\n"
        "from aligntheory.kernels import social_choice as K\n"
        "from aligntheory.errors import PrecisionError\n"
        "P = np.array([[[0, 1], [1, 0]]])\n"
        "ok = np.asarray(K.plurality(P, np.array([[2**23 + 1, 2**23 - 1]]))).tolist()\n"
        "try:\n"
        "    K.plurality(P, np.array([[2**23 + 1, 2**23]]))\n"
        "    refused = False\n"
        "except PrecisionError:\n"
        "    refused = True\n"
        "print(ok, refused)\n")
    env = {**os.environ, "JAX_ENABLE_X64": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[[True, False]] True"
