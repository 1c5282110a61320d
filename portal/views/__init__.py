"""Server-rendered pages of the platform core."""
