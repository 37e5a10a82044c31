"""The HTTP service and the coder web page (``facetcode serve``).

``create_app(settings)`` builds the FastAPI app; importing this package needs the ``serve``
extra (FastAPI), the rest of ``extractor`` does not.
"""

from __future__ import annotations

from .app import create_app, create_app_from_env
from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app", "create_app_from_env"]
