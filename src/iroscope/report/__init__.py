"""The annual IRO report: sections built from the KPIs into one document model, rendered as HTML,
PDF (from the same HTML) and Word."""
