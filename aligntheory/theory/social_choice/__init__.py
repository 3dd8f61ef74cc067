"""Representative social choice, exact layer (spec ``social_choice.md``; no JAX).

Paper: T. Qiu, *Representative Social Choice: From Learning Theory to AI Alignment* (arXiv
2410.23953). The full text was not available to us: the model and the impossibility results R1--R4
are our reconstruction [R]; the bounds G1--G6, Arrow's theorem and the voting rules are standard
mathematics [M]. Submodules:

* ``_bounds``   -- G1--G3 and growth-function calculators returning :class:`aligntheory.results.Bound`,
  exact inverses [M]; ``_bounds_multiclass`` -- G4, G6 and ``clipped`` [M];
* ``_closed_forms`` -- the bounds' closed forms as sympy expressions [M];
* ``_welfare``  -- exact welfare, ERM, issue-wise majority, threshold benchmark [R]/[M];
* ``_orders``   -- strict orders, Arrovian Pareto/IIA checks, dictatorships [M];
* ``_representative`` -- representative SWFs, SP/SIIA/AAC, privilege graphs, tournaments [R];
* ``_profiles`` -- profiles the pref_voting way: weak/truncated orders, names, PrefLib files [M];
* ``_voting``   -- plurality, Borda, scoring rules, margins, Condorcet, Copeland [M];
* ``_encoding`` -- SAT encodings for A2 and R1--R3 [M]/[R];
* ``_counting`` -- model counting, brute-force re-verification, DRUP certificates, IIA enumeration [M]/[R];
* ``_lp``       -- the LPs: R4 tightness and the scoring-vector fit [R]/[M];
* ``_rup``      -- an independent forward checker of DRUP refutations (private).
"""

from aligntheory.theory.social_choice._bounds import *  # noqa: F401,F403
from aligntheory.theory.social_choice._bounds import __all__ as _b
from aligntheory.theory.social_choice._bounds_multiclass import *  # noqa: F401,F403
from aligntheory.theory.social_choice._bounds_multiclass import __all__ as _bm
from aligntheory.theory.social_choice._closed_forms import *  # noqa: F401,F403
from aligntheory.theory.social_choice._closed_forms import __all__ as _cf
from aligntheory.theory.social_choice._counting import *  # noqa: F401,F403
from aligntheory.theory.social_choice._counting import __all__ as _c
from aligntheory.theory.social_choice._encoding import *  # noqa: F401,F403
from aligntheory.theory.social_choice._encoding import __all__ as _e
from aligntheory.theory.social_choice._lp import *  # noqa: F401,F403
from aligntheory.theory.social_choice._lp import __all__ as _lp
from aligntheory.theory.social_choice._orders import *  # noqa: F401,F403
from aligntheory.theory.social_choice._orders import __all__ as _o
from aligntheory.theory.social_choice._profiles import *  # noqa: F401,F403
from aligntheory.theory.social_choice._profiles import __all__ as _pr
from aligntheory.theory.social_choice._representative import *  # noqa: F401,F403
from aligntheory.theory.social_choice._representative import __all__ as _r
from aligntheory.theory.social_choice._voting import *  # noqa: F401,F403
from aligntheory.theory.social_choice._voting import __all__ as _v
from aligntheory.theory.social_choice._welfare import *  # noqa: F401,F403
from aligntheory.theory.social_choice._welfare import __all__ as _w

__all__ = list(_b) + list(_bm) + list(_cf) + list(_w) + list(_o) + list(_r) + list(_pr) + list(_v) + list(_e) + list(_c) + list(_lp)
