"""Bound.describe: one clean line for a paper's appendix, whatever metadata is present."""
from __future__ import annotations

import pytest

from aligntheory.results import Bound


@pytest.mark.parametrize("kw, tail", [
    ({"provenance": "M", "where": "eq. 3"}, "1.0 [M] eq. 3"),
    ({"provenance": "M"}, "1.0 [M]"),
    ({"provenance": "M", "source": "foster1949average", "where": "Thm 1"}, "1.0 [M] foster1949average Thm 1"),
])
def test_describe_has_single_spaces_and_no_trailing_blank(kw, tail):
    text = Bound(1.0, kind="upper", **kw).describe()
    assert text.endswith(tail) and "  " not in text and text == text.strip()
