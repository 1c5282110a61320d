"""API URLs of the app: exams under /api/v1/<province>/exams/, certificates under /api/v1/ (public and province)."""
