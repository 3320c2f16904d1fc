"""Python client and `aisec` CLI for the AISec services."""

from services.client.client import AisecClient, AsyncAisecClient, FailurePolicy, TlsConfig

__all__ = ["AisecClient", "AsyncAisecClient", "FailurePolicy", "TlsConfig"]
