"""Demo data of the exam pipeline."""
