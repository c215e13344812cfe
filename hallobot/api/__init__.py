"""The JSON API under /api/v1: the search box's suggestions, the map's GeoJSON and marker
popups. It reads through the search and directory services; its errors are JSON."""
