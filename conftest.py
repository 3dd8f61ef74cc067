"""Root pytest configuration: applies to doctests in ``aligntheory/`` and to ``tests/``."""

from aligntheory.testing._config import configure

configure()

collect_ignore = ["benchmarks"]
