"""Shop owners' self-service: dashboard, new entries, submission for review."""
