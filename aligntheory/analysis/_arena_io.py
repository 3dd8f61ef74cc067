"""Reading pairwise battles (``model_a``, ``model_b``, ``winner``) from every input form.

One entry point, :func:`read_battles`, turns a pandas DataFrame, a mapping of column name to
array-like, a list of dict records, or a path (JSON Lines, JSON array, CSV, Parquet) into integer
codes: model ids, an outcome code per battle (0: ``model_a`` won, 1: ``model_b`` won, 2: tie), the
model names, and optional covariate and cluster columns. Files are read record by record (only the
needed columns are kept, so memory is bounded by the battles, not the text); a file that is not
UTF-8 text is refused with :class:`~aligntheory.errors.InvalidInputError`, never a
``UnicodeDecodeError``. Errors name the row (0-based for in-memory data: ``battles[2].winner``), the
line (1-based for JSON Lines and CSV files: ``b.jsonl, line 3.winner``) or the element (1-based for a
JSON array file: ``b.json, element 3.winner``) and the offending value.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from aligntheory._optional import require
from aligntheory.errors import InvalidInputError, MissingDependencyError

__all__: list[str] = []

WINNER_ALIASES: dict[str, int] = {
    "model_a": 0, "a": 0,
    "model_b": 1, "b": 1,
    "tie": 2, "tie (bothbad)": 2, "tie_bothbad": 2, "both_bad": 2, "bothbad": 2, "draw": 2,
}
"""Accepted ``winner`` values (after stripping surrounding blanks and lower-casing) and their codes."""


@dataclass(frozen=True)
class Battles:
    """Integer-coded battles. ``outcome``: 0 model_a won, 1 model_b won, 2 tie."""

    a: np.ndarray
    b: np.ndarray
    outcome: np.ndarray
    names: tuple[str, ...]
    covariates: np.ndarray | None  # (m, d) float64
    covariate_names: tuple[str, ...]
    cluster: np.ndarray | None  # (m,) int64 cluster codes
    n_dropped_self: int


def _where(src: str, i: int, line: int | None) -> str:
    return f"{src}, line {line}" if line is not None else f"{src}[{i}]"


def _model_name(v: Any, where: str, col: str) -> str:
    if isinstance(v, str):
        if v == "":
            raise InvalidInputError(f"{where}.{col}", "model name must be a non-empty string", received=v)
        return v
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return str(int(v))
    raise InvalidInputError(f"{where}.{col}", "model name must be a string (or an integer id)", received=repr(v)[:80])


def _winner_code(v: Any, where: str) -> int:
    if isinstance(v, str):
        code = WINNER_ALIASES.get(v.strip().lower())
        if code is not None:
            return code
    raise InvalidInputError(f"{where}.winner",
                            "must be one of 'model_a', 'model_b', 'tie', 'tie (bothbad)' (aliases: 'a', 'b', "
                            "'draw', 'tie_bothbad', 'both_bad', 'bothbad'; case and surrounding blanks ignored)",
                            received=repr(v)[:80])


def _float_cell(v: Any, where: str, col: str) -> float:
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{where}.{col}", "covariate must be a finite number", received=repr(v)[:80]) from None
    if not math.isfinite(x):
        raise InvalidInputError(f"{where}.{col}", "covariate must be a finite number", received=repr(v)[:80])
    return x


def _cluster_key(v: Any, where: str, col: str) -> Any:
    if v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)):
        raise InvalidInputError(f"{where}.{col}", "cluster id is missing", received=repr(v))
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    # numbers stay numbers, so ids that compare equal (1, 1.0, np.int64(1)) are one cluster, as pd.factorize
    # groups a column
    return v if isinstance(v, (str, int, float, np.integer, np.floating)) else str(v)


class _Collector:
    """Accumulates battles record by record (names interned in dicts: memory O(models + battles))."""

    def __init__(self, covariates: Sequence[str], cluster: str | None):
        self.cov_names = tuple(covariates)
        self.cluster_col = cluster
        self.ids: dict[str, int] = {}
        self.cids: dict[Any, int] = {}
        self.a: list[int] = []
        self.b: list[int] = []
        self.o: list[int] = []
        self.x: list[list[float]] = []
        self.c: list[int] = []
        self.dropped = 0

    def add(self, rec: Any, where: str) -> None:
        if not isinstance(rec, Mapping):
            raise InvalidInputError(where, "must be a record (a JSON object / dict)", received=type(rec).__name__)
        for col in ("model_a", "model_b", "winner", *self.cov_names, *((self.cluster_col,) if self.cluster_col else ())):
            if col not in rec:
                raise InvalidInputError(f"{where}.{col}", "missing field", received=sorted(map(str, rec))[:8])
        na = _model_name(rec["model_a"], where, "model_a")
        nb = _model_name(rec["model_b"], where, "model_b")
        o = _winner_code(rec["winner"], where)
        xs = [_float_cell(rec[k], where, k) for k in self.cov_names]
        ck = _cluster_key(rec[self.cluster_col], where, self.cluster_col) if self.cluster_col else None
        if na == nb:
            self.dropped += 1
            return
        self.a.append(self.ids.setdefault(na, len(self.ids)))
        self.b.append(self.ids.setdefault(nb, len(self.ids)))
        self.o.append(o)
        if self.cov_names:
            self.x.append(xs)
        if self.cluster_col:
            self.c.append(self.cids.setdefault(ck, len(self.cids)))

    def done(self) -> Battles:
        names = [""] * len(self.ids)
        for k, v in self.ids.items():
            names[v] = k
        m = len(self.a)
        return Battles(np.asarray(self.a, np.int64), np.asarray(self.b, np.int64), np.asarray(self.o, np.int8),
                       tuple(names),
                       np.asarray(self.x, np.float64).reshape(m, len(self.cov_names)) if self.cov_names else None,
                       self.cov_names, np.asarray(self.c, np.int64) if self.cluster_col else None, self.dropped)


# ----------------------------------------------------------------------------------------------
# files


def _open_text(path: Path, argument: str = "battles") -> io.TextIOWrapper:
    """UTF-8 text stream that turns decoding failures into InvalidInputError (checked up front)."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head:
        raise InvalidInputError(argument, "the file is binary, not UTF-8 text (NUL bytes found)", received=str(path))
    return path.open("r", encoding="utf-8", errors="strict", newline="")


