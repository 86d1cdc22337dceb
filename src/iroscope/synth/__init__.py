"""A seeded generator of a realistic synthetic local authority."""
