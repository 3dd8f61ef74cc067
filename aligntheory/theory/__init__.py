"""Exact statements: closed forms, bounds and exact numerics (sympy, numpy, scipy; never JAX).

Pillar modules: :mod:`aligntheory.theory.ibn`, ... Import the pillar you need, e.g.
``from aligntheory.theory.ibn import effective_resistance``.
"""
