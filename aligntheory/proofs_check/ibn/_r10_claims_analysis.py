"""Round-10 claims of issue 11 on the analysis command lines (helper nA).

* ``ibn.analysis_cli_defaults_mirror_library`` -- every option of the analysis command lines (``aligntheory
  arena``, ``aligntheory ibn analyse``, ``aligntheory ibn chain-tree``, ``aligntheory safety multiplier``,
  ``aligntheory safety analyse``) that its docstring says mirrors a Python option has the Python function's
  default (read from the signature with ``inspect``), and every option whose help text states ``(default X)``
  has the default X. The class of sites it pins: defaults no other claim uses (a CLI run with no options
  is never compared to anything).

Registered by ``proofs_check/ibn/__init__.py`` (every module of the package).
"""

from __future__ import annotations

import argparse
import inspect
import re

from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

# command -> (function whose options the command mirrors (documented in each add_cli), option dest -> parameter)
_MIRRORS = {
    "arena": ("aligntheory.analysis.arena:leaderboard",
              {"ties": "ties", "bootstrap": "n_bootstrap", "seed": "seed", "scale": "scale", "anchor": "anchor",
               "cluster": "cluster", "ci": "ci", "prior_strength": "prior_strength"}),
    "ibn analyse": ("aligntheory.analysis.ibn:analyse_preferences",
                    {"beta": "beta", "ib_var": "ib_var", "hp_var": "hp_var", "max_pairs": "max_pairs",
                     "prior_strength": "prior_strength", "seed": "seed", "target_variance": "target_variance"}),
    "ibn analyse/top": ("aligntheory.analysis.ibn:PreferenceAnalysis.scores_table", {"top": "top"}),
    "ibn chain-tree": ("aligntheory.analysis.chain_tree:chain_tree_sweep", {"eval_pairs": "eval_pairs"}),
    "safety multiplier": ("aligntheory.analysis.safety:replay_multiplier_log",
                          {k: k for k in ("threshold", "lambda_init", "lambda_lr", "lambda_max", "delay_steps",
                                          "window", "updates_per_rollout", "lam_star", "curvature")}),
    "safety analyse": ("aligntheory.analysis.safety:analyse_safety_preferences", {"ridge": "ridge", "beta": "beta"}),
}
_DEFAULT_RE = re.compile(r"\(default:? ([^)\s]+)\)")


def _parsers() -> dict[str, argparse.ArgumentParser]:
    from aligntheory.analysis import _arena_cli, ibn, safety

    root = argparse.ArgumentParser()
    sub = root.add_subparsers(dest="command")
    out = {"arena": _arena_cli.add_cli(sub)}
    ib = sub.add_parser("ibn").add_subparsers(dest="ibn_command")
    out["ibn analyse"] = ibn.add_cli(ib)
    out["ibn chain-tree"] = ib.choices["chain-tree"]
    sp = safety.add_cli(sub)
    for name, p in sp._subparsers._group_actions[0].choices.items():
        out[f"safety {name}"] = p
    return out


def _resolve(spec: str):
    import importlib

    mod, _, attr = spec.partition(":")
    obj = importlib.import_module(mod)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@claim(
    id="ibn.analysis_cli_defaults_mirror_library",
    statement="The analysis command lines (arena, ibn analyse, ibn chain-tree, safety multiplier, safety analyse) "
    "mirror their Python functions (documented in each add_cli): each mirrored option's default equals the "
    "function's default (leaderboard, analyse_preferences and scores_table(top), chain_tree_sweep(eval_pairs), "
    "replay_multiplier_log, analyse_safety_preferences), and each option whose help states '(default X)' defaults "
    "to X (options whose parser default is None and whose value is decided later are left out).",
    source=[Source(key="qiu2024reward", where="command line of the analysis tools (ours)")],
    provenance="M",
    kind="contract",
    tolerance="exact equality of defaults (after the option's own type conversion for the help text)",
    rice={"C"},
    stage="backward:assurance",
)
def check_analysis_cli_defaults(ctx: Context) -> Evidence:
    """Predicted: the signatures' defaults and the help texts; measured: the argparse defaults of each add_cli."""
    from aligntheory.proofs_check._helpers import ContractCase, contract_evidence

    parsers = _parsers()
    rows = []

    def same(a, b, label):
        def call():
            if not (a == b and type(a) is type(b) or (a is None and b is None)):
                raise AssertionError(f"{label}: {a!r} != {b!r}")
            return True
        return call

    for cmd, (spec, mapping) in _MIRRORS.items():
        params = inspect.signature(_resolve(spec)).parameters
        acts = {a.dest: a for a in parsers[cmd.split("/")[0]]._actions}
        for dest, param in mapping.items():
            d_cli, d_fn = acts[dest].default, params[param].default
            if isinstance(d_fn, (int, float)) and not isinstance(d_fn, bool) and acts[dest].type is float:
                d_fn = float(d_fn)
            rows.append(ContractCase(f"{cmd} --{dest} = {spec}({param}) default", same(d_cli, d_fn, cmd)))
    for cmd, p in parsers.items():
        for a in p._actions:
            m = _DEFAULT_RE.search(a.help or "")
            if not a.option_strings or m is None or a.default is None:
                continue
            want = (a.type or str)(m.group(1))
            rows.append(ContractCase(f"{cmd} --{a.dest} default as its help says ({m.group(1)})",
                                     same(a.default, want, cmd)))
    return contract_evidence(rows)
