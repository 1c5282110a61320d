"""Pages of filings, one module per audience or concern (entry points only: parse, call a service or selector, show).

- public: registration and the public catalog
- applicant: the institution's own pages and its draft application
- review: the officers' calls, institutions and review of applications
- cultivation: cultivations, their tasks and the filing decision
- filing: filings, their letters, added occupations, Shandong's report and publication
"""
