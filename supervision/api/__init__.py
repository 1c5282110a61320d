"""REST API of supervision: indicators, feedback and declarations."""
