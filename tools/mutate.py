"""Mutation testing of the claims and the tests: ``python -m tools.mutate --pillar ibn --sample 100 --seed 0``.

Enumerates single-token mutants (operators, comparisons, constants, ``and``/``or``, unary minus,
``True``/``False``; see :mod:`tools._mutate_sites`) of ``aligntheory/{theory,kernels,numerics,analysis}``,
draws a uniform sample with a seed, and runs each mutant in its **own copy** of the package and
tests (a snapshot taken once at the start; the shared checkout is never written to):

1. the claims of the mutant's pillar (``tools/_mutate_runner.py``, fastest claims first); killed
   when a claim FAILs or a CONTRADICTED verdict appears or disappears against the unmutated
   baseline, when the run crashes, or when it times out;
2. for claim survivors (``--tests-only``: for every mutant), the pillar's tests plus the doctests
   of the mutated module with ``pytest -x``; killed when pytest reports a failure or error, or
   times out.

Writes ``report.md``, ``report.json`` and ``results.jsonl`` (one line per mutant, appended as each
finishes; ``--resume`` continues an interrupted run) into ``--out``. See ``docs/mutation.md``.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import dataclasses
import datetime as _dt
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tools._mutate_runner import kills
from tools._mutate_sites import Site, apply_site, enumerate_sites, trivially_equivalent

__all__ = ["Project", "Mutant", "choose_sample", "load_equivalents", "main", "run_mutants"]

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().with_name("_mutate_runner.py")
EQUIVALENTS = Path(__file__).resolve().with_name("mutate_equivalent.txt")
SHARED = "shared"


# --- the project: which files, which pillar, which tests ------------------------------------------------


@dataclass
class Project:
    """Where the code and the tests are, and how to run the claims of a pillar.

    ``claims_argv(claim_ids, out, baseline, pillars)`` returns the command of the claims phase (run
    with the mutant tree as working directory and first on ``PYTHONPATH``); it must append one JSON
    line ``{"id", "verdict"}`` per claim to ``out``. ``None`` means the aligntheory runner.
    """

    root: Path = ROOT
    package: str = "aligntheory"
    layers: tuple[str, ...] = ("theory", "kernels", "numerics", "analysis")
    claim_pillars: tuple[str, ...] | None = None
    copy: tuple[str, ...] = ("tests", "conftest.py", "pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini",
                             "README.md")
    test_excludes: tuple[str, ...] = ("tests/proofs_check",)
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
        ``analysis/_arena_io.py`` -> ``arena``); a module of no claim pillar (``kernels/_common.py``,
        ``numerics/laplacian.py``) is ``shared``."""
        parts = rel.split("/")
        name = parts[2].removesuffix(".py").lstrip("_")
        for p in self.claim_pillars:
            if name == p or name.startswith(p + "_"):
                return p
        return SHARED

    def pillars(self) -> list[str]:
        return sorted({self.pillar_of(f) for f in self.module_files()})

    # who imports whom (for shared modules) -------------------------------------------------------------
    def _imports(self) -> dict[str, set[str]]:
        cache = getattr(self, "_import_cache", None)
        if cache is not None:
            return cache
        cache = {}
        pkg = self.root / self.package
        for path in pkg.rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(self.root).as_posix()
            here = rel.removesuffix(".py").split("/")
            package = here[:-1] if here[-1] != "__init__" else here[:-1]
            names: set[str] = set()
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        up = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                        base = ".".join([*up, *([base] if base else [])])
                    names.add(base)
                    names |= {f"{base}.{a.name}" for a in node.names}
            cache[rel] = names
        self._import_cache = cache
        return cache

    def importers(self, rel: str) -> list[str]:
        """Modules of the package that import the module ``rel`` (directly)."""
        target = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        return sorted(f for f, names in self._imports().items() if f != rel and any(
            n == target or n.startswith(target + ".") for n in names))

    def _user_pillar(self, rel: str) -> str | None:
        """Pillar of an importing module: its claim pillar, ``shared`` (followed further: shared
        code and re-exporting ``__init__.py`` below a layer) or ``None`` (not followed)."""
        parts = rel.split("/")
        if len(parts) < 3:
            return None
        if parts[1] == "proofs_check":
            name = parts[2].removesuffix(".py")
            return name if name in self.claim_pillars else None
        if parts[1] not in self.layers:
            return None
        if parts[2] == "__init__.py":
            return SHARED
        return self.pillar_of(rel)

    def claims_for(self, rel: str) -> list[str]:
        """Claim pillars whose claims judge a mutant of module ``rel``: its own pillar; for shared
        code, the pillars of the modules and claims that import it (through other shared modules and
        re-exports), or every pillar when none is found."""
        pillar = self.pillar_of(rel)
        if pillar != SHARED:
            return [pillar] if pillar in self.claim_pillars else []
        seen, frontier, found = {rel}, [rel], set()
        while frontier:
            for user in self.importers(frontier.pop()):
                if user in seen:
                    continue
                seen.add(user)
                p = self._user_pillar(user)
                if p == SHARED:
                    frontier.append(user)
                elif p is not None:
                    found.add(p)
        return sorted(found) or list(self.claim_pillars)

    def tests_for(self, rel: str) -> list[str]:
        """Test files of the mutated module, mirror layer first; ``tests/proofs_check`` excluded (the
        claims are the other phase).

        * pillar code: ``tests/**/test_*<pillar>*.py`` (the pillar as whole ``_``-separated words of
          the file name: ``test_ibn_bt.py``, ``test_analysis_ibn.py``, ``test_fuzz_ibn_kernels.py``),
          plus all of ``tests/analysis/`` for an analysis module;
        * shared code: the mirror folder (``tests/kernels/`` for ``kernels/_common.py``) and files
          naming the module (``test_laplacian*.py``); when there are none, the tests of the pillars
          that import it.
        """
        pillar, layer = self.pillar_of(rel), self.layer_of(rel)
        tests = self.root / "tests"
        if not tests.is_dir():
            return []
        files = sorted(p.relative_to(self.root).as_posix() for p in tests.rglob("test_*.py")
                       if "__pycache__" not in p.parts)
        files = [f for f in files if not any(f == e or f.startswith(e.rstrip("/") + "/") for e in self.test_excludes)]

        def words(name: str) -> list[str]:
            pat = re.compile(rf"(^|_){re.escape(name)}(_|$)")
            return [f for f in files if pat.search(Path(f).stem[len("test_"):])]

        if pillar == SHARED:
            name = Path(rel).stem.lstrip("_")
            chosen = [f for f in files if f.startswith(f"tests/{layer}/")]
            chosen += [f for f in words(name) if f not in chosen]
            if not chosen:
                chosen = sorted({f for p in self.claims_for(rel) for f in words(p)})
        else:
            chosen = words(pillar)
        if layer == "analysis":
            chosen += [f for f in files if f.startswith("tests/analysis/") and f not in chosen]
        mirror = [f for f in chosen if f.startswith(f"tests/{layer}/") or f"_{layer}_" in f or f"_{layer}." in f]
        return mirror + [f for f in chosen if f not in mirror]

    def argv_claims(self, claim_ids: Sequence[str], out: Path, baseline: Path | None, pillars: Sequence[str]):
        if self.claims_argv is not None:
            return self.claims_argv(claim_ids, out, baseline, pillars)
        argv = [sys.executable, str(RUNNER), "--out", str(out), "--seed", str(self.seed), "--tier", self.tier]
        for c in claim_ids:
            argv += ["--claim", c]
        if not claim_ids:
            for p in pillars:
                argv += ["--pillar", p]
        if baseline is not None:
            argv += ["--baseline", str(baseline)]
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


