"""Reports for staff and donors: outcomes by region, gender and age group, with charts."""
