"""The exam pipeline API, under /api/v1/<province>/exams/."""
