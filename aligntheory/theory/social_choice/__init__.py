"""Representative social choice, exact layer (spec ``social_choice.md``; no JAX).

Paper: T. Qiu, *Representative Social Choice: From Learning Theory to AI Alignment* (arXiv
2410.23953). The full text was not available to us: the model and the impossibility results R1--R4
are our reconstruction [R]; the bounds G1--G6, Arrow's theorem and the voting rules are standard
mathematics [M]. Submodules:

* ``_bounds``  -- G1--G6 calculators, their exact inverses and sympy forms [M];
* ``_welfare`` -- exact welfare, ERM, issue-wise majority, threshold benchmark [R]/[M];
* ``_orders``  -- strict orders, Pareto/IIA checks, representative SWFs, privilege graphs [M]/[R];
* ``_voting``  -- plurality, Borda, scoring rules, margins, Condorcet, Copeland, scoring-vector LP [M];
* ``_sat``     -- the SAT encoder for A2 and R1--R3, model counting, the R4 LP [M]/[R].
"""

from aligntheory.theory.social_choice._bounds import *  # noqa: F401,F403
from aligntheory.theory.social_choice._bounds import __all__ as _b
from aligntheory.theory.social_choice._orders import *  # noqa: F401,F403
from aligntheory.theory.social_choice._orders import __all__ as _o
from aligntheory.theory.social_choice._sat import *  # noqa: F401,F403
from aligntheory.theory.social_choice._sat import __all__ as _s
from aligntheory.theory.social_choice._voting import *  # noqa: F401,F403
from aligntheory.theory.social_choice._voting import __all__ as _v
from aligntheory.theory.social_choice._welfare import *  # noqa: F401,F403
from aligntheory.theory.social_choice._welfare import __all__ as _w

__all__ = list(_b) + list(_w) + list(_o) + list(_v) + list(_s)
