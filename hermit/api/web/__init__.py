"""hermit's web interface: search, entity, batch and lists pages served by the API
service itself, with their templates and assets in this package (no CDN)."""

from hermit.api.web.router import router

__all__ = ["router"]
