"""Template filters of filings (citations of the policy documents)."""
