"""The coding half: NoteFacts + a payer profile -> CPT claim lines and documentation warnings.

Pure functions over the models of ``extractor.models``; the code tables, warning catalog and
payer profiles are data under patterns/ (shipped as ``extractor.patterns``). Never imports spaCy.
"""

from __future__ import annotations

from .engine import code_facts
from .profiles import Profile, known_profiles, load_profile

__all__ = ["Profile", "code_facts", "known_profiles", "load_profile"]
