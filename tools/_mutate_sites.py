"""Mutation sites: enumerate single-token mutations of a Python module, apply one, detect trivial equivalents.

A *site* is one token of code together with the one replacement the tool makes there, so a site is
also a mutant. Sites are found from the ``ast`` (which says what a token means: a binary ``-`` or a
unary one, a number or a string) and located in the ``tokenize`` stream (which says exactly where the
token is), so that applying a mutant replaces the characters of exactly one token.

Mutation operators
------------------
========== =====================================================================================
kind       replacement
========== =====================================================================================
arith      ``+`` <-> ``-``, ``*`` <-> ``/``, ``**`` -> ``*``, ``//`` -> ``/``
augassign  ``+=`` <-> ``-=``, ``*=`` <-> ``/=``
compare    ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``
boolop     ``and`` <-> ``or``
unary      unary minus removed (``-x`` -> ``x``)
constant   ``0`` <-> ``1``, ``0.5`` -> ``0.25``, any other number ``c`` -> ``c + 1``
bool       ``True`` <-> ``False``
========== =====================================================================================

Not mutated: docstrings, comments and every string literal; type annotations; decorators (metadata
such as ``@provenance``); ``__all__`` and other module-level dunders; the whole of ``raise``
statements (exception construction is message construction); ``assert`` messages; f-strings;
logging/printing/warning calls (``print``, ``warnings.warn``, ``logger.*``, ``logging.*``,
``str.format``); ``__repr__``/``__str__``/``_repr_*`` methods; ``if TYPE_CHECKING:`` and
``if __name__ == "__main__":`` blocks; arithmetic with a string or a list/tuple/set/dict display as
an operand (formatting, concatenation, repetition: the mutant would only raise ``TypeError``).
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import io
import math
import tokenize
from dataclasses import asdict, dataclass

__all__ = ["Site", "enumerate_sites", "apply_site", "mutate_number", "trivially_equivalent"]

ARITH = {ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*"),
         ast.Pow: ("**", "*"), ast.FloorDiv: ("//", "/")}
AUG = {ast.Add: ("+=", "-="), ast.Sub: ("-=", "+="), ast.Mult: ("*=", "/="), ast.Div: ("/=", "*=")}
CMP = {ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
       ast.Eq: ("==", "!="), ast.NotEq: ("!=", "==")}
BOOL = {ast.And: ("and", "or"), ast.Or: ("or", "and")}

_LOG_FUNCS = {"print", "warn", "warning", "debug", "info", "error", "exception", "critical", "format"}
_LOG_OWNERS = {"logger", "log", "logging", "warnings", "_log", "_logger", "LOGGER", "console"}
_FORMAT_METHODS = {"__repr__", "__str__", "__format__", "_repr_html_", "_repr_latex_", "_repr_pretty_",
                   "_repr_markdown_"}


@dataclass(frozen=True)
class Site:
    """One mutant: replace the token ``original`` at ``line:col`` (1-based line, 0-based character
    column) of ``path`` by ``replacement`` (``""`` removes it).

    ``id`` is stable under edits elsewhere in the file: a hash of the path, the enclosing
    function, the text of the line, the column within the stripped line and the replacement.
    """

    path: str
    line: int
    col: int
    kind: str
    original: str
    replacement: str
    qualname: str
    line_text: str
    occurrence: int = 0

    @property
    def id(self) -> str:
        stripped = self.line_text.strip()
        rel = self.col - (len(self.line_text) - len(self.line_text.lstrip()))
        key = "|".join((self.path, self.qualname, stripped, str(rel), self.original, self.replacement,
                        str(self.occurrence)))
        return hashlib.sha1(key.encode()).hexdigest()[:10]

    @property
    def mutated_line(self) -> str:
        t = self.line_text
        return t[: self.col] + self.replacement + t[self.col + len(self.original):]

    def describe(self) -> str:
        """``path:line  original -> replacement`` (``-x -> x`` style for removals)."""
        new = self.replacement if self.replacement else "(removed)"
        return f"{self.path}:{self.line} [{self.kind}] {self.original} -> {new}"

    def to_json(self) -> dict:
        d = asdict(self)
        d["id"] = self.id
        d["mutated_line"] = self.mutated_line
        return d


def mutate_number(text: str) -> str | None:
    """The replacement of a numeric literal: 0 <-> 1, 0.5 -> 0.25, otherwise c -> c + 1 (type kept).

    Returns ``None`` for literals not mutated (complex).

    >>> [mutate_number(t) for t in ("0", "1", "2", "0.5", "1e-10", "0.0", "1.0", "3j")]
    ['1', '0', '3', '0.25', '1.0000000001', '1.0', '0.0', None]
    """
    value = ast.literal_eval(text)
    if isinstance(value, bool) or isinstance(value, complex):
        return None
    if isinstance(value, int):
        return "1" if value == 0 else "0" if value == 1 else str(value + 1)
    if value == 0.0:
        return "1.0"
    if value == 1.0:
        return "0.0"
    if value == 0.5:
        return "0.25"
    new = value + 1.0
    if new == value or not math.isfinite(new):  # c + 1 rounds back to c for |c| >= 2**53
        new = value * 2.0
    return repr(new)


def _is_str(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))) or isinstance(
        node, ast.JoinedStr)


def _is_seq(node: ast.AST) -> bool:
    """A string or a list/tuple/set/dict display, or arithmetic on one (``"a" + x + "b"``)."""
    if _is_str(node) or isinstance(node, (ast.List, ast.Tuple, ast.ListComp, ast.Set, ast.SetComp, ast.Dict,
                                          ast.DictComp)):
        return True
    return isinstance(node, ast.BinOp) and (_is_seq(node.left) or _is_seq(node.right))


def _target_names(targets) -> set[str]:
    out = set()
    for t in targets:
        if isinstance(t, ast.Name):
            out.add(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            out |= _target_names(t.elts)
    return out


def _is_log_call(node: ast.Call) -> bool:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id in ("print", "warn")
    if isinstance(f, ast.Attribute):
        if f.attr == "format" and _is_str(f.value):
            return True
        if f.attr in _LOG_FUNCS:
            owner = f.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            return name in _LOG_OWNERS
    return False


def _is_type_checking(test: ast.AST) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_main_guard(test: ast.AST) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


class _Finder:
    """Walks the tree, skipping excluded subtrees, and records sites located in the token stream."""

    def __init__(self, path: str, source: str):
        self.path = path
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.blines = [ln.encode("utf-8") for ln in self.lines]
        toks = tokenize.generate_tokens(io.StringIO(source).readline)
        self.tokens = [(t.start, t.string) for t in toks if t.type in (tokenize.OP, tokenize.NAME, tokenize.NUMBER)]
        self.starts = [t[0] for t in self.tokens]
        self.sites: list[Site] = []

    # --- positions -------------------------------------------------------------------------------
    def _char(self, lineno: int, byte_col: int) -> tuple[int, int]:
        return lineno, len(self.blines[lineno - 1][:byte_col].decode("utf-8", errors="replace"))

    def _start(self, node: ast.AST) -> tuple[int, int]:
        return self._char(node.lineno, node.col_offset)

    def _end(self, node: ast.AST) -> tuple[int, int]:
        return self._char(node.end_lineno, node.end_col_offset)

    def _token_between(self, lo: tuple[int, int], hi: tuple[int, int], text: str):
        for i in range(bisect.bisect_left(self.starts, lo), len(self.tokens)):
            start, s = self.tokens[i]
            if start >= hi:
                break
            if s == text:
                return start
        return None

    def _add(self, pos, kind: str, original: str, replacement: str, qualname: str) -> None:
        if pos is None:
            return
        line, col = pos
        self.sites.append(Site(self.path, line, col, kind, original, replacement, qualname,
                               self.lines[line - 1].rstrip("\r\n")))

    # --- walk -------------------------------------------------------------------------------------
    def visit(self, node: ast.AST, qualname: str) -> None:
        if isinstance(node, (ast.Raise, ast.JoinedStr)):
            return
        if isinstance(node, ast.Call) and _is_log_call(node):
            return
        if isinstance(node, ast.If) and (_is_type_checking(node.test) or _is_main_guard(node.test)):
            for child in node.orelse:
                self.visit(child, qualname)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in _FORMAT_METHODS:
                return
            inner = f"{qualname}.{node.name}" if qualname else node.name
            if not isinstance(node, ast.ClassDef):
                # defaults are code; annotations and decorators are not
                for d in (*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]):
                    self.visit(d, qualname)
            else:
                for b in (*node.bases, *node.keywords):
                    self.visit(b, qualname)
            for stmt in node.body:
                self.visit(stmt, inner)
            return
        if isinstance(node, ast.Lambda):
            for d in (*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]):
                self.visit(d, qualname)
            self.visit(node.body, qualname)
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None and not (qualname == "" and _target_names([node.target]) & {"__all__"}):
                self.visit(node.value, qualname)
            return
        if isinstance(node, ast.Assign) and qualname == "":
            names = _target_names(node.targets)
            if any(n.startswith("__") and n.endswith("__") for n in names):
                return
        if isinstance(node, ast.Assert):
            self.visit(node.test, qualname)
            return
        self._sites_of(node, qualname)
        for child in ast.iter_child_nodes(node):
            self.visit(child, qualname)

    def _sites_of(self, node: ast.AST, q: str) -> None:
        if isinstance(node, ast.BinOp) and type(node.op) in ARITH:
            if _is_seq(node.left) or _is_seq(node.right):
                return  # string formatting or sequence concatenation/repetition: a stillborn TypeError
            a, b = ARITH[type(node.op)]
            self._add(self._token_between(self._end(node.left), self._start(node.right), a), "arith", a, b, q)
        elif isinstance(node, ast.AugAssign) and type(node.op) in AUG:
            if _is_seq(node.value):
                return
            a, b = AUG[type(node.op)]
            self._add(self._token_between(self._end(node.target), self._start(node.value), a), "augassign", a, b, q)
        elif isinstance(node, ast.Compare):
            prev = node.left
            for op, right in zip(node.ops, node.comparators):
                if type(op) in CMP:
                    a, b = CMP[type(op)]
                    self._add(self._token_between(self._end(prev), self._start(right), a), "compare", a, b, q)
                prev = right
        elif isinstance(node, ast.BoolOp):
            a, b = BOOL[type(node.op)]
            for left, right in zip(node.values, node.values[1:]):
                self._add(self._token_between(self._end(left), self._start(right), a), "boolop", a, b, q)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            start = self._start(node)
            self._add(self._token_between(start, self._start(node.operand), "-"), "unary", "-", "", q)
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            text = "True" if node.value else "False"
            self._add(self._start(node), "bool", text, "False" if node.value else "True", q)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            line, col = self._start(node)
            text = self._token_text_at(line, col)
            if text is not None:
                new = mutate_number(text)
                if new is not None:
                    self._add((line, col), "constant", text, new, q)

    def _token_text_at(self, line: int, col: int) -> str | None:
        i = bisect.bisect_left(self.starts, (line, col))
        if i < len(self.tokens) and self.tokens[i][0] == (line, col):
            return self.tokens[i][1]
        return None


def enumerate_sites(path: str, source: str) -> list[Site]:
    """All mutation sites of ``source`` (the text of the module at ``path``), in source order.

    The list depends only on the text of the module (no parsing of mutants here: a mutant that
    does not parse, which the operators above cannot produce, is reported when it is run).

    >>> src = "def f(x):\\n    '''Doc 1 + 2.'''\\n    return -x + 2 if x > 0 else 0\\n"
    >>> [(s.line, s.col, s.original, s.replacement) for s in enumerate_sites("m.py", src)]
    [(3, 11, '-', ''), (3, 14, '+', '-'), (3, 16, '2', '3'), (3, 23, '>', '>='), (3, 25, '0', '1'), (3, 32, '0', '1')]
    """
    tree = ast.parse(source)
    finder = _Finder(path, source)
    for stmt in tree.body:
        if isinstance(stmt, ast.Expr) and _is_str(stmt.value):
            continue
        finder.visit(stmt, "")
    sites = sorted(set(finder.sites), key=lambda s: (s.line, s.col, s.kind, s.replacement))
    out: list[Site] = []
    seen: dict[tuple, int] = {}
    for s in sites:
        key = (s.qualname, s.line_text.strip(), s.col - (len(s.line_text) - len(s.line_text.lstrip())),
               s.original, s.replacement)
        k = seen.get(key, 0)
        seen[key] = k + 1
        out.append(Site(**{**asdict(s), "occurrence": k}) if k else s)
    return out


def apply_site(source: str, site: Site) -> str:
    """``source`` with the one token of ``site`` replaced (every other character unchanged).

    >>> s = enumerate_sites("m.py", "y = a < b\\n")[0]
    >>> apply_site("y = a < b\\n", s)
    'y = a <= b\\n'
    """
    lines = source.splitlines(keepends=True)
    text = lines[site.line - 1]
    if text[site.col: site.col + len(site.original)] != site.original:
        raise ValueError(f"site {site.id} does not match the source at {site.path}:{site.line}:{site.col}")
    new = text[: site.col] + site.replacement + text[site.col + len(site.original):]
    if not site.replacement and site.kind == "unary":
        # "-x" -> "x"; keep tokens apart when removal would glue two names ("not -x" never glues)
        before = new[: site.col]
        after = new[site.col:]
        if before and (before[-1].isalnum() or before[-1] == "_") and after and (after[0].isalnum() or after[0] == "_"):
            new = before + " " + after
    lines[site.line - 1] = new
    return "".join(lines)


# --- trivial equivalence -----------------------------------------------------------------------------

_FOLD = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
         ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b, ast.FloorDiv: lambda a, b: a // b}


def _num(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    return None


class _Normalise(ast.NodeTransformer):
    """Constant folding plus the identities x+0, 0+x, x-0, x*1, 1*x, x**1 -> x (not x/1: int -> float)."""

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        v = _num(node.operand)
        if v is not None and isinstance(node.op, (ast.USub, ast.UAdd)):
            return ast.Constant(-v if isinstance(node.op, ast.USub) else v)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        a, b = _num(node.left), _num(node.right)
        if a is not None and b is not None and type(node.op) in _FOLD:
            try:
                v = _FOLD[type(node.op)](a, b)
            except (ArithmeticError, ValueError, OverflowError):
                return node
            if isinstance(v, (int, float)) and (not isinstance(v, int) or abs(v) < 2 ** 64):
                return ast.Constant(v)
            return node
        op = type(node.op)
        if op in (ast.Add, ast.Sub) and b is not None and b == 0 and type(b) is int:
            return node.left
        if op is ast.Add and a is not None and a == 0 and type(a) is int:
            return node.right
        if op is ast.Mult and b is not None and b == 1 and type(b) is int:
            return node.left
        if op is ast.Mult and a is not None and a == 1 and type(a) is int:
            return node.right
        if op is ast.Pow and b is not None and b == 1 and type(b) is int:
            return node.left
        return node


def _normal_dump(source: str) -> str:
    return ast.dump(_Normalise().visit(ast.parse(source)))


def trivially_equivalent(original: str, mutated: str) -> bool:
    """True when both sources have the same AST after constant folding and the identities
    ``x + 0 = x - 0 = x``, ``x * 1 = x``, ``x ** 1 = x`` (integer 0 and 1 only, so no dtype changes).

    >>> trivially_equivalent("y = x + 0\\n", "y = x - 0\\n")
    True
    >>> trivially_equivalent("y = x ** 1\\n", "y = x * 1\\n")
    True
    >>> trivially_equivalent("y = x + 1\\n", "y = x - 1\\n")
    False
    """
    return _normal_dump(original) == _normal_dump(mutated)