# --- isolated trees and subprocesses --------------------------------------------------------------------


def _ignore(_dir, names):
    return [n for n in names if n in ("__pycache__", ".hypothesis", ".pytest_cache") or n.endswith(".pyc")]


def make_snapshot(project: Project, dest: Path, rev: str | None = None) -> Path:
    """Copy the package and the test tree (from the working tree, or ``git archive rev``) to
    ``dest`` and byte-compile it, so that every mutant copy starts from the same files."""
    dest.mkdir(parents=True, exist_ok=True)
    items = [project.package, *project.copy]
    if rev is not None:
        present = [i for i in items if subprocess.run(["git", "cat-file", "-e", f"{rev}:{i}"], cwd=project.root,
                                                      capture_output=True).returncode == 0]
        arch = subprocess.run(["git", "archive", "--format=tar", rev, *present], cwd=project.root,
                              capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=arch, check=True)
    else:
        for item in items:
            src = project.root / item
            if src.is_dir():
                shutil.copytree(src, dest / item, ignore=_ignore, symlinks=True)
            elif src.is_file():
                shutil.copy2(src, dest / item)
    compileall.compile_dir(str(dest / project.package), quiet=1, workers=1)
    return dest


def _env(tree: Path, ci: bool, jax_cache: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["MPLBACKEND"] = "Agg"
    if ci:
        env["CI"] = "1"
    if jax_cache:
        env["JAX_COMPILATION_CACHE_DIR"] = jax_cache
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.2")
    return env


_LIVE: set[subprocess.Popen] = set()  # running process groups, killed if the run is interrupted
_LIVE_LOCK = threading.Lock()
_STOP = threading.Event()


def _kill_all() -> None:
    _STOP.set()
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for p in procs:
        _killpg(p)


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _killpg(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float, log: Path) -> tuple[str, int | None, float]:
    """Run ``argv`` in its own session; on timeout kill its process group. Returns (state, rc, s)."""
    t0 = time.perf_counter()
    with open(log, "wb") as fh:
        if _STOP.is_set():
            raise KeyboardInterrupt("run interrupted")
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        with _LIVE_LOCK:
            _LIVE.add(proc)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _killpg(proc)
            return "timeout", None, time.perf_counter() - t0
        except BaseException:  # Ctrl-C: leave no process tree behind
            _killpg(proc)
            raise
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(proc)
    return "done", rc, time.perf_counter() - t0


def _tail(log: Path, n: int = 1500) -> str:
    try:
        return log.read_text(errors="replace")[-n:]
    except OSError:
        return ""


def _read_verdicts(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return out


_FAILED = re.compile(r"^(FAILED|ERROR) (\S+)", re.M)


def _first_failure(text: str) -> str | None:
    m = _FAILED.search(text)
    return m.group(2) if m else None


# --- one mutant -----------------------------------------------------------------------------------------


@dataclass
class Mutant:
    """A sampled site and what became of it."""

    site: Site
    pillar: str
    claims: dict = field(default_factory=dict)
    tests: dict = field(default_factory=dict)

    @property
    def killed_by_claims(self) -> bool:
        return self.claims.get("state") in ("killed", "timeout", "crash")

    @property
    def killed_by_tests(self) -> bool:
        return self.tests.get("state") in ("killed", "timeout", "crash")

    @property
    def outcome(self) -> str:
        if self.killed_by_claims:
            return "killed-claims"
        if self.killed_by_tests:
            return "killed-tests"
        if "error" in (self.claims.get("state"), self.tests.get("state")):
            return "error"
        return "survived"

    def to_json(self) -> dict:
        return {"id": self.site.id, "pillar": self.pillar, "site": self.site.to_json(), "claims": self.claims,
                "tests": self.tests, "outcome": self.outcome}


@dataclass
class Settings:
    project: Project
    snapshot: Path
    work: Path
    claims_baseline: dict[str, dict]  # claim id -> {"verdict", "seconds"}
    deselect: dict[str, list[str]]  # pillar -> pytest args excluding baseline failures
    claims_timeout: float
    tests_timeout: float
    do_claims: bool = True
    do_tests: bool = True
    tests_after_claims_only: bool = True
    ci: bool = True
    jax_cache: str | None = None
    keep: bool = False
    confirm: bool = True
    flaky: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _claim_ids(s: Settings, rel: str) -> list[str]:
    cps = s.project.claims_for(rel)
    ids = [cid for cid in s.claims_baseline if cid.split(".", 1)[0] in cps]
    return sorted(ids, key=lambda c: (s.claims_baseline[c].get("seconds", 0.0), c))


def run_one(site: Site, s: Settings) -> Mutant:
    """Build the mutant's tree, run its phases, remove the tree (unless ``keep``)."""
    project = s.project
    m = Mutant(site, project.pillar_of(site.path))
    tree = s.work / f"m-{site.id}"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(s.snapshot, tree, symlinks=True)
    target = tree / site.path
    try:
        original = target.read_text(encoding="utf-8")
        mutated = apply_site(original, site)
        compile(mutated, site.path, "exec")
    except (ValueError, SyntaxError, OSError) as exc:
        m.claims = {"state": "error", "why": f"mutant could not be applied: {exc}"}
        shutil.rmtree(tree, ignore_errors=True)
        return m
    target.write_text(mutated, encoding="utf-8")
    pyc = Path(importlib.util.cache_from_source(str(target)))
    if pyc.exists():
        pyc.unlink()
    env = _env(tree, s.ci, s.jax_cache)
    try:
        if s.do_claims:
            ids = _claim_ids(s, site.path)
            if not ids:
                m.claims = {"state": "survived", "why": "no claims for this pillar"}
            else:
                base = tree / ".mutate-baseline.json"
                base.write_text(json.dumps({c: s.claims_baseline[c]["verdict"] for c in ids}))
                out, log = tree / ".mutate-verdicts.jsonl", tree / ".mutate-claims.log"
                state, rc, secs = _run(project.argv_claims(ids, out, base, project.claims_for(site.path)),
                                       tree, env, s.claims_timeout, log)
                recs = _read_verdicts(out)
                killer = next((r for r in recs if kills(r["verdict"], s.claims_baseline.get(r["id"], {}).get("verdict"))),
                              None)
                m.claims = {"seconds": round(secs, 2), "claims_run": len(recs)}
                if killer is not None:
                    m.claims.update(state="killed", by=killer["id"],
                                    why=f"{s.claims_baseline[killer['id']]['verdict']} -> {killer['verdict']}: "
                                        f"{killer.get('details', '')[:300]}")
                elif state == "timeout":
                    m.claims.update(state="timeout", why=f"no verdict change within {s.claims_timeout:.0f} s",
                                    last=recs[-1]["id"] if recs else None)
                elif rc != 0:
                    m.claims.update(state="crash", why=f"claims runner exited {rc}", log=_tail(log, 800))
                else:
                    m.claims.update(state="survived")
        if s.do_tests and not (s.tests_after_claims_only and s.do_claims and m.killed_by_claims):
            m.tests = _tests_phase(site, m.pillar, tree, env, s)
    finally:
        if not s.keep:
            shutil.rmtree(tree, ignore_errors=True)
    return m


def _tests_phase(site: Site, pillar: str, tree: Path, env: dict[str, str], s: Settings) -> dict:
    """``pytest -x`` on the mutant; a kill is credited only when the killing test passes without the
    mutation (re-run on the snapshot), otherwise the test is recorded as flaky, deselected for the
    rest of the run, and the phase is run again (at most three times)."""
    tests = s.project.tests_for(site.path)
    flaky_here: list[str] = []
    for _attempt in range(3):
        with s.lock:
            flaky = sorted(s.flaky)
        skip = [a for f in flaky for a in ("--deselect", f)]
        argv = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rfE", f"--rootdir={tree}",
                "--doctest-modules", site.path, *tests, *s.deselect.get(pillar, []), *skip]
        log = tree / ".mutate-tests.log"
        state, rc, secs = _run(argv, tree, env, s.tests_timeout, log)
        text = _tail(log, 20000)
        res = {"seconds": round(secs, 2), "files": len(tests) + 1}
        if flaky_here:
            res["flaky"] = flaky_here
        if state == "timeout":
            return {**res, "state": "timeout", "why": f"pytest ran past {s.tests_timeout:.0f} s"}
        if rc == 3:
            return {**res, "state": "crash", "why": "pytest internal error", "log": text[-800:]}
        if rc in (0, 5):
            return {**res, "state": "survived"}
        if rc not in (1, 2):
            return {**res, "state": "error", "why": f"pytest exit {rc}", "log": text[-800:]}
        by = _first_failure(text)
        if by is None or "::" not in by or not s.confirm:
            return {**res, "state": "killed", "by": by or f"pytest exit {rc}"}
        clog = tree / ".mutate-confirm.log"
        cstate, crc, _ = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--rootdir={s.snapshot}",
                               "--doctest-modules", by], s.snapshot, _env(s.snapshot, s.ci, s.jax_cache),
                              s.tests_timeout, clog)
        if cstate == "done" and crc == 0:
            return {**res, "state": "killed", "by": by}
        flaky_here.append(by)
        with s.lock:
            s.flaky.add(by)
    return {**res, "state": "error", "why": f"three killing tests also failed without the mutation: {flaky_here}"}


