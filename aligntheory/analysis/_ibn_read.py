"""Streaming reader of preference records for :func:`aligntheory.analysis.ibn.analyse_preferences`.

Records are read one at a time (JSON Lines, JSON arrays, CSV, Parquet, lists of dicts, DataFrames)
and turned into integer node ids at once: a node is identified by a 16-byte BLAKE2b digest of its
``(prompt, response)`` text, and only a short label is kept, so memory grows with the graph, not
with the text. Each record is classified on its own: an arena battle (``model_a``, ``model_b``,
``winner``), a pairwise record with an explicit ``prompt``, or a TRL record with an implicit prompt
(``chosen`` and ``rejected`` only: the prompt is their shared prefix).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from aligntheory.analysis._arena_io import WINNER_ALIASES, iter_file_records
from aligntheory.errors import InvalidInputError

__all__: list[str] = []

LABEL_CHARS = 120


def iter_records(source: Any) -> Iterator[tuple[Any, str]]:
    """``(record, where)`` pairs; ``where`` is ``records[i]`` (0-based) or ``FILE, line L`` (1-based).

    Files are streamed by the shared reader :func:`~aligntheory.analysis._arena_io.iter_file_records`: JSON Lines
    line by line, JSON arrays element by element, Parquet by record batches,
    CSV row by row.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError("records", "must be an existing file (JSON Lines, JSON array, CSV or Parquet)",
                                    received=str(path))
        yield from iter_file_records(path, argument="records")
        return
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # pandas DataFrame
        for i, rec in enumerate(source.to_dict("records")):
            yield rec, f"records[{i}]"
        return
    if isinstance(source, (Mapping, str, bytes)) or not hasattr(source, "__iter__"):
        raise InvalidInputError("records", "must be a list of dicts, a path or a pandas DataFrame",
                                received=type(source).__name__)
    for i, rec in enumerate(source):
        yield rec, f"records[{i}]"


def _field(where: str, rec: Mapping, name: str) -> Any:
    if name not in rec or rec[name] is None:
        raise InvalidInputError(f"{where}.{name}", "missing field", received=sorted(map(str, rec))[:6])
    return rec[name]


def _is_chat(val: Any) -> bool:
    return isinstance(val, list) and all(isinstance(m, Mapping) for m in val)


def _text(where: str, name: str, val: Any) -> str:
    if isinstance(val, str):
        return val
    if _is_chat(val):  # conversational format
        return json.dumps(val, sort_keys=True, ensure_ascii=False)
    raise InvalidInputError(f"{where}.{name}", "must be a string or a list of chat messages",
                            received=type(val).__name__)


def implicit_prompt(chosen: Any, rejected: Any, where: str = "record") -> tuple[str, str, str]:
    """Split TRL records without a prompt: ``(prompt, chosen, rejected)``.

    Strings: the prompt is the longest common prefix; when the character before the split is a
    space, the split moves one character left so that the space opens both responses (TRL's
    convention). Lists of chat messages: the prompt is the longest common prefix of messages.
    """
    if isinstance(chosen, str) and isinstance(rejected, str):
        # longest common prefix by bisection on slice equality (C-speed comparisons)
        lo, hi = 0, min(len(chosen), len(rejected))
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if chosen[:mid] == rejected[:mid]:
                lo = mid
            else:
                hi = mid - 1
        k, m = lo, min(len(chosen), len(rejected))
        if 0 < k < m and chosen[k - 1] == " ":
            k -= 1
        return chosen[:k], chosen[k:], rejected[k:]
    if _is_chat(chosen) and _is_chat(rejected):
        k = 0
        while k < min(len(chosen), len(rejected)) and chosen[k] == rejected[k]:
            k += 1
        dump = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)  # noqa: E731
        return dump(chosen[:k]), dump(chosen[k:]), dump(rejected[k:])
    bad = "chosen" if not (isinstance(chosen, str) or _is_chat(chosen)) else "rejected"
    raise InvalidInputError(f"{where}.{bad}", "chosen and rejected must both be strings or both lists of chat "
                            "messages", received=type(chosen if bad == "chosen" else rejected).__name__)


