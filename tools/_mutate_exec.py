"""Running mutants in isolated copies: snapshot, subprocesses with timeouts, the claims phase and
the tests phase of one mutant, and the unmutated claims baseline (used by :mod:`tools.mutate`)."""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tools._mutate_project import Project
from tools._mutate_runner import kills
from tools._mutate_sites import Site, apply_site

__all__ = ["Mutant", "Settings", "claims_baseline", "make_snapshot", "run_mutants", "run_one"]

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


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def group_rss(pgid: int) -> int:
    """Resident bytes of the processes in process group ``pgid`` (Linux ``/proc``; 0 elsewhere)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ..., rss is the 22nd
            total += int(fields[21]) * _PAGE
    return total


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float, log: Path,
         mem_limit: float | None = None) -> tuple[str, int | None, float]:
    """Run ``argv`` in its own session; on timeout kill its process group. Returns (state, rc, s).

    ``mem_limit`` (bytes): the group is also killed, with state ``"memory"``, when its resident
    memory passes it (a mutant that disables a size cap can otherwise take the machine's memory
    and get the whole run killed). The group is polled every half second.
    """
    t0 = time.perf_counter()
    with open(log, "wb") as fh:
        if _STOP.is_set():
            raise KeyboardInterrupt("run interrupted")
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        with _LIVE_LOCK:
            _LIVE.add(proc)
        try:
            while True:
                left = timeout - (time.perf_counter() - t0)
                try:
                    rc = proc.wait(timeout=max(0.0, min(0.5, left)) if mem_limit else max(0.0, left))
                    break
                except subprocess.TimeoutExpired:
                    if time.perf_counter() - t0 >= timeout:
                        _killpg(proc)
                        return "timeout", None, time.perf_counter() - t0
                    if mem_limit and group_rss(proc.pid) > mem_limit:
                        _killpg(proc)
                        return "memory", None, time.perf_counter() - t0
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


# a node id may hold spaces inside its parametrize brackets ("test_x[histogram m=2]"); before session 15 the id was
# cut at the first space, so the confirmation run could not find the test, and a real kill was recorded as flaky and
# the test deselected for the rest of the run
_FAILED = re.compile(r"^(FAILED|ERROR) ([^\s\[]+(?:\[[^\n]*?\])?)(?= - |\s*$)", re.M)


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
    claims_timeout: float  # the floor; a mutant's timeout is also at least 3x its claims' baseline seconds
    tests_timeout: float
    mem_limit: float | None = 8 * 2**30  # bytes of resident memory per mutant's process group
    do_claims: bool = True
    do_tests: bool = True
    tests_after_claims_only: bool = True
    ci: bool = True
    jax_cache: str | None = None
    keep: bool = False
    confirm: bool = True
    trace: dict[str, set[str]] = field(default_factory=dict)  # claim id -> functions it ran (baseline)
    sources: dict[str, str] = field(default_factory=dict)  # path -> unmutated source
    flaky: set[str] = field(default_factory=set)
    confirmed: set[str] = field(default_factory=set)  # killing tests seen passing on the unmutated snapshot
    lock: threading.Lock = field(default_factory=threading.Lock)




def claim_ids(s: Settings, site: Site) -> list[str]:
    """The claims that run the mutated code (see :meth:`Project.claims_for_site`), fastest first."""
    ids = [c for c in s.project.claims_for_site(site, s.trace, s.sources) if c in s.claims_baseline]
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
            m.claims = _claims_phase(site, tree, env, s)
        if s.do_tests and not (s.tests_after_claims_only and s.do_claims and m.killed_by_claims):
            m.tests = _tests_phase(site, tree, env, s)
    finally:
        if not s.keep:
            shutil.rmtree(tree, ignore_errors=True)
    return m


def _claims_phase(site: Site, tree: Path, env: dict[str, str], s: Settings) -> dict:
    ids = claim_ids(s, site)
    if not ids:
        return {"state": "survived", "why": "no claim runs this code", "claims_run": 0, "seconds": 0.0}
    base = tree / ".mutate-baseline.json"
    base.write_text(json.dumps({c: s.claims_baseline[c]["verdict"] for c in ids}))
    out, log = tree / ".mutate-verdicts.jsonl", tree / ".mutate-claims.log"
    timeout = max(s.claims_timeout, 3.0 * sum(s.claims_baseline[c].get("seconds", 0.0) for c in ids) + 60.0)
    state, rc, secs = _run(s.project.argv_claims(ids, out, base), tree, env, timeout, log, s.mem_limit)
    recs = _read_verdicts(out)
    killer = next((r for r in recs if kills(r["verdict"], s.claims_baseline.get(r["id"], {}).get("verdict"))), None)
    res = {"seconds": round(secs, 2), "claims_run": len(recs), "claims_selected": len(ids)}
    if killer is not None:
        return {**res, "state": "killed", "by": killer["id"],
                "why": f"{s.claims_baseline[killer['id']]['verdict']} -> {killer['verdict']}: "
                       f"{killer.get('details', '')[:300]}"}
    if state in ("timeout", "memory"):
        why = (f"no verdict change within {timeout:.0f} s" if state == "timeout"
               else f"resident memory passed {s.mem_limit / 2**30:.1f} GiB with no verdict change")
        return {**res, "state": "timeout", "why": why, "last": recs[-1]["id"] if recs else None}
    if rc != 0:
        return {**res, "state": "crash", "why": f"claims runner exited {rc}", "log": _tail(log, 800)}
    return {**res, "state": "survived"}


def _tests_phase(site: Site, tree: Path, env: dict[str, str], s: Settings) -> dict:
    """``pytest -x`` on the mutated module's doctests and the tests that import it; a kill is
    credited only when the killing test passes without the mutation (re-run on the snapshot),
    otherwise the test is recorded as flaky (or broken), deselected for the rest of the run, and
    the phase is run again (at most three times)."""
    tests = s.project.tests_for(site.path)
    flaky_here: list[str] = []
    res: dict = {}
    for _attempt in range(3):
        with s.lock:
            flaky = sorted(s.flaky)
        skip = [a for f in flaky for a in ("--deselect", f)]
        argv = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rfE", f"--rootdir={tree}",
                "--doctest-modules", site.path, *tests, *skip]
        log = tree / ".mutate-tests.log"
        state, rc, secs = _run(argv, tree, env, s.tests_timeout, log, s.mem_limit)
        text = _tail(log, 20000)
        res = {"seconds": round(secs, 2), "files": len(tests) + 1}
        if flaky_here:
            res["flaky"] = flaky_here
        if state == "timeout":
            return {**res, "state": "timeout", "why": f"pytest ran past {s.tests_timeout:.0f} s"}
        if state == "memory":
            return {**res, "state": "timeout", "why": f"pytest passed {s.mem_limit / 2**30:.1f} GiB of resident memory"}
        if rc == 3:
            return {**res, "state": "crash", "why": "pytest internal error", "log": text[-800:]}
        if rc in (0, 5):
            return {**res, "state": "survived"}
        if rc not in (1, 2):
            return {**res, "state": "error", "why": f"pytest exit {rc}", "log": text[-800:]}
        by = _first_failure(text)
        # a file-level failure (collection error) is confirmed too: an error that the unmutated snapshot
        # also raises is no kill
        if by is None or not s.confirm:
            return {**res, "state": "killed", "by": by or f"pytest exit {rc}"}
        with s.lock:
            known_good = by in s.confirmed
        if known_good:  # passed on the unmutated snapshot before: no need to run it again
            return {**res, "state": "killed", "by": by}
        clog = tree / ".mutate-confirm.log"
        cstate, crc, _ = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--rootdir={s.snapshot}",
                               "--doctest-modules", by], s.snapshot, _env(s.snapshot, s.ci, s.jax_cache),
                              s.tests_timeout, clog, s.mem_limit)
        if cstate == "done" and crc == 0:
            with s.lock:
                s.confirmed.add(by)
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


def claims_baseline(project: Project, snapshot: Path, work: Path, timeout: float, ci: bool,
                    jax_cache: str | None) -> tuple[dict[str, dict], dict[str, set[str]], float]:
    """Verdicts of every claim on the unmutated snapshot, with the functions each claim ran."""
    out, log, trace = work / "baseline-verdicts.jsonl", work / "baseline-claims.log", work / "baseline-trace.json"
    for f in (out, trace):
        if f.exists():
            f.unlink()
    env = _env(snapshot, ci, jax_cache)
    # numba-compiled functions run no Python frames, so the tracer would never see a claim run them and
    # no claim could be credited for their mutants: the traced baseline runs them as plain Python
    env["NUMBA_DISABLE_JIT"] = "1"
    state, rc, secs = _run(project.argv_claims([], out, None, trace), snapshot, env, timeout, log)
    if state != "done" or rc != 0 or not trace.exists():
        raise RuntimeError(f"the claims baseline did not complete ({state}, exit {rc}); log {log}:\n{_tail(log)}")
    verdicts = {r["id"]: {"verdict": r["verdict"], "seconds": r.get("seconds", 0.0)} for r in _read_verdicts(out)}
    return verdicts, {k: set(v) for k, v in json.loads(trace.read_text()).items()}, secs
