"""URLs of the app: exams (namespace "exams", /<province>/exams/), certificates (namespace "certificates",
/<province>/certificates/) and the public verification pages (namespace "verify", /verify/)."""
