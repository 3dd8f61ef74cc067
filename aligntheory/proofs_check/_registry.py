"""The claims registry: :func:`claim`, :class:`Source`, :class:`Context`, :class:`Evidence`.

A claim is a function ``check(ctx: Context) -> Evidence`` registered with its statement, its
source, its provenance tag, its kind, its tolerance (fixed here, before any run) and its RICE and
alignment-cycle tags (spec ``progress_and_safety.md`` Part C). Running a claim never raises: an
exception inside a check becomes a ``FAIL`` whose traceback is kept in the evidence.
"""

from __future__ import annotations

import contextlib
import enum
import math
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np

from aligntheory._optional import require
from aligntheory.errors import DuplicateClaimError, InvalidInputError
from aligntheory.references import REFERENCES, find_by_arxiv
from aligntheory.results import PROVENANCE

__all__ = [
    "Verdict",
    "Source",
    "Context",
    "Series",
    "Figure",
    "Evidence",
    "Claim",
    "Registry",
    "REGISTRY",
    "claim",
    "PROVENANCE",
    "KINDS",
    "RICE",
    "STAGES",
]

KINDS = ("theorem", "reconstruction", "empirical", "report", "contract")
RICE = ("R", "I", "C", "E")
STAGES = ("forward:feedback", "forward:distribution_shift", "backward:assurance", "backward:governance")
Tier = Literal["quick", "full"]


class Verdict(str, enum.Enum):
    """Outcome of a check.

    * ``PASS`` -- the measurement agrees with the statement within the tolerance fixed in advance;
    * ``FAIL`` -- it does not: for a theorem or an exact statement this is a bug (in the library or
      in the statement), and ``verify`` exits non-zero;
    * ``CONTRADICTED`` -- for ``empirical`` and ``reconstruction`` claims (hypotheses about papers we
      cannot read in full), the measurement decisively contradicts the statement; reported in its
      own colour, never absorbed as inconclusive, and not an exit failure;
    * ``INCONCLUSIVE`` -- not enough evidence at this tier; the evidence says what would decide it.
    """

    PASS = "PASS"
    FAIL = "FAIL"
    CONTRADICTED = "CONTRADICTED"
    INCONCLUSIVE = "INCONCLUSIVE"

    @classmethod
    def of(cls, passed: bool) -> Verdict:
        """``PASS`` if ``passed`` else ``FAIL``.

        Examples
        --------
        >>> Verdict.of(True).value, Verdict.of(False).value
        ('PASS', 'FAIL')
        """
        return cls.PASS if bool(passed) else cls.FAIL


@dataclass(frozen=True)
class Source:
    """Where a claim comes from.

    Parameters
    ----------
    key : str, optional
        Key of :data:`aligntheory.references.REFERENCES`.
    arxiv : str, optional
        arXiv id; resolved to a references entry when one carries it.
    where : str
        Section, theorem or table ("§3.2", "Thm 4.5", "spec ibn.md §4.3 C5").

    Examples
    --------
    >>> Source(arxiv="2402.10184", where="§3").resolve().key
    'qiu2024reward'
    """

    key: str | None = None
    arxiv: str | None = None
    where: str = ""

    def __post_init__(self) -> None:
        if self.key is None and self.arxiv is None:
            raise InvalidInputError("Source", "needs a references key or an arXiv id")
        if self.key is not None and self.key not in REFERENCES:
            raise InvalidInputError("key", "must be a key of aligntheory.references.REFERENCES", received=self.key)

    def resolve(self):
        """The :class:`~aligntheory.references.Reference` entry, or None for an unlisted arXiv id."""
        if self.key is not None:
            return REFERENCES[self.key]
        return find_by_arxiv(self.arxiv) if self.arxiv else None

    def bibtex(self) -> str:
        """BibTeX of the source (a minimal ``@misc`` for an arXiv id not in the table)."""
        ref = self.resolve()
        if ref is not None:
            return ref.bibtex()
        key = "arxiv" + str(self.arxiv).replace(".", "")
        return f"@misc{{{key},\n  eprint = {{{self.arxiv}}},\n  archivePrefix = {{arXiv}}\n}}"

    def label(self) -> str:
        ref = self.resolve()
        name = ref.key if ref is not None else f"arXiv:{self.arxiv}"
        return f"{name} {self.where}".strip()


