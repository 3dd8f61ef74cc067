"""What a mutant can reach: the project layout, a static import map, the functions each claim runs,
sampling and the equivalents file (used by :mod:`tools.mutate`)."""

from __future__ import annotations

import ast
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools._mutate_sites import Site, apply_site, enumerate_sites, trivially_equivalent

__all__ = ["Project", "all_sites", "choose_sample", "function_key", "load_equivalents", "ROOT", "SHARED",
           "EQUIVALENTS", "RUNNER", "MODULE"]

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().with_name("_mutate_runner.py")
EQUIVALENTS = Path(__file__).resolve().with_name("mutate_equivalent.txt")
SHARED = "shared"
MODULE = "<module>"
"""Function key of code outside any function (module and class bodies)."""


def function_key(source: str, line: int, col: int) -> int | None:
    """First line of the code object that executes position ``line:col`` of ``source`` (the
    innermost ``def`` or ``lambda`` whose *body* holds it; decorators, defaults and annotations
    belong to the enclosing scope), as ``co_firstlineno`` reports it (the first decorator's line
    for a decorated ``def``); ``None`` for module and class bodies.

    >>> src = "def f(x=1):\\n    return x + 2\\n\\n@dec\\ndef g():\\n    h = lambda y: y - 3\\n"
    >>> function_key(src, 2, 13), function_key(src, 1, 8), function_key(src, 6, 20), function_key(src, 6, 4)
    (1, None, 6, 4)
    """
    best: tuple[tuple[int, int], int] | None = None
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            start = (body[0].lineno, body[0].col_offset)
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        elif isinstance(node, ast.Lambda):
            start = (node.body.lineno, node.body.col_offset)
            first = node.lineno
        else:
            continue
        end = (node.end_lineno, node.end_col_offset)
        if start <= (line, col) < end and (best is None or start >= best[0]):
            best = (start, first)
    return None if best is None else best[1]