def run_mutants(sites: Sequence[Site], s: Settings, jobs: int = 1, results: Path | None = None,
                progress: Callable[[int, int, Mutant], None] | None = None) -> list[Mutant]:
    """Run every mutant (``jobs`` at a time), appending each result to ``results`` as it ends."""
    lock = threading.Lock()
    done: list[Mutant] = []

    def task(site: Site) -> Mutant:
        m = run_one(site, s)
        with lock:
            done.append(m)
            if results is not None:
                with open(results, "a") as fh:
                    fh.write(json.dumps(m.to_json()) + "\n")
            if progress is not None:
                progress(len(done), len(sites), m)
        return m

    if jobs <= 1:
        return [task(x) for x in sites]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(task, sites))


# --- baselines ------------------------------------------------------------------------------------------


def claims_baseline(project: Project, snapshot: Path, pillars: Sequence[str], work: Path, timeout: float,
                    ci: bool, jax_cache: str | None) -> tuple[dict[str, dict], float]:
    """Verdicts of the claims of ``pillars`` on the unmutated snapshot (all claims run)."""
    if not pillars:
        return {}, 0.0
    out, log = work / "baseline-verdicts.jsonl", work / "baseline-claims.log"
    if out.exists():
        out.unlink()
    state, rc, secs = _run(project.argv_claims([], out, None, pillars), snapshot, _env(snapshot, ci, jax_cache),
                           timeout, log)
    if state != "done" or rc != 0:
        raise RuntimeError(f"the claims baseline did not complete ({state}, exit {rc}); log {log}:\n{_tail(log)}")
    return {r["id"]: {"verdict": r["verdict"], "seconds": r.get("seconds", 0.0)} for r in _read_verdicts(out)}, secs


