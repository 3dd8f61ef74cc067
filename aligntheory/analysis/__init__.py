"""User-facing analyses of real data, built on the exact layers (numpy/scipy/networkx plus
:mod:`aligntheory.theory` and :mod:`aligntheory.kernels`).

* :mod:`aligntheory.analysis.ibn` -- the comparison graph of a preference dataset (RLHF
  ``prompt/chosen/rejected`` records or Chatbot-Arena battles): structure, inference distances,
  sample sizes, Bradley--Terry scores with standard errors.
* :mod:`aligntheory.analysis.arena` -- leaderboards from pairwise battles: Bradley--Terry with tie
  models (half, Davidson, Rao--Kupper), Elo scale, batched bootstrap intervals, style control,
  clustered resampling, effective-resistance diagnostics and A-optimal next comparisons.
"""

__all__ = ["arena", "ibn"]
