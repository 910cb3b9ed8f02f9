"""Outside systems people talks to: ONSS's Dimona web service."""
