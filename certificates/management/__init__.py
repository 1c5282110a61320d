"""Management commands of the exam-to-certificate pipeline."""