@dataclass(frozen=True)
class Context:
    """What a check runs under: seed, size tier and device.

    ``device`` is honoured by :meth:`Claim.run`: ``None`` (the default) leaves JAX's default device
    alone (the GPU when one is present and JAX was not restricted by
    :func:`aligntheory.config.configure`); a platform name (``"cpu"``, ``"gpu"``) runs the check under
    ``jax.default_device`` of that platform, so every array a check creates without an explicit
    device lands there. A platform JAX does not have is a usage error (``InvalidInputError``).

    Examples
    --------
    >>> ctx = Context(seed=3, tier="quick")
    >>> ctx.pick(quick=10, full=1000)
    10
    >>> int(ctx.rng().integers(100)) == int(Context(seed=3).rng().integers(100))
    True
    """

    seed: int = 0
    tier: Tier = "quick"
    device: str | None = None

    def __post_init__(self) -> None:
        if self.tier not in ("quick", "full"):
            raise InvalidInputError("tier", "must be 'quick' or 'full'", received=self.tier)
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise InvalidInputError("seed", "must be a non-negative integer", received=self.seed)
        if self.device is not None and (not isinstance(self.device, str) or not self.device):
            raise InvalidInputError("device", "must be None or a JAX platform name ('cpu', 'gpu', ...)",
                                    received=self.device)

    def pick(self, *, quick: Any, full: Any) -> Any:
        """The value for this tier."""
        return quick if self.tier == "quick" else full

    def rng(self, stream: int = 0) -> np.random.Generator:
        """A numpy generator seeded from ``(seed, stream)``."""
        return np.random.default_rng([int(self.seed), int(stream)])

    def key(self, stream: int = 0):
        """A JAX PRNG key from ``(seed, stream)`` (imports JAX lazily: needs the ``jax`` extra)."""
        jax = require("jax")

        return jax.random.fold_in(jax.random.PRNGKey(int(self.seed)), int(stream))

    def device_scope(self) -> contextlib.AbstractContextManager:
        """The context manager under which :meth:`Claim.run` runs a check (see the class docs).

        Examples
        --------
        >>> with Context().device_scope():  # device=None: nothing changes, JAX is not imported
        ...     pass
        """
        if self.device is None:
            return contextlib.nullcontext()
        jax = require("jax")

        try:
            dev = jax.devices(self.device)[0]
        except RuntimeError as exc:
            raise InvalidInputError("device", f"JAX has no {self.device!r} backend here ({exc})",
                                    received=self.device) from None
        return jax.default_device(dev)


class _SeedWatch(Context):
    """The context a check receives from :meth:`Claim.run`: a :class:`Context` that notes whether the check
    read its seed (the attribute, or ``rng()`` / ``key()``, which read it; dataclass machinery such as
    ``replace``, ``repr`` or ``==`` counts as a read). The reads made by the context's own validation and by
    :meth:`Claim.run` when it stamps the evidence are not the check's."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_reads", [])
        super().__post_init__()

    def __getattribute__(self, name: str) -> Any:
        if name == "seed":
            caller = sys._getframe(1).f_code
            if caller not in _NOT_THE_CHECK:
                object.__getattribute__(self, "_reads").append(caller.co_name)
        return object.__getattribute__(self, name)

    @property
    def seed_read(self) -> bool:
        return bool(object.__getattribute__(self, "_reads"))


@dataclass(frozen=True)
class Series:
    """One line (or scatter, or band) of a figure."""

    label: str
    x: Sequence[float]
    y: Sequence[float]
    style: Literal["line", "scatter", "band"] = "line"
    y_hi: Sequence[float] | None = None  # upper edge for style="band" (y is the lower edge)


@dataclass(frozen=True)
class Figure:
    """Predicted-versus-measured data for a plot in the report."""

    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    logx: bool = False
    logy: bool = False


@dataclass(frozen=True)
class Evidence:
    """What a check found.

    Attributes
    ----------
    verdict : Verdict
    predicted, measured : object
        What theory predicts and what was measured (numbers, lists or small dicts).
    tolerance : object
        The tolerance fixed before the run (number, band or description).
    why : str
        Why that tolerance is right (standard error, explicit constant, rounding bound).
    sizes : dict
        Instance sizes used at this tier.
    details : str
        Free text: what was compared, worst case, counterexample description.
    counterexample : dict or None
        The instance (seed, data) that violated the claim, kept for reproduction.
    figures : tuple of Figure
    claim_id, seed, tier, seconds, traceback
        Filled in by the runner.
    seed_used : bool or None
        Filled in by the runner: whether the check read its seed (``ctx.seed``, ``ctx.rng()``,
        ``ctx.key()``). ``False``: the run was a function of the tier and the device alone, so its
        result is the same at every seed (``aligntheory verify --seeds`` runs such a claim once).
    """

    verdict: Verdict
    predicted: Any = None
    measured: Any = None
    tolerance: Any = None
    why: str = ""
    sizes: Mapping[str, Any] = field(default_factory=dict)
    details: str = ""
    counterexample: Mapping[str, Any] | None = None
    figures: tuple[Figure, ...] = ()
    claim_id: str = ""
    seed: int | None = None
    tier: str | None = None
    seconds: float | None = None
    traceback: str | None = None
    seed_used: bool | None = None

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASS

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (numpy values converted, non-finite floats as strings)."""
        d = asdict(self)
        d["verdict"] = self.verdict.value
        return _jsonable(d)


