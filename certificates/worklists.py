"""What waits for each role in the exam pipeline (filled in below)."""
