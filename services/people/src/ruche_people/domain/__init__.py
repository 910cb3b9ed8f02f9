"""People's rules on plain objects, split by noun; no I/O, time and ids come in as arguments."""
