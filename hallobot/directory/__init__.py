"""Directory: businesses, categories, districts and their public pages."""
