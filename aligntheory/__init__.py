"""aligntheory: the mathematics of AI alignment, stated exactly, simulated, and checked.

Layers (data flows one way):

* :mod:`aligntheory.theory` -- exact statements (sympy, numpy, scipy; never JAX);
* :mod:`aligntheory.kernels` -- pure JAX simulations and numerics;
* :mod:`aligntheory.proofs_check` -- registered claims confronting theory with evidence;
* :mod:`aligntheory.testing` -- public hypothesis strategies.

Importing :mod:`aligntheory` imports nothing heavy; float64 in JAX is enabled by entry points
(the CLI, the test configuration), never on import.

``pip install aligntheory`` is the slim core (numpy, scipy, sympy, networkx): the theory layer,
:mod:`aligntheory.numerics`, ``results``, ``errors``, ``config``, ``references`` and the claims
registry. JAX, the solvers, hypothesis and the report tools are extras (``jax``, ``solvers``,
``testing``, ``verify``, ...; the table is in :mod:`aligntheory._optional` and the README); a
function that needs a missing one raises :class:`~aligntheory.errors.MissingDependencyError`
naming the extra to install.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
