"""People kept in step with the HRIS: its CSV export previewed, then applied in one go."""