@dataclass
class Project:
    """Where the code and the tests are, and how to run the claims.

    ``claims_argv(claim_ids, out, baseline, trace)`` returns the command of a claims run (with the
    tree as working directory and first on ``PYTHONPATH``): it runs ``claim_ids`` (all claims when
    empty), appends one JSON line ``{"id", "verdict", "seconds"}`` per claim to ``out``, stops at the
    first kill when ``baseline`` (a JSON file of verdicts) is given, and with ``trace`` writes
    ``{claim id: ["path:co_firstlineno", ...]}`` of the package functions each claim ran (the
    unmutated baseline). ``None`` means the aligntheory runner (``tools/_mutate_runner.py``).
    """

    root: Path = ROOT
    package: str = "aligntheory"
    layers: tuple[str, ...] = ("theory", "kernels", "numerics", "analysis")
    claim_pillars: tuple[str, ...] | None = None
    copy: tuple[str, ...] = ("tests", "conftest.py", "pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini",
                             "README.md")
    test_excludes: tuple[str, ...] = ("tests/proofs_check", "tests/tools", "tests/test_hygiene.py")
    claims_argv: Callable[..., list[str]] | None = None
    seed: int = 0
    tier: str = "quick"

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        if self.claim_pillars is None:
            pc = self.root / self.package / "proofs_check"
            names = set()
            if pc.is_dir():
                for p in pc.iterdir():
                    if p.name.startswith(("_", ".")):
                        continue
                    if p.is_dir() and (p / "__init__.py").exists():
                        names.add(p.name)
                    elif p.suffix == ".py":
                        names.add(p.stem)
            self.claim_pillars = tuple(sorted(names))

    # files ------------------------------------------------------------------------------------------
    def module_files(self) -> list[str]:
        """Relative POSIX paths of the modules that may be mutated (``__init__.py`` excluded)."""
        out = []
        for layer in self.layers:
            d = self.root / self.package / layer
            if d.is_dir():
                out += [p.relative_to(self.root).as_posix() for p in d.rglob("*.py")
                        if p.name != "__init__.py" and "__pycache__" not in p.parts]
        return sorted(out)

    def layer_of(self, rel: str) -> str:
        return rel.split("/")[1]

    def pillar_of(self, rel: str) -> str:
        """The pillar of a module: the first path component below the layer, without a leading
        underscore or ``.py``, matched against the claim pillars (``theory/ibn/_model.py`` -> ``ibn``,
        ``analysis/_arena_io.py`` -> ``arena``); a module of no claim pillar (``kernels/_common.py``)
        is ``shared``. Used to sample and report per pillar; which claims and tests run on a mutant
        does not depend on it."""
        parts = rel.split("/")
        name = parts[2].removesuffix(".py").lstrip("_")
        for p in self.claim_pillars:
            if name == p or name.startswith(p + "_"):
                return p
        return SHARED

    def pillars(self) -> list[str]:
        return sorted({self.pillar_of(f) for f in self.module_files()})

    # the static import map ---------------------------------------------------------------------------
    def _module_file(self, dotted: str) -> str | None:
        base = self.root / Path(*dotted.split("."))
        for cand in (base / "__init__.py", base.with_suffix(".py")):
            if cand.is_file():
                return cand.relative_to(self.root).as_posix()
        return None

    def _resolve(self, dotted: str) -> set[str]:
        """Files imported by ``import dotted``: the module and its parent packages."""
        parts, out = dotted.split("."), set()
        for i in range(1, len(parts) + 1):
            f = self._module_file(".".join(parts[:i]))
            if f is not None:
                out.add(f)
        return out

    def import_map(self) -> dict[str, set[str]]:
        """``{file: files it imports}`` for every ``.py`` of the package and of ``tests/`` (imports
        anywhere in the file, function bodies included, and ``import_module("literal.name")`` calls; parent
        packages count as imported; a file that calls ``pkgutil.walk_packages`` imports every module of the
        package)."""
        cache = getattr(self, "_import_cache", None)
        if cache is not None:
            return cache
        cache = {}
        every_module = {p.relative_to(self.root).as_posix() for p in (self.root / self.package).rglob("*.py")
                        if "__pycache__" not in p.parts}
        files = [p for d in (self.package, "tests") if (self.root / d).is_dir()
                 for p in (self.root / d).rglob("*.py") if "__pycache__" not in p.parts]
        for path in files:
            rel = path.relative_to(self.root).as_posix()
            package = rel.removesuffix(".py").split("/")[:-1]
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            deps: set[str] = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        deps |= self._resolve(a.name)
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        up = package[: len(package) - (node.level - 1)]
                        base = ".".join([*up, *([base] if base else [])])
                    deps |= self._resolve(base)
                    for a in node.names:
                        f = self._module_file(f"{base}.{a.name}")
                        if f is not None:
                            deps.add(f)
                elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                      and isinstance(node.args[0].value, str)
                      and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "import_module"):
                    # a lazy import by name (importlib.import_module("aligntheory.numerics._bt_numba")): without it
                    # the optional numba route had no test files, so its mutants' tests phase ran only doctests
                    deps |= self._resolve(node.args[0].value)
                elif (isinstance(node, ast.Call)
                      and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "walk_packages"):
                    # a registry-wide test (tests/test_api.py walks every public module: docstrings, documented
                    # defaults, the float64 contract) imports the whole package, though no import names a module
                    deps |= every_module
            deps.discard(rel)
            cache[rel] = deps
        self._import_cache = cache
        return cache

    def import_depth(self, start: str, target: str) -> int | None:
        """Import steps from file ``start`` to file ``target`` (breadth first), ``None`` if never."""
        graph, seen, frontier, depth = self.import_map(), {start}, [start], 0
        while frontier:
            if target in frontier:
                return depth
            nxt = []
            for f in frontier:
                for g in graph.get(f, ()):
                    if g not in seen:
                        seen.add(g)
                        nxt.append(g)
            frontier, depth = nxt, depth + 1
        return None

    def importers(self, rel: str) -> list[str]:
        """Package modules that import ``rel``, directly or transitively."""
        return sorted(f for f in self.import_map() if f.startswith(self.package + "/") and f != rel
                      and self.import_depth(f, rel) is not None)

    def tests_for(self, rel: str) -> list[str]:
        """Test files that import module ``rel`` directly or transitively (static import map),
        nearest first (fewest import steps, fuzz files last, then name); ``test_excludes`` left out (the claims are
        the other phase; ruff sees no values)."""
        files = sorted(f for f in self.import_map() if f.startswith("tests/") and Path(f).name.startswith("test_")
                       and not any(f == e or f.startswith(e.rstrip("/") + "/") for e in self.test_excludes))
        ranked = []
        for f in files:
            d = self.import_depth(f, rel)
            if d is not None:
                ranked.append((d, "/fuzz/" in f, f))  # property-based fuzz files last at a depth
        return [f for *_k, f in sorted(ranked)]

    # which claims run a mutated position -------------------------------------------------------------
    def claims_for_site(self, site: Site, trace: dict[str, set[str]], sources: dict[str, str]) -> list[str]:
        """Claims that execute the code a mutant changes, from the baseline ``trace`` (``{claim id:
        {"path:first line", ...}}``, plus ``"<import>"``): the claims that started the enclosing
        function; for module- or class-level code, or a function that ran while the claims were
        imported (its value may be stored at import), the claims that ran any function of the
        module or of a module importing it."""
        key = function_key(sources[site.path], site.line, site.col)
        tag = f"{site.path}:{key}"
        claims = {c: h for c, h in trace.items() if c != "<import>"}
        if key is not None and tag not in trace.get("<import>", set()):
            return [c for c, h in claims.items() if tag in h]
        files = {site.path, *self.importers(site.path)}
        return [c for c, h in claims.items() if any(x.rsplit(":", 1)[0] in files for x in h)]

    def argv_claims(self, claim_ids: Sequence[str], out: Path, baseline: Path | None, trace: Path | None = None):
        if self.claims_argv is not None:
            return self.claims_argv(claim_ids, out, baseline, trace)
        argv = [sys.executable, str(RUNNER), "--out", str(out), "--seed", str(self.seed), "--tier", self.tier]
        for c in claim_ids:
            argv += ["--claim", c]
        if baseline is not None:
            argv += ["--baseline", str(baseline)]
        if trace is not None:
            argv += ["--trace", str(trace), "--trace-prefix", self.package + "/"]
        return argv


