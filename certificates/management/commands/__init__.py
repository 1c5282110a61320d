"""Management commands of certificates (rotate_signing_key, ...)."""
