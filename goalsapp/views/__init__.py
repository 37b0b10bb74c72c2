"""Pages of goalsapp: progress on signed goals, the CSV bulk load, the dashboards, and keeping
goal sets."""
