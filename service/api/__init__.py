"""The HTTP scoring service: FastAPI routes that turn HTTP into `Checker.check` calls and back."""

from service.api.app import create_app

__all__ = ["create_app"]