def _digest(text: str) -> bytes:
    """16-byte BLAKE2b digest of a text (node keys: prompt digest + response digest, fixed width)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True)
class ParsedRecords:
    kind: str  # "pairwise" or "arena"
    labels: list[str]
    node_prompt: np.ndarray
    n_prompts: int
    wl: np.ndarray  # (m, 2) winner, loser
    wt: np.ndarray  # (m,) weights (0.5 for each half of a tie)
    dropped: int
    n_records: int
    n_implicit: int


def parse_records(source: Any, *, progress: Any = None, every: int = 50000) -> ParsedRecords:
    """Stream ``source`` into node ids and weighted ``(winner, loser)`` rows."""
    node_id: dict[bytes, int] = {}
    prompt_id: dict[bytes, int] = {}
    node_prompt = array("q")
    labels: list[str] = []
    win, lose = array("q"), array("q")
    wt = array("d")
    kind = None
    dropped = n_rec = n_impl = 0

    def node(pkey: bytes, prompt_label: str, resp: str, label_prefix: bool) -> int:
        key = _digest(resp) if not label_prefix else pkey + _digest(resp)
        k = node_id.get(key)
        if k is None:
            k = node_id[key] = len(node_id)
            pid = prompt_id.setdefault(pkey, len(prompt_id))
            node_prompt.append(pid)
            text = resp if len(resp) <= LABEL_CHARS else resp[:LABEL_CHARS - 1] + "\u2026"
            labels.append(f"[{pid}] {text}" if label_prefix else text)
        return k

    for rec, where in iter_records(source):
        n_rec += 1
        if progress is not None and n_rec % every == 0:
            progress(n_rec)
        if not isinstance(rec, Mapping):
            raise InvalidInputError(where, "must be a dict (a JSON object)", received=type(rec).__name__)
        rk = "arena" if ("model_a" in rec or "model_b" in rec or "winner" in rec) else "pairwise"
        if kind is None:
            kind = rk
        elif rk != kind:
            raise InvalidInputError(where, f"is an {rk} record in data of {kind} records (decided by the first record)",
                                    received=sorted(map(str, rec))[:6])
        if rk == "pairwise":
            c_raw, r_raw = _field(where, rec, "chosen"), _field(where, rec, "rejected")
            if "prompt" in rec and rec["prompt"] is not None:
                p = _text(where, "prompt", rec["prompt"])
                c, r = _text(where, "chosen", c_raw), _text(where, "rejected", r_raw)
            else:
                p, c, r = implicit_prompt(c_raw, r_raw, where)
                n_impl += 1
            pkey = _digest(p)
            if c == r:
                dropped += 1  # a self-comparison carries no information
                node(pkey, p, c, True)
                continue
            win.append(node(pkey, p, c, True))
            lose.append(node(pkey, p, r, True))
            wt.append(1.0)
        else:
            a = _text(where, "model_a", _field(where, rec, "model_a"))
            b = _text(where, "model_b", _field(where, rec, "model_b"))
            w = _field(where, rec, "winner")
            code = WINNER_ALIASES.get(w.strip().lower()) if isinstance(w, str) else None
            if code is None:
                raise InvalidInputError(f"{where}.winner", "must be one of 'model_a', 'model_b', 'tie', 'tie (bothbad)' "
                                        "(or an alias: 'a', 'b', 'draw', 'tie_bothbad', 'both_bad')", received=w)
            if a == b:
                dropped += 1
                node(b"", "", a, False)
                continue
            ia, ib = node(b"", "", a, False), node(b"", "", b, False)
            if code == 0:
                win.append(ia), lose.append(ib), wt.append(1.0)
            elif code == 1:
                win.append(ib), lose.append(ia), wt.append(1.0)
            else:
                win.extend((ia, ib)), lose.extend((ib, ia)), wt.extend((0.5, 0.5))
    if n_rec == 0:
        raise InvalidInputError("records", "must contain at least one record", received=0)
    wl = np.stack([np.frombuffer(win, np.int64), np.frombuffer(lose, np.int64)], 1) if len(win) else \
        np.zeros((0, 2), np.int64)
    return ParsedRecords(kind or "pairwise", labels, np.frombuffer(node_prompt, np.int64).copy(), len(prompt_id),
                         wl, np.frombuffer(wt, np.float64).copy(), dropped, n_rec, n_impl)
