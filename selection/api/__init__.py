"""REST API of selection."""