# --- sampling and equivalents ---------------------------------------------------------------------------


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, str]:
    """``{mutant id: reason}`` from a file of lines ``<id> <reason>`` (``#`` starts a comment)."""
    out: dict[str, str] = {}
    if not Path(path).exists():
        return out
    for raw in Path(path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        mid, _, reason = line.partition(" ")
        out[mid.strip()] = reason.strip() or "(no reason given)"
    return out


def all_sites(project: Project, pillar: str | None = None) -> list[Site]:
    sites: list[Site] = []
    for rel in project.module_files():
        if pillar not in (None, "all") and project.pillar_of(rel) != pillar:
            continue
        try:
            sites += enumerate_sites(rel, (project.root / rel).read_text(encoding="utf-8"))
        except SyntaxError as exc:
            print(f"warning: {rel} does not parse ({exc}); no mutants from it", file=sys.stderr)
    return sorted(sites, key=lambda s: (s.path, s.line, s.col, s.kind, s.replacement))


def choose_sample(sites: Sequence[Site], n: int, seed: int, sources: dict[str, str],
                  equivalents: dict[str, str] | None = None):
    """Walk a seeded uniform shuffle of ``sites`` and keep the first ``n`` non-equivalent mutants
    (``n <= 0``: all). Returns ``(chosen, excluded)``; ``excluded`` holds ``(site, how, reason)`` for
    the equivalents met on the way (``how`` is ``listed`` or ``trivial``).

    >>> sites = enumerate_sites("m.py", "y = a + 0\\nz = b < c\\n")
    >>> chosen, excluded = choose_sample(sites, 5, 0, {"m.py": "y = a + 0\\nz = b < c\\n"})
    >>> sorted(s.original for s in chosen), [(s.original, how) for s, how, _ in excluded]
    (['0', '<'], [('+', 'trivial')])
    """
    equivalents = equivalents or {}
    order = list(sites)
    random.Random(seed).shuffle(order)
    chosen, excluded = [], []
    for s in order:
        if 0 < n <= len(chosen):
            break
        if s.id in equivalents:
            excluded.append((s, "listed", equivalents[s.id]))
            continue
        src = sources[s.path]
        try:
            trivial = trivially_equivalent(src, apply_site(src, s))
        except SyntaxError:
            trivial = False
        if trivial:
            excluded.append((s, "trivial", "same AST after constant folding and x+0, x*1, x**1 identities"))
            continue
        chosen.append(s)
    return chosen, excluded
