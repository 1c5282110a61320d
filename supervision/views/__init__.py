"""Pages of supervision, one module per audience or concern: public.py (no login), organization.py, indicators.py,
rankings.py and flags.py (officers and quality supervisors)."""
