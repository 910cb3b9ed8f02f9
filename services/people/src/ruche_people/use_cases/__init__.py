"""People's use cases: the only writers; each state change stores its events (and mails) in the same write."""