def tests_baseline(project: Project, snapshot: Path, pillar: str, modules: Sequence[str], work: Path,
                   timeout: float, ci: bool, jax_cache: str | None) -> tuple[list[str], list[str], float]:
    """Run the pillar's tests and the doctests of ``modules`` unmutated (no ``-x``); returns the
    pytest arguments that deselect the baseline failures, the failures, and the seconds."""
    tests = sorted({t for mod in modules for t in project.tests_for(mod)})
    log = work / f"baseline-tests-{pillar}.log"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE", f"--rootdir={snapshot}",
            "--doctest-modules", *modules, *tests]
    state, rc, secs = _run(argv, snapshot, _env(snapshot, ci, jax_cache), timeout, log)
    if state == "timeout":
        raise RuntimeError(f"the test baseline of {pillar} ran past {timeout:.0f} s; raise --timeout ({log})")
    failures = [m.group(2) for m in _FAILED.finditer(log.read_text(errors="replace"))]
    args: list[str] = []
    for f in failures:
        args += ["--deselect", f] if "::" in f else ["--ignore", f]
    if rc not in (0, 1, 5):
        raise RuntimeError(f"the test baseline of {pillar} could not run (pytest exit {rc}); log {log}")
    return args, failures, secs


# --- report ---------------------------------------------------------------------------------------------


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} = {100.0 * k / n:.1f} %" if n else "—"


