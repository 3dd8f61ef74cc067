"""Round-10 claims (issue 11): numerical code of the safety pillar that the claims executed but did not pin.

* ``safety.dual_ascent_default_caps_at_edge`` -- the DEFAULT caps of
  :func:`~aligntheory.theory.safety.dual_ascent` (``MAX_TRACE_ENTRIES = 10**8`` stored multipliers,
  ``MAX_STEPS = 100_000`` iterations) at their exact edge: a trace of exactly the cap passes the size check,
  one more stored multiplier (or iteration) is refused with ``SizeCapError``. The rows pass an invalid
  ``lam_max = 0`` too, which the function validates only AFTER both size checks and BEFORE allocating the
  trace: a row within the cap is refused cheaply for ``lam_max`` (proof that the size check let it through),
  a row past the cap for ``n_steps`` -- no row allocates anything.
"""

from __future__ import annotations

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

__all__: list[str] = []

_DAI = Source(key="dai2023safe", where="§3 and training code (log-space multiplier); our B-T3, B-T4")
_P2, _R2, _C2 = [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]  # the documented examples' two-response problem


def _cap_rows() -> list[ContractCase]:
    import aligntheory.theory.safety as S

    def da(n_steps, step=1.0, **kw):
        return S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, step, n_steps, lam_max=0.0, **kw)

    cap_e, cap_s = 10**8, 100_000  # the documented defaults, written here (not read from the library)
    past = (SizeCapError, "n_steps")
    within = (InvalidInputError, "lam_max")  # the size checks passed; lam_max = 0 is refused next
    return [
        ContractCase("default max_entries: (n_steps + 1) * 1 = 10**8 stored (max_steps raised) passes the cap",
                     lambda: da(cap_e - 1, max_steps=cap_e), within, "lam_max"),
        ContractCase("default max_entries: (n_steps + 1) * 1 = 10**8 + 1 stored refused",
                     lambda: da(cap_e, max_steps=cap_e), past, "stored multipliers"),
        ContractCase("default max_entries: (n_steps + 1) * 2 step sizes = 10**8 stored passes the cap",
                     lambda: da(cap_e // 2 - 1, step=[1.0, 2.0], max_steps=cap_e), within, "lam_max"),
        ContractCase("default max_entries: (n_steps + 1) * 2 step sizes = 10**8 + 2 stored refused",
                     lambda: da(cap_e // 2, step=[1.0, 2.0], max_steps=cap_e), past, "stored multipliers"),
        ContractCase("default max_entries: (n_steps + 1) * 2 start values = 10**8 + 2 stored refused",
                     lambda: da(cap_e // 2, lam0=[0.0, 1.0], max_steps=cap_e), past, "stored multipliers"),
        ContractCase("default max_steps: n_steps = 100000 passes the cap", lambda: da(cap_s), within, "lam_max"),
        ContractCase("default max_steps: n_steps = 100001 refused", lambda: da(cap_s + 1), past, "iterations"),
        ContractCase("explicit max_steps = 100001: n_steps = 100001 passes the cap",
                     lambda: da(cap_s + 1, max_steps=cap_s + 1), within, "lam_max"),
        ContractCase("lower edge: n_steps = 0 accepted (the trace holds lam0 only)",
                     lambda: S.dual_ascent(_P2, _R2, _C2, 1.0, 0.5, 1.0, 0, 0.25).final),
    ]


@claim(
    id="safety.dual_ascent_default_caps_at_edge",
    statement="dual_ascent's default caps sit exactly where documented: (n_steps + 1) * B = 10**8 stored multipliers "
    "(B step sizes or start values) and n_steps = 100000 iterations pass the size checks, 10**8 + 1 (+ B) stored "
    "multipliers and 100001 iterations raise SizeCapError naming n_steps -- all checked before the trace is "
    "allocated (8 rows, each refused before any work); n_steps = 0 is accepted (9 rows).",
    source=[_DAI],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side",
    rice={"C"},
    stage="backward:assurance",
)
def check_dual_ascent_default_caps_at_edge(ctx: Context) -> Evidence:
    """Predicted: the documented defaults (10**8 stored multipliers, 100000 iterations, docstring of dual_ascent);
    measured: which validation refuses each row (the cap, or the later lam_max check). Integer arithmetic."""
    return contract_evidence(_cap_rows())

