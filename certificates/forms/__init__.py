"""Forms of the app, by audience: the exam pages (exams) and the certificate and verification pages (certificates)."""
