"""Template tags and filters of the portal (portal_tags)."""
