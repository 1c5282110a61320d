"""API views of the app, one class per operation: exams (plans, rosters, results) and certificates (lookup, issuance,
revocation and correction). Refusals are mapped to {"code", "detail", ...} by portal.api.errors alone."""