def summarise(mutants: Sequence[Mutant], excluded, do_claims: bool, do_tests: bool, tests_only: bool,
              sites_per_pillar: dict[str, int] | None = None) -> dict:
    by_pillar: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_pillar[m.pillar].append(m)
    rows = {}
    for pillar, ms in sorted(by_pillar.items()) + [("all", list(mutants))]:
        valid = [m for m in ms if m.outcome != "error"]
        n = len(valid)
        sp = sites_per_pillar or {}
        row = {"sites": sum(sp.values()) if pillar == "all" else sp.get(pillar, 0), "mutants": n, "errors": len(ms) - n,
               "equivalents_excluded": sum(1 for s, _h, _r in excluded if pillar == "all" or s.pillar == pillar)}
        if do_claims:
            row["claims_killed"] = sum(m.killed_by_claims for m in valid)
            row["claims_timeouts"] = sum(m.claims.get("state") == "timeout" for m in valid)
            row["claims_crashes"] = sum(m.claims.get("state") == "crash" for m in valid)
            row["claims_rate"] = row["claims_killed"] / n if n else None
        if do_tests:
            row["tests_timeouts"] = sum(m.tests.get("state") == "timeout" for m in valid)
            if tests_only:
                row["tests_killed"] = sum(m.killed_by_tests for m in valid)
                row["tests_rate"] = row["tests_killed"] / n if n else None
        if do_claims and do_tests:
            row["combined_killed"] = sum(m.killed_by_claims or m.killed_by_tests for m in valid)
            row["combined_rate"] = row["combined_killed"] / n if n else None
        rows[pillar] = row
    return rows


