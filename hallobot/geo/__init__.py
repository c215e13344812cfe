"""Geography utilities (no views): Bottrop's bounds; geocoding and distances follow."""
