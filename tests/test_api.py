"""Registry-wide API test (DESIGN.md §7): every public name of theory/, kernels/, numerics/, analysis/.

Walks ``__all__`` of every public (non-underscore) module of those packages and asserts, for every
public function and class defined in them:

* a numpydoc docstring: a summary line and an ``Examples`` section (run as a doctest by the suite);
* a provenance declaration read back by :func:`aligntheory.results.get_provenance`.

Violators are reported all at once. ``KNOWN_GAPS`` lists the violators accepted for now (the
pillars are being converted); the test fails for any violator NOT in it, and for any entry of it
that is now fine (or no longer exists), so the list can only shrink.

A second part checks the float64 and NaN contract of the main array functions over an explicit
table: float32 input raises ``PrecisionError``, NaN input raises ``InvalidInputError``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import re

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import get_provenance

PACKAGES = ("aligntheory.theory", "aligntheory.kernels", "aligntheory.numerics", "aligntheory.analysis")


def _public_modules(package: str) -> list:
    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError as exc:
        if exc.name == package:  # aligntheory.numerics may not exist in every version
            return []
        raise
    mods = [pkg]
    for m in pkgutil.walk_packages(pkg.__path__, package + "."):
        if not any(part.startswith("_") for part in m.name.split(".")):
            mods.append(importlib.import_module(m.name))
    return mods


def public_objects() -> dict[str, object]:
    """Shortest qualified public name -> object, for callables defined in the four packages."""
    best: dict[int, tuple[str, object]] = {}
    for package in PACKAGES:
        for mod in _public_modules(package):
            for name in getattr(mod, "__all__", ()):
                obj = getattr(mod, name, None)
                if obj is None or not callable(obj):
                    continue  # constants (caps, tables) carry no docstring or provenance of their own
                home = getattr(obj, "__module__", "") or ""
                if not home.startswith(PACKAGES):
                    continue  # re-exports of numpy, jax or aligntheory.results objects
                qual = f"{mod.__name__}.{name}"
                old = best.get(id(obj))
                if old is None or (len(qual), qual) < (len(old[0]), old[0]):
                    best[id(obj)] = (qual, obj)
    return dict(sorted(best.values(), key=lambda t: t[0]))


_SECTION = re.compile(r"^\s*([A-Z][A-Za-z ]+)\n\s*-{3,}\s*$", re.M)


def problems(obj: object) -> set[str]:
    """What ``obj`` lacks: 'docstring', 'examples', 'provenance'."""
    out = set()
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and doc and obj.__doc__ is None:
        doc = ""  # an inherited docstring does not document the class
    summary = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    if not summary or _SECTION.match(doc):
        out.add("docstring")
    if "Examples" not in {m.group(1).strip() for m in _SECTION.finditer(doc)} or ">>>" not in doc:
        out.add("examples")
    if get_provenance(obj) is None:
        out.add("provenance")
    return out


PUBLIC = public_objects()
VIOLATIONS = {f"{name}: {p}" for name, obj in PUBLIC.items() for p in problems(obj)}

# Accepted for now, while the pillars are converted to DESIGN.md §7 (the lead shrinks this list).
# Each entry is "qualified.name: problem". Do not add entries: fix the function instead.
KNOWN_GAPS: set[str] = {
    "aligntheory.kernels.elasticity.BatchedDerivatives: examples",
    "aligntheory.kernels.elasticity.DistillResult: examples",
    "aligntheory.kernels.elasticity.FinetuneResult: examples",
    "aligntheory.kernels.elasticity.MCDelta: examples",
    "aligntheory.kernels.elasticity.MLE: examples",
    "aligntheory.kernels.elasticity.ModelSpec: examples",
    "aligntheory.kernels.elasticity.ProtocolData: examples",
    "aligntheory.kernels.elasticity.Rates: examples",
    "aligntheory.kernels.elasticity.Schedule: examples",
    "aligntheory.kernels.elasticity.TrainResult: examples",
    "aligntheory.kernels.elasticity.TwoSegmentFit: examples",
    "aligntheory.kernels.progress.CoevolutionPath: examples",
    "aligntheory.kernels.progress.MCEstimate: examples",
    "aligntheory.kernels.progress.VoteSimulation: examples",
    "aligntheory.kernels.safety.CostModelFit: examples",
    "aligntheory.kernels.safety.DualPreferences: examples",
    "aligntheory.kernels.safety.PrimalDualTrace: examples",
    "aligntheory.kernels.safety.TiltedMomentsBatched: examples",
    "aligntheory.theory.elasticity.ClosedFormDerivatives: examples",
    "aligntheory.theory.elasticity.ClosedFormOppositeModel: examples",
    "aligntheory.theory.elasticity.DerivativeScales: examples",
    "aligntheory.theory.elasticity.ElasticityDerivatives: examples",
    "aligntheory.theory.elasticity.OppositeModelBounds: examples",
    "aligntheory.theory.progress.JuryCondition: examples",
    "aligntheory.theory.progress.OrderChoice: examples",
    "aligntheory.theory.progress.StabilityReport: examples",
    "aligntheory.theory.progress.VoteMoments: examples",
    "aligntheory.theory.safety.CvxSolution: examples",
    "aligntheory.theory.safety.DualAscentTrace: examples",
    "aligntheory.theory.safety.DualDerivatives: examples",
    "aligntheory.theory.safety.Frontier: examples",
    "aligntheory.theory.safety.MultiplierSolution: examples",
    "aligntheory.theory.safety.TiltedMoments: examples",
}


def test_public_api_is_not_empty():
    assert len(PUBLIC) > 50, sorted(PUBLIC)


def test_no_new_violators():
    new = sorted(VIOLATIONS - KNOWN_GAPS)
    assert not new, (f"{len(new)} public names lack a numpydoc docstring with Examples or a @provenance "
                     "declaration (DESIGN.md §7):\n  " + "\n  ".join(new))


def test_known_gaps_only_shrink():
    fixed = sorted(KNOWN_GAPS - VIOLATIONS)
    assert not fixed, ("these KNOWN_GAPS entries are fixed (or the name is gone): remove them from "
                       "tests/test_api.py:\n  " + "\n  ".join(fixed))


def test_checker_detects_each_problem():
    """The checks can fail: an undocumented, undeclared function is reported on every count."""
    from aligntheory.results import provenance

    def bare(x):
        return x

    def documented(x):
        """Identity.

        Examples
        --------
        >>> documented(1)
        1
        """
        return x

    assert problems(bare) == {"docstring", "examples", "provenance"}
    assert problems(documented) == {"provenance"}
    assert problems(provenance("M", source="foster1949average")(documented)) == set()


# ---------------------------------------------------------------------------------------------
# Documented defaults: every numeric or boolean default of a public function or class is stated in
# its numpydoc entry ("tol : float, default 1e-10", or "default 1e-10" / "Default ``True``" in the
# entry's text), and the stated value is the signature's. A user reads the default in the docs; a
# default changed in code alone (or in the docs alone) fails here.

_ENTRY_SECTIONS = ("Parameters", "Other Parameters", "Attributes")


def _param_entries(doc: str) -> dict[str, str]:
    """``{name: entry text}`` of the Parameters / Other Parameters / Attributes sections."""
    out: dict[str, str] = {}
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        if (i + 1 < len(lines) and lines[i].strip() in _ENTRY_SECTIONS
                and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1])):
            indent = len(lines[i]) - len(lines[i].lstrip())
            i += 2
            names: list[str] = []
            buf: list[str] = []
            while i < len(lines):
                line = lines[i]
                if i + 1 < len(lines) and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]) and line.strip():
                    break  # the next section
                if line.strip() and len(line) - len(line.lstrip()) == indent:
                    for n in names:
                        out[n] = "\n".join(buf)
                    head = line.split(" : ", 1)[0] if " : " in line else line.rstrip(":")
                    names = [n.strip().lstrip("*") for n in head.split(",") if n.strip()]
                    buf = [line]
                else:
                    buf.append(line)
                i += 1
            for n in names:
                out[n] = "\n".join(buf)
            continue
        i += 1
    return out


def _literal(text: str):
    """The value of a number or bool literal such as ``1e-10``, ``10_000``, ``2**20`` or ``-3``; None otherwise."""
    import ast

    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None

    def ev(n):
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float, bool)):
            return n.value
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return -ev(n.operand)
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Pow, ast.Mult, ast.Sub)):
            a, b = ev(n.left), ev(n.right)
            return a**b if isinstance(n.op, ast.Pow) else (a * b if isinstance(n.op, ast.Mult) else a - b)
        raise ValueError(n)

    try:
        return ev(node)
    except (ValueError, TypeError):
        return None


_DEFAULT_TEXT = re.compile(r"[Dd]efault(?:s to| is|:)?\s+(?:``|`)?([-+0-9.eE_*]*[0-9]|True|False)")


def undocumented_defaults(obj: object) -> list[str]:
    """Parameters of ``obj`` whose numeric/bool default its docstring does not state (or states wrongly)."""
    if inspect.isclass(obj) and issubclass(obj, enum.Enum):
        return []  # the signature is Enum's functional API (names, start=1, ...), not the member lookup
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    doc = inspect.getdoc(obj) or ""
    entries = _param_entries(doc)
    if inspect.isclass(obj):
        entries = {**_param_entries(inspect.getdoc(obj.__init__) or ""), **entries}
    out = []
    for p in sig.parameters.values():
        d = p.default
        if isinstance(d, bool) or (isinstance(d, (int, float)) and not isinstance(d, bool)):
            entry = entries.get(p.name)
            if entry is None:
                out.append(f"{p.name}={d!r} (no entry)")
                continue
            stated = [_literal(m.group(1)) for m in _DEFAULT_TEXT.finditer(entry)]
            if not any(v is not None and isinstance(v, bool) == isinstance(d, bool) and v == d for v in stated):
                out.append(f"{p.name}={d!r}" + (f" (the entry states {stated})" if stated else ""))
    return out


UNDOCUMENTED_DEFAULTS = {name: bad for name, obj in PUBLIC.items() if (bad := undocumented_defaults(obj))}


def test_numeric_defaults_are_documented():
    assert not UNDOCUMENTED_DEFAULTS, (
        f"{sum(map(len, UNDOCUMENTED_DEFAULTS.values()))} numeric/bool defaults of public names are not stated "
        "in their numpydoc entry as 'default <value>':\n  "
        + "\n  ".join(f"{k}: {', '.join(v)}" for k, v in UNDOCUMENTED_DEFAULTS.items()))


def test_default_checker_can_fail():
    def f(x, tol=1e-10, maxiter=2**20, check=True, *, scale=1.0, n=3):
        """Summary.

        Parameters
        ----------
        x : array
            Input.
        tol : float, default 1e-10
            Tolerance.
        maxiter : int, default ``2**20``
            Iterations.
        check : bool
            Whether to check (default ``False``).
        scale, n : float
            Scale; default 2.0.

        Returns
        -------
        y : float, default 3
            Not a parameter entry.
        """

    assert undocumented_defaults(f) == ["check=True (the entry states [False])", "scale=1.0 (the entry states [2.0])",
                                        "n=3 (the entry states [2.0])"]
    f.__doc__ = f.__doc__.replace("``False``", "``True``").replace("default 2.0", "default 1.0")
    assert undocumented_defaults(f) == ["n=3 (the entry states [1.0])"]
    f.__doc__ = f.__doc__.replace("tol : float, default 1e-10", "tol : float, default 1e-9")
    assert undocumented_defaults(f)[0] == "tol=1e-10 (the entry states [1e-09])"
    assert undocumented_defaults(lambda a=1: a) == ["a=1 (no entry)"]
    assert undocumented_defaults(enum.IntEnum("E", "A B")) == []


# ---------------------------------------------------------------------------------------------
# float64 and NaN contract of the main array functions: (function path, builder of valid args).
# The builder returns (args, kwargs, index of the float array argument to corrupt).


_EDGES = np.array([[0, 1], [1, 2], [2, 3], [0, 3]], dtype=np.int64)
_COND = np.array([1.0, 2.0, 0.5, 1.5])
_PROFILES = np.array([[[0, 1, 2], [2, 1, 0], [1, 0, 2]]])
_REF = np.array([[0.2, 0.3, 0.5]])

# "module.name|module.other_name" lists a current name and the name it is being renamed to.
ARRAY_FUNCTIONS: dict[str, object] = {
    "aligntheory.kernels.ibn.effective_resistance_dense":
        lambda: ((4, _EDGES), {"conductances": _COND}, "conductances"),
    "aligntheory.kernels.ibn.laplacian_dense":
        lambda: ((4, _EDGES), {"conductances": _COND}, "conductances"),
    "aligntheory.kernels.ibn.reff_pairs_pcg":
        lambda: ((4, _EDGES), {"conductances": _COND, "pairs": np.array([[0, 2]])}, "conductances"),
    "aligntheory.kernels.ibn.fit_bt_newton":
        lambda: ((4, _EDGES, np.array([3.0, 2.0, 4.0, 1.0]), np.full(4, 5.0), 1.0), {}, 2),
    "aligntheory.kernels.social_choice.scoring_rule":
        lambda: ((_PROFILES, np.array([2.0, 1.0, 0.0])), {}, 1),
    "aligntheory.kernels.safety.tilted_policy_batched|aligntheory.kernels.safety.batched_tilted_policy":
        lambda: ((_REF, np.array([[1.0, 0.0, 2.0]]), np.array([[0.5, 0.1, 1.0]]), np.array([0.0, 1.0]), 1.0), {}, 1),
    "aligntheory.numerics.solve_laplacian|aligntheory.kernels.ibn.solve_laplacian":
        lambda: ((4, _EDGES, np.array([1.0, -1.0, 0.0, 0.0])), {"conductances": _COND}, 2),
}


def _resolve(paths: str):
    for path in paths.split("|"):
        mod, _, name = path.rpartition(".")
        try:
            return getattr(importlib.import_module(mod), name)
        except (ModuleNotFoundError, AttributeError):
            continue
    raise AssertionError(f"none of {paths} exists: update the table in tests/test_api.py")


def _corrupt(args, kwargs, where, value_fn):
    args = list(args)
    kwargs = dict(kwargs)
    if isinstance(where, str):
        kwargs[where] = value_fn(np.asarray(kwargs[where]))
    else:
        args[where] = value_fn(np.asarray(args[where]))
    return args, kwargs


def _with_nan(a):
    a = np.array(a, dtype=np.float64)
    a.flat[0] = np.nan
    return a


@pytest.mark.parametrize("path", sorted(ARRAY_FUNCTIONS))
def test_float32_input_raises_precision_error(path):
    fn = _resolve(path)
    args, kwargs, where = ARRAY_FUNCTIONS[path]()
    fn(*args, **kwargs)  # the valid call works
    bad_args, bad_kwargs = _corrupt(args, kwargs, where, lambda a: a.astype(np.float32))
    with pytest.raises(PrecisionError):
        fn(*bad_args, **bad_kwargs)


@pytest.mark.parametrize("path", sorted(ARRAY_FUNCTIONS))
def test_nan_input_raises_invalid_input_error(path):
    fn = _resolve(path)
    args, kwargs, where = ARRAY_FUNCTIONS[path]()
    bad_args, bad_kwargs = _corrupt(args, kwargs, where, _with_nan)
    with pytest.raises(InvalidInputError):
        fn(*bad_args, **bad_kwargs)
