"""Site pages that belong to no slice: legal pages, health check, language switch."""
