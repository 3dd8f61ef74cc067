"""Griffe extension of the docs build: the reStructuredText bits of our docstrings, as Markdown.

The library's numpydoc docstrings are also read by Sphinx-style tools and by ``help()``; they use
``:func:`name``` cross-reference roles, ``:math:`expr``` inline maths and ``.. math::`` blocks.
mkdocstrings renders docstrings as Markdown, so before the numpy-style parser sees a docstring
this extension rewrites

* ``:math:`expr``` to ``$expr$`` and a ``.. math::`` block to a ``$$ ... $$`` block (typeset by
  MathJax through ``pymdownx.arithmatex``),
* every other role (``:func:``, ``:class:``, ``:meth:``, ``:mod:``, ...) to inline code, keeping the
  last component of a ``~``-prefixed path as Sphinx does.

Doctest examples (``>>>`` lines and their output) are left alone. Loaded by ``mkdocs.yml``
(``extensions: [docs/_griffe_rst.py:RstToMarkdown]``); not part of the package.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_OTHER_ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`]+)`")
_MATH_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<first>.*)$")


def _role(m: re.Match) -> str:
    tilde, target = m.group(1), m.group(2).strip()
    if "<" in target and target.endswith(">"):  # :func:`text <target>`
        target = target.split("<", 1)[0].strip()
    elif tilde:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _math_blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _MATH_BLOCK.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = m.group("indent")
        body = [m.group("first").strip()] if m.group("first").strip() else []
        i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
            if lines[i].strip():
                body.append(lines[i].strip())
            elif body and i + 1 < len(lines) and lines[i + 1].strip() and \
                    len(lines[i + 1]) - len(lines[i + 1].lstrip()) <= len(indent):
                break
            i += 1
        out += ["", f"{indent}$$", *(f"{indent}{b}" for b in body), f"{indent}$$", ""]
    return out


def rst_to_markdown(text: str) -> str:
    """Rewrite the roles and math blocks of one docstring (doctest lines untouched).

    Examples
    --------
    >>> rst_to_markdown("Uses :func:`~a.b.solve` and :math:`x^2`.")
    'Uses `solve` and $x^2$.'
    >>> print(rst_to_markdown(".. math:: a + b\\n\\nText."))
    <BLANKLINE>
    $$
    a + b
    $$
    <BLANKLINE>
    <BLANKLINE>
    Text.
    """
    lines = text.split("\n")
    kept = []
    for line in _math_blocks(lines):
        if line.lstrip().startswith((">>>", "...")):
            kept.append(line)
            continue
        line = _MATH_ROLE.sub(lambda m: f"${m.group(1)}$", line)
        kept.append(_OTHER_ROLE.sub(_role, line))
    return "\n".join(kept)


class RstToMarkdown(griffe.Extension):
    """Rewrite each docstring once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)
