"""Which public names of the library each claim reaches (``aligntheory list --coverage``).

The public surface is every callable in ``__all__`` of the public (non-underscore) modules of
``aligntheory.theory``, ``aligntheory.kernels``, ``aligntheory.numerics`` (when present) and
``aligntheory.analysis``. Each claim is run at the quick tier under a tracer that records calls
into the code of those callables (their ``__wrapped__`` chain, so decorated and jitted functions
count, and the methods of public classes): ``sys.monitoring`` (``PY_START``, each code location
disabled after its first hit, so the overhead is one event per function) on Python >= 3.12,
``sys.setprofile`` before. JAX's caches (and ``functools.lru_cache`` caches of public functions)
are cleared before each claim, so a jitted function traced by an earlier claim is traced again
and counted for every claim that calls it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aligntheory.proofs_check._registry import Claim, Context, Verdict

__all__ = ["PUBLIC_PACKAGES", "public_callables", "claim_coverage", "Coverage"]

PUBLIC_PACKAGES = ("aligntheory.theory", "aligntheory.kernels", "aligntheory.numerics", "aligntheory.analysis")
"""The packages whose public names the coverage report measures."""


def _public_modules(package: str) -> list[str]:
    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError as exc:
        if exc.name == package:
            return []
        raise
    names = [package]
    for m in pkgutil.walk_packages(getattr(pkg, "__path__", []), package + "."):
        if not any(part.startswith("_") for part in m.name.split(".")):
            names.append(m.name)
    return names


def public_callables(packages: Sequence[str] = PUBLIC_PACKAGES) -> dict[str, Any]:
    """Qualified public name -> object, for every callable in ``__all__`` of the public modules.

    An object exported from several modules is listed once, under its shortest qualified name
    (the package re-export). Packages that do not exist are skipped.

    Examples
    --------
    >>> names = public_callables(["aligntheory.theory"])
    >>> "aligntheory.theory.ibn.effective_resistance" in names
    True
    """
    best: dict[int, tuple[str, Any]] = {}
    for package in packages:
        for modname in _public_modules(package):
            mod = importlib.import_module(modname)
            for name in getattr(mod, "__all__", ()):
                obj = getattr(mod, name, None)
                if obj is None or not callable(obj):
                    continue
                qual = f"{modname}.{name}"
                old = best.get(id(obj))
                if old is None or (len(qual), qual) < (len(old[0]), old[0]):
                    best[id(obj)] = (qual, obj)
    return dict(sorted(best.values(), key=lambda t: t[0]))


def _functions_of(obj: Any) -> Iterator[Any]:
    todo: list[Any] = [obj]
    if inspect.isclass(obj):
        # the class's own methods only (not Enum.__new__ or other machinery shared by many classes)
        prefix = getattr(obj, "__qualname__", "") + "."
        todo = []
        for v in vars(obj).values():
            if isinstance(v, (staticmethod, classmethod)):
                v = v.__func__
            fs = [v.fget, v.fset, v.fdel] if isinstance(v, property) else [v]
            todo += [f for f in fs if callable(f) and getattr(f, "__qualname__", "").startswith(prefix)]
    seen: set[int] = set()
    for f in todo:
        while f is not None and id(f) not in seen:
            seen.add(id(f))
            yield f
            f = None if inspect.isclass(f) else (getattr(f, "__wrapped__", None) or getattr(f, "fun", None))


def _code_map(names: dict[str, Any]) -> dict[int, tuple[Any, str]]:
    """``id(code) -> (code, public name)``: keyed by identity, since equal code objects (the
    generated ``__init__`` of two dataclasses with the same fields) compare equal by value."""
    owners: dict[int, tuple[Any, set[str]]] = {}
    for qual, obj in names.items():
        for f in _functions_of(obj):
            code = getattr(f, "__code__", None)
            if code is not None:
                owners.setdefault(id(code), (code, set()))[1].add(qual)
    # a code object shared by several public objects (namedtuple's _replace/__repr__, which every
    # namedtuple class reuses) says nothing about which one was reached: it is left out
    return {k: (code, next(iter(qs))) for k, (code, qs) in owners.items() if len(qs) == 1}


class _Tracer:
    """Records which mapped code objects start executing; one implementation per Python version."""

    def __init__(self, codes: dict[int, tuple[Any, str]]) -> None:
        self.codes = {k: name for k, (_, name) in codes.items()}
        self._keep = codes  # keeps the code objects (and so their ids) alive
        self.hits: set[str] = set()
        self._tool: int | None = None

    def _profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            name = self.codes.get(id(frame.f_code))
            if name is not None:
                self.hits.add(name)

    def __enter__(self) -> _Tracer:
        self.hits = set()
        mon = getattr(sys, "monitoring", None)
        if mon is not None:
            tool = next((t for t in (mon.PROFILER_ID, mon.OPTIMIZER_ID, 3, 4) if mon.get_tool(t) is None), None)
            if tool is not None:
                mon.use_tool_id(tool, "aligntheory-coverage")
                self._tool = tool

                def on_start(code: Any, offset: int) -> Any:
                    name = self.codes.get(id(code))
                    if name is not None:
                        self.hits.add(name)
                    return mon.DISABLE

                mon.register_callback(tool, mon.events.PY_START, on_start)
                mon.restart_events()
                mon.set_events(tool, mon.events.PY_START)
                return self
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._tool is not None:
            mon = sys.monitoring
            mon.set_events(self._tool, 0)
            mon.register_callback(self._tool, mon.events.PY_START, None)
            mon.free_tool_id(self._tool)
            self._tool = None
        else:
            sys.setprofile(None)


@dataclass(frozen=True)
class Coverage:
    """Result of :func:`claim_coverage`.

    Attributes
    ----------
    per_claim : dict
        Claim id -> sorted public names its run reached.
    verdicts : dict
        Claim id -> verdict of the traced run (quick tier).
    public : tuple of str
        Every public name measured.
    unreached : tuple of str
        Public names reached by no claim.
    """

    per_claim: dict[str, tuple[str, ...]]
    verdicts: dict[str, str]
    public: tuple[str, ...]
    unreached: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {"per_claim": {k: list(v) for k, v in self.per_claim.items()}, "verdicts": dict(self.verdicts),
                "public": list(self.public), "unreached": list(self.unreached),
                "reached": len(self.public) - len(self.unreached)}


def _clear_caches(objs: Iterable[Any]) -> None:
    if "jax" in sys.modules:
        sys.modules["jax"].clear_caches()
    for obj in objs:
        clear = getattr(obj, "cache_clear", None)
        if callable(clear):
            clear()


def claim_coverage(claims: Sequence[Claim], *, seed: int = 0, packages: Sequence[str] = PUBLIC_PACKAGES,
                   progress: Callable[[Claim, float], None] | None = None) -> Coverage:
    """Run each claim at the quick tier under a tracer and record the public names it reaches.

    Parameters
    ----------
    claims : sequence of Claim
    seed : int
        Seed of the runs.
    packages : sequence of str
        Packages whose public callables are measured (default :data:`PUBLIC_PACKAGES`).
    progress : callable, optional
        Called as ``progress(claim, seconds)`` after each claim.

    Notes
    -----
    A name is *reached* when its code (or the code it wraps) starts executing during the claim's
    run. Cost: one quick-tier run per claim plus the tracing overhead and JAX recompilation.

    Examples
    --------
    >>> from aligntheory.proofs_check import load_all
    >>> cov = claim_coverage([load_all().get("ibn.foster_theorem")])
    >>> any(n.startswith("aligntheory.theory.ibn.") for n in cov.per_claim["ibn.foster_theorem"])
    True
    """
    import time

    names = public_callables(packages)
    codes = _code_map(names)
    per_claim: dict[str, tuple[str, ...]] = {}
    verdicts: dict[str, str] = {}
    for c in claims:
        _clear_caches(names.values())
        t0 = time.perf_counter()
        with _Tracer(codes) as tr:
            ev = c.run(Context(seed=seed, tier="quick"))
        per_claim[c.id] = tuple(sorted(tr.hits))
        verdicts[c.id] = ev.verdict.value if isinstance(ev.verdict, Verdict) else str(ev.verdict)
        if progress is not None:
            progress(c, time.perf_counter() - t0)
    reached = set().union(*per_claim.values()) if per_claim else set()
    public = tuple(names)
    return Coverage(per_claim, verdicts, public, tuple(n for n in public if n not in reached))
