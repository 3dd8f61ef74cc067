"""Registered claims of the elasticity pillar (spec ``elasticity.md`` §4.3); importing this package registers them.

``_theory_claims``: E1--E9, the sample version and the Huffman facts (theorems, exact tolerances).
``_empirical_claims``: the four ``rebound_*`` claims of the empirical protocol (§4.2), measured on
the spec's low-rank softmax model and on a small MLP language model.
"""

import importlib
import pkgutil

for _m in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_m}")
