"""The one configuration entry point: JAX numerics (and, for test sessions, hypothesis profiles).

The library never changes global configuration on import. Entry points call :func:`configure`:
the CLI (``aligntheory verify``), the root ``conftest.py`` (doctests) and ``tests/conftest.py``
(through :func:`aligntheory.testing._config.configure`), so registered claims run under exactly
the numerics the tests use: float64 and strict dtype promotion.
"""

from __future__ import annotations

__all__ = ["configure", "DEVICES"]

DEVICES = ("cpu", "gpu")


def configure(*, x64: bool = True, strict_promotion: bool = True, device: str | None = None) -> None:
    """Set JAX's numerics for a session of aligntheory.

    Parameters
    ----------
    x64 : bool
        Enable float64 (``jax_enable_x64``). Verification requires it.
    strict_promotion : bool
        Strict dtype promotion (``jax_numpy_dtype_promotion="strict"``): no silent mixing of
        float32 and float64.
    device : {'cpu', 'gpu'}, optional
        Restrict JAX to this platform. Must be called before JAX creates its first array.

    Examples
    --------
    >>> configure()
    >>> import jax
    >>> jax.config.jax_enable_x64, str(jax.config.jax_numpy_dtype_promotion.value)
    (True, 'strict')

    Raises
    ------
    MissingDependencyError
        JAX is not installed (``pip install 'aligntheory[jax]'``).
    """
    from aligntheory._validate import check_choice

    if device is not None:
        check_choice("device", device, DEVICES)
    from aligntheory._optional import require

    jax = require("jax")  # the slim core has no JAX: MissingDependencyError naming the 'jax' extra

    if device is not None:
        jax.config.update("jax_platforms", "cuda" if device == "gpu" else device)
    jax.config.update("jax_enable_x64", bool(x64))
    jax.config.update("jax_numpy_dtype_promotion", "strict" if strict_promotion else "standard")
