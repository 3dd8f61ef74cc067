"""The sharded chain/tree dataset sweep equals the single-device run (8 virtual CPU devices, issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np

from aligntheory.kernels import ibn as KI

_SCRIPT = textwrap.dedent("""
    import numpy as np, jax
    from aligntheory.config import configure
    configure()
    from aligntheory.kernels import ibn as KI
    assert len(jax.devices()) == 8, jax.devices()
    keys = jax.random.split(jax.random.PRNGKey(3), 6)   # 6 seeds on 8 devices: padding path
    many = KI.chain_tree_datasets_batched(keys, 64, 40, 8, 6, 2, 5)
    one = KI.chain_tree_datasets_batched(keys, 64, 40, 8, 6, 2, 5, devices=jax.devices()[:1])
    assert many.n_devices == 8 and one.n_devices == 1
    shard = {len(s.device_set) for s in [many.chain_responses.sharding]}
    np.savez(__import__("sys").argv[1], *[np.asarray(x) for x in many[:4]], *[np.asarray(x) for x in one[:4]])
    print("devices", shard)
""")


def test_sharded_equals_single_device_bit_for_bit(tmp_path):
    out = tmp_path / "out.npz"
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=8", JAX_PLATFORMS="cpu")
    r = subprocess.run([sys.executable, "-c", _SCRIPT, str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    z = np.load(out)
    arrs = [z[f"arr_{i}"] for i in range(8)]
    for a, b in zip(arrs[:4], arrs[4:]):
        assert a.shape == b.shape and np.array_equal(a, b)  # integer outputs of the same streams: bit-for-bit


def test_each_seed_is_the_unbatched_generator():
    """Independent route: the per-seed kernels chain_pairs / tree_pairs on the split keys."""
    import jax

    keys = jax.random.split(jax.random.PRNGKey(5), 2)
    out = KI.chain_tree_datasets_batched(keys, 16, 10, 4, 3, 2, 2)
    for s in range(2):
        k1, k2 = jax.random.split(keys[s])
        cr, cp = KI.chain_pairs(k1, 16, 4, 3)
        ds = KI.tree_pairs(k2, 10, 4, 3, 2, 2)
        assert np.array_equal(out.chain_responses[s], cr) and np.array_equal(out.chain_pairs[s], cp)
        assert np.array_equal(out.tree_responses[s], ds.responses) and np.array_equal(out.tree_pairs[s], ds.pairs)


def test_bad_keys_and_caps():
    import jax
    import pytest

    from aligntheory.errors import InvalidInputError, SizeCapError

    with pytest.raises(InvalidInputError):
        KI.chain_tree_datasets_batched(jax.numpy.zeros((3,), dtype=jax.numpy.uint32), 4, 4, 4, 3, 2, 2)
    with pytest.raises(SizeCapError):
        KI.chain_tree_datasets_batched(jax.random.split(jax.random.PRNGKey(0), 2), 10**6, 4, 4, 3, 2, 2,
                                       max_comparisons=1000)
    with pytest.raises(InvalidInputError):
        KI.seed_mesh([])
