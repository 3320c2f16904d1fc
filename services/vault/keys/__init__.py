"""Key-encryption-key providers (local keyring | AWS KMS), chosen in ``factory.build_key_provider``."""
