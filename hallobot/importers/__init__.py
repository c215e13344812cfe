"""Importers: the seed data loader (and later OpenStreetMap)."""
