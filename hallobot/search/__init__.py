"""Search over the published directory."""
