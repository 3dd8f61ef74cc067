"""Reward generalization over comparison graphs (induced Bayesian networks), exact layer.

Spec ``ibn.md``; paper: Qiu et al., *Reward Generalization in RLHF: A Topological Perspective*
(arXiv 2402.10184). Private modules, one seam each:

* ``_resistance`` -- effective resistance and its relatives, the exact core [M]
  (``_graph`` holds the private, scale-safe numerics they share);
* ``_feedback`` -- Bradley--Terry probabilities, HP edge variances, the decoder lemma (§2.1--2.3);
* ``_network`` -- the induced Bayesian network and its inference distances (§2.4--2.6);
* ``_universe`` -- structural function and the reference universe (§2.5, §2.7) [R];
* ``_random_graph`` -- Erdős–Rényi hop counts and the Lambert-W boundary (§3.4) [M];
* ``_mechanism`` -- the reconstructed chain-vs-tree mechanism model (§3.4) [R];
* ``_sample_size`` -- the budget at which the model's inference cost reaches a target (§4.1) [R];
* ``_tables`` -- the paper's tables (placeholder Table 2, experiment constants [S]).

``aligntheory.theory.ibn`` is the public path; the private modules may move.
"""

from aligntheory.theory.ibn import (
    _feedback,
    _mechanism,
    _network,
    _random_graph,
    _resistance,
    _sample_size,
    _tables,
    _universe,
)
from aligntheory.theory.ibn._feedback import *  # noqa: F401,F403
from aligntheory.theory.ibn._mechanism import *  # noqa: F401,F403
from aligntheory.theory.ibn._network import *  # noqa: F401,F403
from aligntheory.theory.ibn._random_graph import *  # noqa: F401,F403
from aligntheory.theory.ibn._resistance import *  # noqa: F401,F403
from aligntheory.theory.ibn._sample_size import *  # noqa: F401,F403
from aligntheory.theory.ibn._tables import *  # noqa: F401,F403
from aligntheory.theory.ibn._universe import *  # noqa: F401,F403

__all__ = [
    *_resistance.__all__,
    *_feedback.__all__,
    *_network.__all__,
    *_universe.__all__,
    *_random_graph.__all__,
    *_mechanism.__all__,
    *_sample_size.__all__,
    *_tables.__all__,
]
