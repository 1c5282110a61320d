"""API views of filings, one module per concern; errors come back as {"code", "detail", ...} via portal.api.errors.

- applications: the applicant's registration, institution, calls, draft application and its submission
- review: the city's review of applications
- cultivations: cultivations, the commitment letter, question banks, training and the filing decision
- filings: filings, added occupations, filing letters and the public catalog
"""
