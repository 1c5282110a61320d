"""REST API of filings: the applicant's side and the officer's side, one class per operation."""