def _jsonable(x: Any) -> Any:
    if isinstance(x, enum.Enum):
        return x.value
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in (sorted(x) if isinstance(x, (set, frozenset)) else x)]
    if hasattr(x, "tolist") and hasattr(x, "dtype"):
        return _jsonable(x.tolist())
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if math.isfinite(v) else repr(v)
    if x is None or isinstance(x, str):
        return x
    return repr(x)


@dataclass(frozen=True)
class Claim:
    """A registered claim (see :func:`claim`)."""

    id: str
    statement: str
    sources: tuple[Source, ...]
    provenance: str
    kind: str
    tolerance: str
    rice: frozenset[str]
    stage: str
    check: Callable[[Context], Evidence]
    aliases: tuple[str, ...] = ()

    @property
    def pillar(self) -> str:
        return self.id.split(".", 1)[0]

    def run(self, ctx: Context) -> Evidence:
        """Run the check under ``ctx`` (its device honoured); an exception in the check is a ``FAIL``
        with its traceback kept. Raises only ``InvalidInputError`` for a device JAX does not have.

        The check receives a copy of ``ctx`` that notes whether it reads the seed: the evidence's
        ``seed_used`` (``False``: the result is the same at every seed). A counterexample whose
        ``"seed"`` is ``None`` gets the run's seed here, so a check need not read it to report it."""
        scope = ctx.device_scope()  # an unavailable device is a usage error, raised before the run
        watched = _SeedWatch(seed=ctx.seed, tier=ctx.tier, device=ctx.device)
        t0 = time.perf_counter()
        try:
            with scope:
                ev = self.check(watched)
            if not isinstance(ev, Evidence):
                raise TypeError(f"check of {self.id} returned {type(ev).__name__}, not Evidence")
        except Exception as exc:  # a failure is data: keep it
            ev = Evidence(
                verdict=Verdict.FAIL,
                details=f"check raised {type(exc).__name__}: {exc}",
                traceback=traceback.format_exc(),
            )
        cx = ev.counterexample
        if isinstance(cx, Mapping) and cx.get("seed", 0) is None:  # a counterexample left for the runner to seed
            ev = replace(ev, counterexample={**cx, "seed": ctx.seed})
        return replace(ev, claim_id=self.id, seed=ctx.seed, tier=ctx.tier, seconds=time.perf_counter() - t0,
                       seed_used=watched.seed_read)

    def bibtex(self) -> str:
        """BibTeX of every source behind the claim, each once."""
        seen: dict[str, str] = {}
        for s in self.sources:
            text = s.bibtex()
            seen.setdefault(text.split("{", 1)[1].split(",", 1)[0], text)
        return "\n\n".join(seen.values())


_NOT_THE_CHECK = {Context.__post_init__.__code__, _SeedWatch.__post_init__.__code__}


