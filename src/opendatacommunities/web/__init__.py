"""The web front end: ``create_app(settings)`` builds the ASGI app; ``serve`` runs it."""

from opendatacommunities.web.app import create_app
from opendatacommunities.web.server import serve

__all__ = ["create_app", "serve"]
