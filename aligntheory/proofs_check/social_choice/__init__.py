"""Registered claims of the representative social choice pillar (spec ``social_choice.md`` §4.3).

Importing this package registers them.
"""

import importlib
import pkgutil

for _m in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_m}")