def write_report(out: Path, mutants: Sequence[Mutant], excluded, meta: dict, rows: dict) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    survivors = [m for m in mutants if m.outcome == "survived"]
    tests_only_kills = [m for m in mutants if m.outcome == "killed-tests"]
    timeouts = [m for m in mutants if "timeout" in (m.claims.get("state"), m.tests.get("state"))]
    errors = [m for m in mutants if m.outcome == "error"]
    kinds: dict[str, Counter] = defaultdict(Counter)
    for m in mutants:
        if m.outcome != "error":
            kinds[m.site.kind]["n"] += 1
            kinds[m.site.kind]["claims"] += m.killed_by_claims
            kinds[m.site.kind]["combined"] += m.killed_by_claims or m.killed_by_tests
    data = {"meta": meta, "summary": rows, "mutants": [m.to_json() for m in mutants],
            "equivalents_excluded": [{"id": s.id, "how": how, "reason": r, "site": s.to_json()}
                                     for s, how, r in excluded]}
    (out / "report.json").write_text(json.dumps(data, indent=1))

    L = ["# Mutation testing report", ""]
    L += [f"- command: `{meta['command']}`", f"- date: {meta['date']}; snapshot: {meta['snapshot']}",
          f"- seed {meta['seed']}, sample {meta['sample']} non-equivalent mutants drawn from "
          f"{meta['sites']} sites; timeouts: claims {meta['claims_timeout']:.0f} s, tests {meta['tests_timeout']:.0f} s",
          f"- a mutant is **killed by the claims** when a claim of its pillar FAILs where it did not, a "
          "CONTRADICTED verdict appears or disappears, the claims runner crashes, or it times out; "
          "**by the tests** when `pytest -x` on the pillar's tests and the mutated module's doctests fails "
          "or times out (run only on claim survivors unless `--tests-only`).", ""]
    L += ["## Kill rates", "", "| pillar | sites | mutants | claims alone | claims + tests + doctests | tests + doctests alone "
          "| timeouts (claims/tests) | errors | equivalents excluded |", "|---|---|---|---|---|---|---|---|---|"]
    for p, r in rows.items():
        claims = _pct(r["claims_killed"], r["mutants"]) if "claims_killed" in r else "—"
        comb = _pct(r["combined_killed"], r["mutants"]) if "combined_killed" in r else "—"
        tests = _pct(r["tests_killed"], r["mutants"]) if "tests_killed" in r else "—"
        name = f"**{p}**" if p == "all" else p
        L.append(f"| {name} | {r['sites']} | {r['mutants']} | {claims} | {comb} | {tests} | {r.get('claims_timeouts', 0)}/"
                 f"{r.get('tests_timeouts', 0)} | {r['errors']} | {r['equivalents_excluded']} |")
    L += ["", "Targets (issue 11): claims alone ≥ 80 %, claims + tests + doctests ≥ 95 %, on a uniform "
          "sample of ≥ 200 non-equivalent mutants. Timeouts count as kills (listed below).", ""]
    L += ["## By mutation kind", "", "| kind | mutants | claims alone | claims + tests + doctests |", "|---|---|---|---|"]
    for k, c in sorted(kinds.items()):
        L.append(f"| {k} | {c['n']} | {_pct(c['claims'], c['n'])} | {_pct(c['combined'], c['n'])} |")

    def block(m: Mutant) -> list[str]:
        s = m.site
        return [f"### `{s.id}` {s.path}:{s.line} — {s.kind}: `{s.original}` → `{s.replacement or '(removed)'}`",
                f"in `{s.qualname or '<module>'}`", "", "```diff", f"- {s.line_text.strip()}",
                f"+ {s.mutated_line.strip()}", "```", ""]

    L += ["", f"## Survivors ({len(survivors)})", "",
          "Judge each: a real gap (add a claim or test that kills it) or an equivalent mutant (add "
          "`<id> <reason>` to `tools/mutate_equivalent.txt`).", ""]
    for m in survivors:
        L += block(m)
    if tests_only_kills:
        L += [f"## Missed by the claims, killed by tests or doctests ({len(tests_only_kills)})", "",
              "| id | where | mutation | killed by |", "|---|---|---|---|"]
        for m in tests_only_kills:
            s = m.site
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | "
                     f"{m.tests.get('by', m.tests.get('state'))} |")
        L.append("")
    if timeouts:
        L += [f"## Timeouts ({len(timeouts)}, counted as killed)", "", "| id | where | mutation | phase |",
              "|---|---|---|---|"]
        for m in timeouts:
            s = m.site
            phase = "claims" if m.claims.get("state") == "timeout" else "tests"
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | {phase} |")
        L.append("")
    if errors:
        L += [f"## Errors ({len(errors)}, not counted)", ""]
        for m in errors:
            L.append(f"- `{m.site.id}` {m.site.describe()}: {m.claims.get('why') or m.tests.get('why')}")
        L.append("")
    L += [f"## Equivalent mutants excluded ({len(excluded)})", ""]
    if excluded:
        L += ["| id | where | mutation | how | reason |", "|---|---|---|---|---|"]
        for s, how, r in excluded:
            L.append(f"| `{s.id}` | {s.path}:{s.line} | `{s.original}` → `{s.replacement or '(removed)'}` | {how} | {r} |")
    L += ["", "## Baseline", ""]
    for cid, b in sorted(meta.get("claims_baseline", {}).items()):
        L.append(f"- claim `{cid}`: {b['verdict']} ({b.get('seconds', 0):.1f} s)")
    for f in meta.get("flaky_tests", []):
        L.append(f"- flaky: `{f}` killed a mutant but also failed without it; deselected for the rest of the run")
    for p, fails in sorted(meta.get("tests_baseline_failures", {}).items()):
        L.append(f"- tests of {p}: {len(fails)} failing without any mutation, deselected: "
                 + (", ".join(f"`{f}`" for f in fails) or "none"))
    (out / "report.md").write_text("\n".join(L) + "\n")
    return {"md": out / "report.md", "json": out / "report.json"}


# --- command line ---------------------------------------------------------------------------------------


