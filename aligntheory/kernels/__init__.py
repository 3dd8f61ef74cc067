"""Pure JAX kernels: explicit PRNG keys, ``jit`` at the public boundary, ``vmap`` for batches.

The library never changes JAX's global configuration. Kernels that verify mathematics need
float64: enable it in your entry point with ``jax.config.update("jax_enable_x64", True)``;
otherwise they raise :class:`~aligntheory.errors.PrecisionError`.

Needs the ``jax`` extra (``pip install 'aligntheory[jax]'``); without it, importing any kernel
module raises :class:`~aligntheory.errors.MissingDependencyError` naming the extra.
"""

from aligntheory._optional import require as _require

_require("jax")
