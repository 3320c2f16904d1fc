"""Vault: envelope-encrypted, versioned, streamed model storage."""
