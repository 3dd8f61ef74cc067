"""aligntheory: the mathematics of AI alignment, stated exactly, simulated, and checked.

Layers (data flows one way):

* :mod:`aligntheory.theory` -- exact statements (sympy, numpy, scipy; never JAX);
* :mod:`aligntheory.kernels` -- pure JAX simulations and numerics;
* :mod:`aligntheory.proofs_check` -- registered claims confronting theory with evidence;
* :mod:`aligntheory.testing` -- public hypothesis strategies.

Importing :mod:`aligntheory` imports nothing heavy; float64 in JAX is enabled by entry points
(the CLI, the test configuration), never on import.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
