"""Cross-app plumbing for the REST API: errors, authentication, permissions, pagination, ETags."""
