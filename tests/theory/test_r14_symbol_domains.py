"""Round-14: the closed forms' sympy symbols carry their parameters' domains.

A ``Bound``'s ``sympy()`` form is what users simplify, differentiate and print in papers; sympy simplifies only as
far as the symbols' assumptions allow (``sqrt(k**2)`` is ``k`` only for a positive ``k``; ``m - 1`` is known
non-negative only for a positive integer ``m``). A fresh mutation sample (issue 11) showed a symbol's ``positive`` /
``integer`` flag could be dropped with every test green. Expected domains come from each function's documented
parameter ranges (and the spec), not from the code: positive reals for sizes, rates, temperatures and bounds on
derivatives; the order ``k`` of ``noise_gain`` a non-negative integer; the number of alternatives ``m`` a positive
integer; the coefficient ``A`` of ``asymptotic_ratio`` any real (its doctest uses ``A = -1``).
"""
from __future__ import annotations

import pytest

from aligntheory.theory.elasticity import (
    asymptotic_ratio,
    closed_form_derivatives,
    closed_form_opposite_model,
    opposite_model_bounds,
    paper_block_code_length,
    zipf_entropy_limit,
)
from aligntheory.theory.ibn import (
    StructuralFunction,
    closed_form_chain_tree_ratio,
    closed_form_connectivity_granularity,
    closed_form_reff,
    decoder_bounds,
    sample_size_for_distance,
)
from aligntheory.theory.progress import extrapolation_error_bound, noise_gain
from aligntheory.theory.safety import projected_ascent_bound, smoothness_constant
from aligntheory.theory.social_choice import bound_symbols, scoring_rule_natarajan_bound

POS = {"positive": True}
NONNEG = {"nonnegative": True}

CASES = {
    "opposite_model_bounds lower": (lambda: opposite_model_bounds(10.0, 0.1, 1.0)[0], {"k": POS}),
    "opposite_model_bounds upper": (lambda: opposite_model_bounds(10.0, 0.1, 1.0)[1],
                                    {"k": POS, "l": POS, "chi2": POS}),
    "asymptotic_ratio": (lambda: asymptotic_ratio(1e5, 0.01, -1.0, 7.9379),
                         {"k": POS, "l": POS, "chi2": POS, "A": {"positive": None}}),
    "zipf_entropy_limit": (lambda: zipf_entropy_limit(2.0), {"s": POS}),
    "extrapolation_error_bound": (lambda: extrapolation_error_bound(1, 1, 0.5, 2.0),
                                  {"k": POS, "m": POS, "h": POS, "M": POS}),
    "noise_gain": (lambda: noise_gain(2, 1), {"k": {"integer": True, "nonnegative": True}}),
    "decoder_bounds.kl": (lambda: decoder_bounds(0.5, 2.0).kl, {"beta": POS, "epsilon": POS}),
    "decoder_bounds.tv": (lambda: decoder_bounds(0.5, 2.0).tv, {"beta": POS, "epsilon": POS}),
    "smoothness_constant": (lambda: smoothness_constant([0.0, 2.0], 0.5), {"c_max": POS, "c_min": POS, "beta": POS}),
    "projected_ascent_bound": (lambda: projected_ascent_bound(2, 0.0, 1.0, 0.5),
                               {"lambda_0": POS, "lambda_star": POS, "eta": POS, "k": POS}),
    "scoring_rule_natarajan_bound": (lambda: scoring_rule_natarajan_bound(4),
                                     {"m": {"positive": True, "integer": True}}),
    "sample_size_for_distance tree": (lambda: sample_size_for_distance(0.002, StructuralFunction("poly", 1.0, 1.0),
                                                                       0.0, "tree"),
                                      {"epsilon": POS, "s_2": POS, "h_T": POS, "I": POS, "alpha": POS}),
    "paper_block_code_length": (lambda: paper_block_code_length(1.99296, 10, 4),
                                {"H": NONNEG, "n_tokens": NONNEG, "d": NONNEG}),
}

# closed forms returned as sympy expressions or symbol tables rather than Bounds
EXPRESSIONS = {
    "StructuralFunction.sympy": (lambda: StructuralFunction("log", 1.0, 1.0).sympy(), {"M": POS}),
    "closed_form_chain_tree_ratio": (closed_form_chain_tree_ratio, {"n": POS, "h_T": NONNEG}),
    "closed_form_connectivity_granularity": (closed_form_connectivity_granularity, {"n": POS}),
    # the hop distance k of closed_form_reff is documented as >= 0 but declared positive: not checked here
    "closed_form_reff cycle": (lambda: closed_form_reff("cycle"), {"N": POS, "c": POS}),
}
SYMBOL_TABLES = {
    "closed_form_opposite_model": (lambda: closed_form_opposite_model().symbols,
                                   {"k": POS, "l": POS, "r": POS, "chi2": POS}),
    "closed_form_derivatives": (lambda: {"k": closed_form_derivatives(2).symbols["k"],
                                         "l": closed_form_derivatives(2).symbols["l"],
                                         "pp0": closed_form_derivatives(2).symbols["pp"][0]},
                                {"k": POS, "l": POS, "pp0": POS}),
    "bound_symbols": (lambda: bound_symbols()._asdict(),
                      {k: POS for k in ("N", "delta", "F", "d", "k", "d_N", "eps", "log_growth")}),
}


def _check_domains(name, symbols, domains):
    """Every symbol named in ``domains`` is present and carries each listed assumption with the listed value."""
    assert set(domains) <= set(symbols), (name, sorted(symbols))
    for sym, wanted in domains.items():
        for flag, value in wanted.items():
            assert getattr(symbols[sym], f"is_{flag}") is value, (name, sym, flag)


@pytest.mark.parametrize("name", sorted(CASES))
def test_symbols_carry_the_parameter_domains(name):
    make, domains = CASES[name]
    _check_domains(name, {str(s): s for s in make().sympy().free_symbols}, domains)


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_expression_symbols_carry_the_parameter_domains(name):
    make, domains = EXPRESSIONS[name]
    _check_domains(name, {str(s): s for s in make().free_symbols}, domains)


@pytest.mark.parametrize("name", sorted(SYMBOL_TABLES))
def test_symbol_tables_carry_the_parameter_domains(name):
    make, domains = SYMBOL_TABLES[name]
    _check_domains(name, make(), domains)


def test_domain_consequences_sympy_can_prove():
    """What the domains buy: sympy proves the Natarajan dimension m - 1 and the smoothness and ascent bounds
    non-negative, and noise_gain's binomial form an integer, from the symbols alone."""
    assert scoring_rule_natarajan_bound(4).sympy().is_nonnegative is True
    assert smoothness_constant([0.0, 2.0], 0.5).sympy().is_nonnegative is True
    assert projected_ascent_bound(2, 0.0, 1.0, 0.5).sympy().is_nonnegative is True
    assert noise_gain(2, 1).sympy().is_integer is True
