"""Filing applications: calls, policy packs and the eligibility pre-check, applications, city review, cultivation and filing."""
