"""iroscope: the statutory review engine, workspace and annual report for IRO services."""

__version__ = "0.1.0"
