"""The collections of the people service."""

WORKERS = "workers"
CONTRACTS = "contracts"
CONTRACT_LEDGERS = "contract_ledgers"
ONBOARDING_LINKS = "onboarding_links"
DIMONA_QUEUE = "dimona_queue"
BULK_HIRES = "bulk_hires"
OUTBOX_COLLECTIONS = (WORKERS, CONTRACTS)