def _decode_guard(path: Path, it: Iterable[tuple[int, str]], argument: str = "battles") -> Iterator[tuple[int, str]]:
    try:
        yield from it
    except UnicodeDecodeError as exc:
        raise InvalidInputError(argument, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start} of a "
                                "chunk)", received=str(path)) from None


_CHUNK = 1 << 20  # characters read at a time by the streaming JSON-array reader
_WS = re.compile(r"[ \t\n\r]*")


def _first_char(path: Path, argument: str) -> str:
    with _open_text(path, argument) as fh:
        try:
            while True:
                ch = fh.read(1)
                if ch == "" or not ch.isspace():
                    return ch
        except UnicodeDecodeError as exc:
            raise InvalidInputError(argument, f"the file is not UTF-8 text ({exc.reason})", received=str(path)) from None


def _iter_json_array(path: Path, argument: str) -> Iterator[tuple[Any, str]]:
    """Elements of a JSON array file, decoded one at a time from a sliding buffer (memory: one chunk plus
    one element, never the whole text or every decoded element at once, as ``json.load`` would)."""
    dec = json.JSONDecoder()
    with _open_text(path, argument) as fh:
        buf, pos, eof, size = "", 0, False, _CHUNK

        def more() -> None:
            nonlocal buf, pos, eof
            try:
                chunk = fh.read(size)
            except UnicodeDecodeError as exc:
                raise InvalidInputError(argument, f"the file is not UTF-8 text ({exc.reason})",
                                        received=str(path)) from None
            eof = chunk == ""
            buf, pos = buf[pos:] + chunk, 0

        def skip_ws() -> None:
            nonlocal pos
            while True:
                pos = _WS.match(buf, pos).end()
                if pos < len(buf) or eof:
                    return
                more()

        def bad(where: str, what: str) -> InvalidInputError:
            return InvalidInputError(where, f"invalid JSON array ({what})", received=buf[pos:pos + 60])

        more()
        skip_ws()
        if buf[pos:pos + 1] != "[":
            raise bad(path.name, "must start with '['")
        pos += 1
        skip_ws()
        closed = buf[pos:pos + 1] == "]"
        if closed:
            pos += 1
        i = 0
        while not closed:
            skip_ws()
            while True:
                try:
                    rec, end = dec.raw_decode(buf, pos)
                except json.JSONDecodeError as exc:
                    if eof:
                        raise bad(f"{path.name}, element {i + 1}", exc.msg) from None
                    size = max(size, 2 * (len(buf) - pos))  # an element longer than a chunk: read more at once
                    more()
                    continue
                if end == len(buf) and not eof:  # a number may continue in the next chunk
                    more()
                    continue
                break
            pos = end
            i += 1
            yield rec, f"{path.name}, element {i}"
            skip_ws()
            c = buf[pos:pos + 1]
            if c == ",":
                pos += 1
            elif c == "]":
                pos += 1
                closed = True
            else:
                raise bad(f"{path.name}, element {i + 1}", "expected ',' or ']'" if c else "unterminated array")
        skip_ws()
        if pos < len(buf):
            raise bad(path.name, "data after the closing ']'")


