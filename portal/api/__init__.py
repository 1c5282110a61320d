"""REST API of the platform core."""
