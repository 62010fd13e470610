"""Statistics of the organisation's own work: aggregate charts and their CSV export, never a single case."""