def _parser(project: Project) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.mutate", description=__doc__.split("\n\n")[0])
    p.add_argument("--pillar", default="all", help=f"one of {', '.join(project.pillars())} or 'all' (default)")
    p.add_argument("--sample", type=int, default=100, help="non-equivalent mutants to draw (0: all sites)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed")
    p.add_argument("--ids", nargs="+", default=None, help="run exactly these mutant ids (no sampling)")
    p.add_argument("--out", default="mutation-report", help="report directory (default: mutation-report)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds per phase per mutant (raised to 3x the baseline phase when that is longer)")
    p.add_argument("--jobs", type=int, default=1, help="mutants run at the same time (default 1)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--claims-only", action="store_true", help="run only the claims phase")
    mode.add_argument("--tests-only", action="store_true", help="run only the tests + doctests phase (all mutants)")
    p.add_argument("--rev", default=None, help="snapshot this git revision instead of the working tree")
    p.add_argument("--equivalents", default=str(EQUIVALENTS), help="file of judged-equivalent mutant ids")
    p.add_argument("--claim-seed", type=int, default=0, help="seed of the claims (Context.seed)")
    p.add_argument("--tier", choices=("quick", "full"), default="quick")
    p.add_argument("--no-test-baseline", action="store_true",
                   help="skip the unmutated test run (assume the pillar's tests pass)")
    p.add_argument("--no-ci-env", action="store_true", help="do not set CI=1 (hypothesis 'ci' profile) in the runs")
    p.add_argument("--jax-cache", default=None,
                   help="JAX persistent compilation cache shared by the runs (default: a fresh one in the "
                        "run's temporary directory; unmutated kernels then compile once)")
    p.add_argument("--no-jax-cache", action="store_true", help="no persistent JAX compilation cache")
    p.add_argument("--no-confirm", action="store_true",
                   help="credit a test kill without re-running the killing test on the unmutated code")
    p.add_argument("--resume", action="store_true", help="keep the results already in OUT/results.jsonl")
    p.add_argument("--list", action="store_true", help="print the sample and exit (runs nothing)")
    p.add_argument("--keep", action="store_true", help="keep each mutant's tree (debugging)")
    return p


def _select(project: Project, args, equivalents: dict[str, str]):
    """``(sites, chosen, excluded)`` of the run, or an exit status on a usage error."""
    sites = all_sites(project, args.pillar)
    sources = {rel: (project.root / rel).read_text(encoding="utf-8") for rel in {s.path for s in sites}}
    if args.ids:
        by_id = {s.id: s for s in sites}
        missing = [i for i in args.ids if i not in by_id]
        if missing:
            print(f"unknown mutant ids (for --pillar {args.pillar}): {', '.join(missing)}", file=sys.stderr)
            return 2
        return sites, [by_id[i] for i in args.ids], []
    chosen, excluded = choose_sample(sites, args.sample, args.seed, sources, equivalents)
    return sites, chosen, excluded


