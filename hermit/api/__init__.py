"""hermit's HTTP service: a FastAPI app over the store and the screening engine.

``create_app(settings)`` builds the app; routers stay thin and call the core; the wire
models (what goes over HTTP) live in ``wire`` and are mapped from the internal model in
``convert``; ``errors`` is the one place exceptions become status codes.
"""

from hermit.api.app import create_app
from hermit.api.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
