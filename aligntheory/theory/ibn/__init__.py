"""Reward generalization over comparison graphs (induced Bayesian networks), exact layer.

Spec ``ibn.md``; paper: Qiu et al., *Reward Generalization in RLHF: A Topological Perspective*
(arXiv 2402.10184). Submodules: ``_resistance`` (effective resistance, the exact core [M]);
further modules add the model of §2 and the reconstructed asymptotics of §3.4 [R].
"""

from aligntheory.theory.ibn._resistance import *  # noqa: F401,F403
from aligntheory.theory.ibn._resistance import __all__ as _res_all
from aligntheory.theory.ibn._model import *  # noqa: F401,F403
from aligntheory.theory.ibn._model import __all__ as _model_all

__all__ = list(_res_all) + list(_model_all)