def iter_file_records(path: Path, *, argument: str = "battles") -> Iterator[tuple[Any, str]]:
    """``(record, where)`` for every record of a JSON Lines, JSON array, CSV or Parquet file, streamed.

    Memory stays bounded by one chunk plus one record: JSON arrays are decoded element by element
    (:func:`_iter_json_array`), Parquet by record batches. Every failure of the file (not UTF-8,
    malformed JSON/CSV/Parquet, JSON nested past Python's recursion limit) is an
    :class:`~aligntheory.errors.InvalidInputError` naming ``argument`` (or the record's line).
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _iter_parquet(path, argument)
        return
    try:
        if suffix != ".csv" and _first_char(path, argument) == "[":
            yield from _iter_json_array(path, argument)
            return
        yield from _iter_lines_or_csv(path, argument, suffix)
    except RecursionError:  # json's decoder on deeply nested arrays/objects
        raise InvalidInputError(argument, "JSON nested too deeply to be a record", received=str(path)) from None


def _iter_parquet(path: Path, argument: str) -> Iterator[tuple[Any, str]]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", extra="parquet") from None
    i = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
            for rec in batch.to_pylist():
                i += 1
                yield rec, f"{path.name}, row {i}"
    except (pa.ArrowException, OSError) as exc:  # pyarrow's errors are foreign: name the argument
        raise InvalidInputError(argument, f"not a readable Parquet file ({type(exc).__name__}: {exc})"[:300],
                                received=str(path)) from None


def _iter_lines_or_csv(path: Path, argument: str, suffix: str) -> Iterator[tuple[Any, str]]:
    fh = _open_text(path, argument)
    with fh:
        if suffix == ".csv":
            reader = csv.DictReader(fh)
            try:
                for rec in reader:
                    yield rec, f"{path.name}, line {reader.line_num}"
            except UnicodeDecodeError as exc:
                raise InvalidInputError(argument, f"the file is not UTF-8 text ({exc.reason})",
                                        received=str(path)) from None
            except csv.Error as exc:
                raise InvalidInputError(argument, f"malformed CSV ({exc})", received=str(path)) from None
            return
        for lineno, line in _decode_guard(path, enumerate(fh, start=1), argument):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{path.name}, line {lineno}", f"invalid JSON ({exc.msg})",
                                        received=line.strip()[:80]) from None
            yield rec, f"{path.name}, line {lineno}"


# ----------------------------------------------------------------------------------------------
# in-memory columns (vectorised)


def _columns_fast(cols: Mapping[str, Any], covariates: Sequence[str], cluster: str | None, m: int) -> Battles:
    pd = require("pandas")

    def col(name: str) -> np.ndarray:
        arr = np.asarray(cols[name], dtype=object) if not hasattr(cols[name], "to_numpy") else cols[name].to_numpy()
        if arr.ndim != 1 or len(arr) != m:
            raise InvalidInputError(name, f"must be a 1-d column of length {m}", received=f"shape {np.shape(arr)}")
        return arr

    def factorize(name: str) -> tuple[np.ndarray, np.ndarray, Any]:
        v = cols[name]
        if isinstance(getattr(v, "dtype", None), pd.CategoricalDtype):  # codes are already there
            codes = np.asarray(v.cat.codes if hasattr(v, "cat") else v.codes, dtype=np.int64)
            cats = np.asarray(v.cat.categories if hasattr(v, "cat") else v.categories, dtype=object)
            if len(codes) != m:
                raise InvalidInputError(name, f"must be a 1-d column of length {m}", received=f"length {len(codes)}")
            used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0  # unused categories are no data
            if not used.all():
                new = np.cumsum(used) - 1
                codes = np.where(codes >= 0, new[np.maximum(codes, 0)], -1)
                cats = cats[used]
            return codes, cats, _Lazy(v)
        arr = col(name)
        codes, uniq = pd.factorize(arr, use_na_sentinel=True)
        return codes, uniq, arr

    codes_a, uniq_a, ca = factorize("model_a")
    codes_b, uniq_b, cb = factorize("model_b")
    for name, codes, arr in (("model_a", codes_a, ca), ("model_b", codes_b, cb)):
        if (codes < 0).any():
            i = int(np.argmax(codes < 0))
            raise InvalidInputError(f"battles[{i}].{name}", "model name must be a string (or an integer id)",
                                    received=repr(arr[i]))

    def names_of(uniq: Any, codes: np.ndarray, name: str) -> list[str]:
        out = []
        for k, v in enumerate(uniq):
            if isinstance(v, str) and v:
                out.append(v)
            else:  # locate the row only when reporting an error (or converting an integer id)
                out.append(_model_name(v, f"battles[{int(np.argmax(codes == k))}]", name))
        return out

    names_a = names_of(uniq_a, codes_a, "model_a")
    names_b = names_of(uniq_b, codes_b, "model_b")
    ids: dict[str, int] = {}
    ma = np.array([ids.setdefault(n, len(ids)) for n in names_a], np.int64)
    mb = np.array([ids.setdefault(n, len(ids)) for n in names_b], np.int64)
    a, b = ma[codes_a], mb[codes_b]
    codes_w, uniq_w, w = factorize("winner")
    if (codes_w < 0).any():
        i = int(np.argmax(codes_w < 0))
        _winner_code(w[i], f"battles[{i}]")
    wmap = np.array([WINNER_ALIASES[v.strip().lower()] if isinstance(v, str) and v.strip().lower() in WINNER_ALIASES
                     else _winner_code(v, f"battles[{int(np.argmax(codes_w == k))}]") for k, v in enumerate(uniq_w)],
                    np.int8)
    o = wmap[codes_w] if len(wmap) else np.zeros(0, np.int8)
    X = None
    if covariates:
        X = np.empty((m, len(covariates)))
        for k, name in enumerate(covariates):
            arr = col(name)
            try:
                X[:, k] = arr.astype(np.float64)
            except (TypeError, ValueError):
                for i, v in enumerate(arr):
                    _float_cell(v, f"battles[{i}]", name)
            bad = ~np.isfinite(X[:, k])
            if bad.any():
                i = int(np.argmax(bad))
                raise InvalidInputError(f"battles[{i}].{name}", "covariate must be a finite number",
                                        received=repr(arr[i]))
    C = None
    if cluster is not None:
        arr = col(cluster)
        C, _ = pd.factorize(arr, use_na_sentinel=True)
        if (C < 0).any():
            i = int(np.argmax(C < 0))
            raise InvalidInputError(f"battles[{i}].{cluster}", "cluster id is missing", received=repr(arr[i]))
        C = C.astype(np.int64)
    self_ = a == b
    names = [""] * len(ids)
    for k, v in ids.items():
        names[v] = k
    if self_.any():
        keep = ~self_
        a, b, o = a[keep], b[keep], o[keep]
        X = None if X is None else X[keep]
        C = None if C is None else C[keep]
    return Battles(a, b, o.astype(np.int8), tuple(names), X, tuple(covariates), C, int(self_.sum()))


class _Lazy:
    """Row access to a column only when an error message needs a value."""

    def __init__(self, v: Any):
        self.v = v

    def __getitem__(self, i: int) -> Any:
        return np.asarray(self.v, dtype=object)[i]


def read_battles(battles: Any, *, covariates: Sequence[str] = (), cluster: str | None = None) -> Battles:
    """Integer-coded battles from a DataFrame, a mapping of columns, a list of records or a path."""
    covariates = tuple(covariates)
    for c in covariates:
        if not isinstance(c, str):
            raise InvalidInputError("covariates", "must be a list of column names", received=repr(c))
    if cluster is not None and not isinstance(cluster, str):
        raise InvalidInputError("cluster", "must be a column name", received=repr(cluster))
    needed = ("model_a", "model_b", "winner", *covariates, *((cluster,) if cluster else ()))
    if isinstance(battles, (str, Path)):
        path = Path(battles)
        if not path.is_file():
            raise InvalidInputError("battles", "must be an existing file (JSON Lines, JSON array, CSV or Parquet)",
                                    received=str(path))
        col = _Collector(covariates, cluster)
        for rec, where in iter_file_records(path):
            col.add(rec, where)
        out = col.done()
    elif hasattr(battles, "columns") and hasattr(battles, "to_dict"):  # DataFrame
        missing = [c for c in needed if c not in battles.columns]
        if missing:
            raise InvalidInputError("battles", f"missing column(s) {missing}", received=list(map(str, battles.columns)))
        out = _columns_fast({c: battles[c] for c in needed}, covariates, cluster, len(battles))
    elif isinstance(battles, Mapping):
        missing = [c for c in needed if c not in battles]
        if missing:
            raise InvalidInputError("battles", f"missing column(s) {missing}", received=sorted(map(str, battles))[:8])
        try:
            lengths = {c: len(battles[c]) for c in needed}
        except TypeError:
            raise InvalidInputError("battles", "every column must be array-like", received={
                c: type(battles[c]).__name__ for c in needed}) from None
        if len(set(lengths.values())) != 1:
            raise InvalidInputError("battles", "columns must have equal lengths", received=lengths)
        out = _columns_fast(battles, covariates, cluster, next(iter(lengths.values())))
    elif isinstance(battles, (list, tuple)):
        col = _Collector(covariates, cluster)
        for i, rec in enumerate(battles):
            col.add(rec, f"battles[{i}]")
        out = col.done()
    else:
        raise InvalidInputError("battles", "must be a pandas DataFrame, a mapping of columns, a list of records or "
                                "a path", received=type(battles).__name__)
    if len(out.a) == 0:
        raise InvalidInputError("battles", "no battle between two different models", received=0)
    # canonical model ids: sorted names, so every input form gives the same codes (and bootstrap)
    order = sorted(range(len(out.names)), key=out.names.__getitem__)
    remap = np.empty(len(order), np.int64)
    remap[order] = np.arange(len(order))
    return Battles(remap[out.a], remap[out.b], out.outcome, tuple(out.names[k] for k in order), out.covariates,
                   out.covariate_names, out.cluster, out.n_dropped_self)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet: a leading ``= + - @`` (or tab, CR) gets a ``'`` prefix.

    Numbers are written by the callers as numbers and never pass through here.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text
