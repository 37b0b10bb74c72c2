"""Pages of goalsapp: progress on signed goals, the CSV bulk load, and the dashboards."""