def main(argv: Sequence[str] | None = None, project: Project | None = None) -> int:
    project = project or Project()
    args = _parser(project).parse_args(argv)
    _STOP.clear()
    if threading.current_thread() is threading.main_thread():  # SIGTERM cleans up like Ctrl-C
        signal.signal(signal.SIGTERM, _on_sigterm)
    project.seed, project.tier = args.claim_seed, args.tier
    pillars = project.pillars()
    if args.pillar != "all" and args.pillar not in pillars:
        print(f"unknown pillar {args.pillar!r}; choose from {', '.join(pillars)} or all", file=sys.stderr)
        return 2
    equivalents = load_equivalents(Path(args.equivalents))
    if args.list:
        sel = _select(project, args, equivalents)
        if isinstance(sel, int):
            return sel
        _sites, chosen, excluded = sel
        for s in chosen:
            print(f"{s.id}  {s.describe()}  | {s.mutated_line.strip()}")
        for s, how, r in excluded:
            print(f"{s.id}  excluded ({how}: {r})  {s.describe()}")
        return 0

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.jsonl"
    previous: dict[str, Mutant] = {}
    if args.resume and results.exists():
        for rec in _read_verdicts(results):
            previous[rec["id"]] = Mutant(Site(**{k: v for k, v in rec["site"].items()
                                                 if k not in ("id", "mutated_line")}),
                                         rec["pillar"], rec["claims"], rec["tests"])
    elif results.exists():
        results.unlink()

    do_claims, do_tests = not args.tests_only, not args.claims_only
    work = Path(tempfile.mkdtemp(prefix="aligntheory-mutate-"))
    if args.keep:
        print(f"work directory (kept): {work}", flush=True)
    if args.no_jax_cache:
        args.jax_cache = None
    elif args.jax_cache is None:
        args.jax_cache = str(work / "jax-cache")
    t_start = time.perf_counter()
    try:
        # everything below reads the snapshot, never the working tree (which others may be editing)
        snapshot = make_snapshot(project, work / "snapshot", rev=args.rev)
        project = dataclasses.replace(project, root=snapshot)
        sel = _select(project, args, equivalents)
        if isinstance(sel, int):
            return sel
        sites, chosen, excluded = sel
        previous = {k: v for k, v in previous.items() if k in {s.id for s in chosen}}
        mut_pillars = sorted({project.pillar_of(s.path) for s in chosen})
        claim_pillars = sorted({cp for s in chosen for cp in project.claims_for(s.path)})
        baseline, deselect, failures = {}, {}, {}
        c_secs = t_secs = 0.0
        base_file = out / "baseline.json"
        if args.resume and base_file.exists():
            saved = json.loads(base_file.read_text())
            baseline, deselect, failures = saved["claims"], saved["deselect"], saved["failures"]
            c_secs, t_secs = saved["claims_seconds"], saved["tests_seconds"]
        else:
            if do_claims and claim_pillars:
                print(f"baseline: claims of {', '.join(claim_pillars)} ...", flush=True)
                baseline, c_secs = claims_baseline(project, snapshot, claim_pillars, work,
                                                   max(args.timeout, 1800.0), not args.no_ci_env, args.jax_cache)
            if do_tests and not args.no_test_baseline:
                for p in mut_pillars:
                    mods = sorted({s.path for s in chosen if project.pillar_of(s.path) == p})
                    print(f"baseline: tests of {p} ({len(mods)} modules) ...", flush=True)
                    deselect[p], failures[p], secs = tests_baseline(project, snapshot, p, mods, work,
                                                                    max(args.timeout, 3600.0), not args.no_ci_env,
                                                                    args.jax_cache)
                    t_secs = max(t_secs, secs)
            base_file.write_text(json.dumps({"claims": baseline, "deselect": deselect, "failures": failures,
                                             "claims_seconds": c_secs, "tests_seconds": t_secs}, indent=1))
        settings = Settings(project, snapshot, work, baseline, deselect,
                            claims_timeout=max(args.timeout, 3.0 * c_secs), tests_timeout=max(args.timeout, 3.0 * t_secs),
                            do_claims=do_claims, do_tests=do_tests, tests_after_claims_only=not args.tests_only,
                            ci=not args.no_ci_env, jax_cache=args.jax_cache, keep=args.keep,
                            confirm=not args.no_confirm)
        todo = [s for s in chosen if s.id not in previous]
        print(f"{len(chosen)} mutants ({len(previous)} already done), {len(excluded)} equivalents skipped; "
              f"timeouts {settings.claims_timeout:.0f} s / {settings.tests_timeout:.0f} s", flush=True)

        def progress(i: int, n: int, m: Mutant) -> None:
            print(f"[{i}/{n}] {m.outcome:13s} {m.site.describe()}", flush=True)

        ran = run_mutants(todo, settings, jobs=args.jobs, results=results, progress=progress)
    except BaseException:
        _kill_all()
        raise
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    by_id = {m.site.id: m for m in [*previous.values(), *ran]}
    mutants = [by_id[s.id] for s in chosen if s.id in by_id]
    excluded_p = [(_WithPillar(s, project.pillar_of(s.path)), how, r) for s, how, r in excluded]
    rows = summarise(mutants, excluded_p, do_claims, do_tests, args.tests_only,
                     dict(Counter(project.pillar_of(s.path) for s in sites)))
    meta = {"command": "python -m tools.mutate " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "snapshot": args.rev or "working tree", "seed": args.seed, "sample": len(chosen), "sites": len(sites),
            "claims_timeout": settings.claims_timeout, "tests_timeout": settings.tests_timeout,
            "claims_baseline": baseline, "tests_baseline_failures": failures, "pillar": args.pillar,
            "flaky_tests": sorted(settings.flaky), "claims_seed": args.claim_seed, "tier": args.tier, "wall_seconds": round(time.perf_counter() - t_start, 1),
            "python": sys.version.split()[0]}
    paths = write_report(out, mutants, excluded_p, meta, rows)
    a = rows.get("all", {})
    figures = []
    if do_claims:
        figures.append(f"claims alone: {_pct(a.get('claims_killed', 0), a.get('mutants', 0))}")
    if do_claims and do_tests:
        figures.append(f"claims + tests + doctests: {_pct(a.get('combined_killed', 0), a.get('mutants', 0))}")
    if args.tests_only:
        figures.append(f"tests + doctests alone: {_pct(a.get('tests_killed', 0), a.get('mutants', 0))}")
    print("; ".join([*figures, f"report: {paths['md']}"]))
    return 0


class _WithPillar:
    """A site seen through its pillar (for the per-pillar count of excluded equivalents)."""

    def __init__(self, site: Site, pillar: str):
        self._site, self.pillar = site, pillar

    def __getattr__(self, name):
        return getattr(self._site, name)


if __name__ == "__main__":
    sys.exit(main())
