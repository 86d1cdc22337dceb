"""KPIs: see the module docstring once written."""
