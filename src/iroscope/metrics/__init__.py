"""The KPI registry: one definition per figure, computed over the canonical dataset for a period."""
