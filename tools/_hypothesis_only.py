"""pytest plugin of ``python -m tools.flakes``: keep only the hypothesis-driven tests.

Load it with ``-p tools._hypothesis_only``. Without ``CI`` the README's test command differs from
one run to the next only in the examples hypothesis draws (the ``dev`` profile is not derandomized;
every other input of the suite is seeded). Repeating just these tests, each time with a fresh
``--hypothesis-seed``, therefore repeats everything in the suite that can vary between runs, at a
small fraction of the suite's cost.
"""

from __future__ import annotations


def pytest_collection_modifyitems(config, items):
    from hypothesis import is_hypothesis_test

    keep, drop = [], []
    for item in items:
        fn = getattr(item, "obj", None)
        (keep if fn is not None and is_hypothesis_test(fn) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
