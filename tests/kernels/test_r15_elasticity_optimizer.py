"""``optimizer`` is checked by every elasticity trainer: before round 15, ``pretrain``, ``distill_steps`` and
``distill_steps_batched`` ran Adam for any string other than "gd" (a typo such as "sgd" was a silent Adam run),
while ``train_softmax`` and ``sequential_finetune`` refused it."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from aligntheory.errors import InvalidInputError
from aligntheory.kernels import elasticity as K

jax.config.update("jax_enable_x64", True)

M = K.ModelSpec(C=4, V=8, capacity=2)
MP = K.ModelSpec(C=16, V=32, capacity=4)  # make_protocol_data needs C >= 12


def _pair():
    return K.init_params(jax.random.PRNGKey(0), M), K.init_params(jax.random.PRNGKey(1), M)


@pytest.mark.parametrize("bad", ["sgd", "Adam", "", None])
def test_unknown_optimizer_is_refused_by_every_trainer(bad):
    d = K.make_protocol_data(0, C=16, V=32)
    a, b = _pair()
    with pytest.raises(InvalidInputError, match="optimizer"):
        K.pretrain(jax.random.PRNGKey(0), MP, d.w_p, d.P_p, 3, optimizer=bad)
    with pytest.raises(InvalidInputError, match="optimizer"):
        K.distill_steps(a, b, jnp.full(4, 0.25), max_steps=3, optimizer=bad)
    with pytest.raises(InvalidInputError, match="optimizer"):
        K.distill_steps_batched(a, b, jnp.full((2, 4), 0.25), max_steps=3, optimizer=bad)


def test_the_two_optimizers_are_different_runs():
    # the check is not cosmetic: "gd" and "adam" give different parameters after the same steps
    d = K.make_protocol_data(0, C=16, V=32)
    pa = K.pretrain(jax.random.PRNGKey(0), MP, d.w_p, d.P_p, 5, optimizer="adam")
    pg = K.pretrain(jax.random.PRNGKey(0), MP, d.w_p, d.P_p, 5, optimizer="gd")
    assert not np.array_equal(np.asarray(pa["E"]), np.asarray(pg["E"]))
    a, b = _pair()
    s_adam = K.distill_steps(a, b, jnp.full(4, 0.25), lr=1e-2, max_steps=50, optimizer="adam")
    s_gd = K.distill_steps(a, b, jnp.full(4, 0.25), lr=1e-2, max_steps=50, optimizer="gd")
    assert s_adam.final_kl != s_gd.final_kl
