"""Pages of supervision, one module per audience: public.py (no login), organization.py and indicators.py."""
