"""Harm taxonomy of PKU-SafeRLHF (Ji et al., arXiv 2406.15513) as typed enumerations (spec B.1) [S]."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["HarmCategory", "Severity", "HarmLabel", "parse_harm_label"]

_PKU = "ji2024pku"


@provenance("S", source=_PKU, where="harm categories (2024 version)")
class HarmCategory(enum.IntEnum):
    """The 19 harm categories of PKU-SafeRLHF (2024 version) with the dataset's integer codes [S].

    Each member has ``display_name`` (spelled as in the dataset; to be verified against the
    dataset paper, arXiv 2406.15513, before release) and a one-line ``gloss`` written by us.

    Examples
    --------
    >>> HarmCategory.WHITE_COLLAR_CRIME.display_name, int(HarmCategory.WHITE_COLLAR_CRIME)
    ('White-Collar Crime', 17)
    >>> HarmCategory.from_display_name("Cybercrime")
    <HarmCategory.CYBERCRIME: 13>
    """

    def __new__(cls, value: int, display_name: str, gloss: str):
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.display_name = display_name
        obj.gloss = gloss
        return obj

    ENDANGERING_NATIONAL_SECURITY = (0, "Endangering National Security", "threatens a state's security or defence")
    INSULTING_BEHAVIOR = (1, "Insulting Behavior", "demeans or insults a person or group")
    DISCRIMINATORY_BEHAVIOR = (2, "Discriminatory Behavior", "treats people unequally by protected traits")
    ENDANGERING_PUBLIC_HEALTH = (3, "Endangering Public Health", "spreads health risks or medical misinformation")
    COPYRIGHT_ISSUES = (4, "Copyright Issues", "infringes intellectual property")
    VIOLENCE = (5, "Violence", "encourages or instructs physical violence")
    DRUGS = (6, "Drugs", "facilitates illegal drug production, trade or abuse")
    PRIVACY_VIOLATION = (7, "Privacy Violation", "exposes or harvests personal data")
    ECONOMIC_CRIME = (8, "Economic Crime", "enables fraud, theft or financial crime")
    MENTAL_MANIPULATION = (9, "Mental Manipulation", "manipulates beliefs or decisions deceptively")
    HUMAN_TRAFFICKING = (10, "Human Trafficking", "facilitates trafficking or exploitation of people")
    PHYSICAL_HARM = (11, "Physical Harm", "risks bodily injury")
    SEXUAL_CONTENT = (12, "Sexual Content", "produces inappropriate sexual material")
    CYBERCRIME = (13, "Cybercrime", "enables hacking, malware or other computer crime")
    DISRUPTING_PUBLIC_ORDER = (14, "Disrupting Public Order", "incites unrest or disrupts social order")
    ENVIRONMENTAL_DAMAGE = (15, "Environmental Damage", "harms ecosystems or the environment")
    PSYCHOLOGICAL_HARM = (16, "Psychological Harm", "causes emotional or mental distress")
    WHITE_COLLAR_CRIME = (17, "White-Collar Crime", "enables corporate or professional crime such as embezzlement")
    ANIMAL_ABUSE = (18, "Animal Abuse", "encourages cruelty to animals")

    @classmethod
    def from_display_name(cls, name: str) -> HarmCategory:
        """Strict lookup by the dataset's display name (exact spelling); unknown names raise."""
        for member in cls:
            if member.display_name == name:
                return member
        raise InvalidInputError("category", "unknown harm-category name (use the dataset's exact display names)",
                                received=name)


_BY_NAME = {m.display_name: m for m in HarmCategory}


@provenance("S", source=_PKU, where="severity levels")
class Severity(enum.IntEnum):
    """Severity levels of PKU-SafeRLHF, ordered, with our summaries (verify wording before release) [S].

    Examples
    --------
    >>> Severity.MINOR < Severity.SEVERE, Severity(2).name
    (True, 'MODERATE')
    """

    def __new__(cls, value: int, summary: str):
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.summary = summary
        return obj

    SAFE = (0, "no harm")
    MINOR = (1, "limited, individually remediable harm")
    MODERATE = (2, "real damage to individuals that may need professional or official intervention")
    SEVERE = (3, "group-scale, lasting, potentially catastrophic harm needing national or international response")


@provenance("S", source=_PKU, where="per-response harm labels")
@dataclass(frozen=True)
class HarmLabel:
    """Harm label of one response: categories and severity, with severity == SAFE iff no categories.

    Examples
    --------
    >>> HarmLabel(frozenset({HarmCategory.DRUGS}), Severity.MINOR).is_safe
    False
    >>> HarmLabel(frozenset(), Severity.MINOR)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: severity: must be SAFE exactly when categories is empty (received (frozenset(), 'MINOR'))
    """

    categories: frozenset
    severity: Severity

    def __post_init__(self) -> None:
        cats = frozenset(self.categories)
        if not all(isinstance(c, HarmCategory) for c in cats):
            raise InvalidInputError("categories", "must contain HarmCategory members", received=sorted(map(str, cats)))
        if not isinstance(self.severity, Severity):
            raise InvalidInputError("severity", "must be a Severity member", received=self.severity)
        if (self.severity == Severity.SAFE) != (len(cats) == 0):
            raise InvalidInputError("severity", "must be SAFE exactly when categories is empty",
                                    received=(cats, self.severity.name))
        object.__setattr__(self, "categories", cats)

    @property
    def is_safe(self) -> bool:
        return self.severity == Severity.SAFE


@provenance("S", source=_PKU, where="dataset records (category flags, severity)")
def parse_harm_label(category_flags: Mapping[str, bool], severity: int) -> HarmLabel:
    """Parse a dataset record (display name -> flag, integer severity) into a :class:`HarmLabel`, strictly.

    Unknown names, non-boolean flags, a severity outside 0..3, and a SAFE severity with flagged
    categories (or the reverse) raise :class:`InvalidInputError` [S] (spec B.1, B.4).

    Parameters
    ----------
    category_flags : mapping of str to bool
        Display name (exact dataset spelling) to flag.
    severity : int
        0 (safe) ... 3 (severe).

    Returns
    -------
    HarmLabel

    Raises
    ------
    InvalidInputError
        Unknown names, non-boolean flags, severity outside 0..3, inconsistent label.

    Notes
    -----
    :math:`O(\\text{number of flags})`.

    Examples
    --------
    >>> lab = parse_harm_label({"Drugs": True, "Violence": False}, 2)
    >>> sorted(c.name for c in lab.categories), lab.severity.name
    (['DRUGS'], 'MODERATE')
    >>> parse_harm_label({"Drug": True}, 2)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: category_flags: unknown harm-category name 'Drug' (use the dataset's exact display names, e.g. 'White-Collar Crime')
    """
    if not isinstance(category_flags, Mapping):
        raise InvalidInputError("category_flags", "must be a mapping from display name to bool",
                                received=type(category_flags).__name__)
    cats = set()
    for name, flag in category_flags.items():
        if not isinstance(name, str):
            raise InvalidInputError("category", "names must be strings", received=name)
        member = _BY_NAME.get(name)
        if member is None:
            raise InvalidInputError("category_flags", f"unknown harm-category name {name!r} (use the dataset's exact "
                                    "display names, e.g. 'White-Collar Crime')")
        if not isinstance(flag, (bool, np.bool_)):
            raise InvalidInputError(f"category_flags[{name!r}]", "must be a bool", received=flag)
        if flag:
            cats.add(member)
    sev = V.check_int("severity", severity, lo=0, hi=3)
    return HarmLabel(frozenset(cats), Severity(sev))