class Registry:
    """An ordered collection of claims with unique ids.

    Examples
    --------
    >>> reg = Registry()
    >>> @reg.claim(id="demo.one", statement="1 + 1 = 2", source=Source(key="foster1949average"),
    ...            provenance="M", kind="theorem", tolerance="exact", rice={"R"}, stage="backward:assurance")
    ... def _check(ctx):
    ...     return Evidence(Verdict.of(1 + 1 == 2), predicted=2, measured=1 + 1, tolerance=0)
    >>> reg.get("demo.one").run(Context()).verdict.value
    'PASS'
    """

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}
        self._aliases: dict[str, str] = {}

    def claim(
        self,
        *,
        id: str,
        statement: str,
        source: Source | Sequence[Source],
        provenance: str,
        kind: str,
        tolerance: str,
        rice: Iterable[str],
        stage: str,
        aliases: Iterable[str] = (),
    ) -> Callable[[Callable[[Context], Evidence]], Callable[[Context], Evidence]]:
        """Decorator registering ``check`` under ``id`` (``pillar.short_name``, stable forever)."""
        parts = id.split(".")
        if len(parts) < 2 or not all(p and p.replace("_", "a").isalnum() for p in parts):
            raise InvalidInputError("id", "must look like 'pillar.short_name'", received=id)
        if provenance not in PROVENANCE:
            raise InvalidInputError("provenance", f"must be one of {tuple(PROVENANCE)}", received=provenance)
        if kind not in KINDS:
            raise InvalidInputError("kind", f"must be one of {KINDS}", received=kind)
        rice_set = frozenset(rice)
        if not rice_set or not rice_set <= set(RICE):
            raise InvalidInputError("rice", f"must be a non-empty subset of {RICE}", received=sorted(rice_set))
        if stage not in STAGES:
            raise InvalidInputError("stage", f"must be one of {STAGES}", received=stage)
        if not statement.strip():
            raise InvalidInputError("statement", "must not be empty")
        if not tolerance.strip():
            raise InvalidInputError("tolerance", "must state the tolerance fixed in advance and why")
        sources = (source,) if isinstance(source, Source) else tuple(source)
        if not sources:
            raise InvalidInputError("source", "at least one source is required")

        alias_ids = tuple(aliases)

        def decorate(check: Callable[[Context], Evidence]) -> Callable[[Context], Evidence]:
            for name in (id, *alias_ids):
                if name in self._claims or name in self._aliases:
                    raise DuplicateClaimError(f"claim id {name!r} is already registered")
            self._claims[id] = Claim(id, statement, sources, provenance, kind, tolerance, rice_set, stage, check,
                                     alias_ids)
            for a in alias_ids:
                self._aliases[a] = id
            return check

        return decorate

    def get(self, claim_id: str) -> Claim:
        """The claim registered under ``claim_id`` or under one of its former ids (aliases).

        An unknown id raises ``InvalidInputError`` naming the closest ids (did you mean) and the
        valid ids of its pillar, or the valid pillars when the pillar is unknown too.
        """
        try:
            return self._claims[self._aliases.get(claim_id, claim_id)]
        except KeyError:
            raise InvalidInputError("claim_id", self._unknown_claim_hint(str(claim_id)), received=claim_id) from None

    def _unknown_claim_hint(self, claim_id: str) -> str:
        import difflib

        close = difflib.get_close_matches(claim_id, [*self._claims, *self._aliases], n=3)
        msg = "is not a registered claim"
        if close:
            msg += f"; did you mean {', '.join(close)}?"
        pillar = claim_id.split(".", 1)[0]
        same = sorted(c.id for c in self if c.pillar == pillar)
        if same:
            msg += f" (claims of pillar {pillar!r}: {', '.join(same)})"
        else:
            msg += f" (pillars: {', '.join(self.pillars())}; see 'aligntheory list')"
        return msg

    def pillars(self) -> list[str]:
        """Sorted pillar names of the registered claims."""
        return sorted({c.pillar for c in self})

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims or claim_id in self._aliases

    def select(
        self,
        *,
        pillars: Iterable[str] | None = None,
        ids: Iterable[str] | None = None,
        rice: Iterable[str] | None = None,
        stages: Iterable[str] | None = None,
    ) -> list[Claim]:
        """Claims matching every given filter (a stage filter may be a prefix: ``"backward"``)."""
        out = list(self)
        if pillars:
            ps = set(pillars)
            unknown = ps - {c.pillar for c in self}
            if unknown:
                import difflib

                valid = self.pillars()
                close = sorted({m for u in unknown for m in difflib.get_close_matches(u, valid, n=2)})
                hint = f"did you mean {', '.join(close)}? " if close else ""
                raise InvalidInputError("pillar", f"no registered claim has this pillar ({hint}valid: {', '.join(valid)})",
                                        received=sorted(unknown))
            out = [c for c in out if c.pillar in ps]
        if ids:
            wanted = {self.get(i).id for i in ids}
            out = [c for c in out if c.id in wanted]
        if rice:
            rs = set(rice)
            out = [c for c in out if c.rice & rs]
        if stages:
            st = list(stages)
            out = [c for c in out if any(c.stage == s or c.stage.startswith(s + ":") for s in st)]
        return out


REGISTRY = Registry()
"""The library's registry; :func:`claim` registers into it."""

claim = REGISTRY.claim
