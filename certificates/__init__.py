"""The exam-to-certificate pipeline: exam plans, rosters, staff, results, result publicity, review and certificates."""
