"""Root pytest configuration: applies to doctests in ``aligntheory/`` and to ``tests/``."""

from aligntheory.testing._config import configure

configure()

# Not test modules: the benchmarks, the gallery sources (run by the docs build, see
# tests/test_docs.py), the gallery copies mkdocs-gallery writes under docs/generated and a built site.
collect_ignore = ["benchmarks", "examples", "docs", "site"]
