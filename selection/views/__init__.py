"""Pages of selection, one module per audience: experts (their sheets), organizers (panels, assignment, draws),
city (the summary table), province (the pool, the rubric, the ranking, selection, approval and publication).

Entry points only: each parses the request, calls one selection service or selector, and shows the result.
"""
