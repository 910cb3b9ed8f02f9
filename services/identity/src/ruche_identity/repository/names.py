"""Identity's collection names."""

ENTERPRISES = "enterprises"
USERS = "users"
AUDIT = "audit"
DESIGNATIONS = "designations"
REFRESH_TOKENS = "refresh_tokens"
MANDATES = "mandates"
EMPLOYEES = "employees"
LOGIN_ATTEMPTS = "login_attempts"
RESET_LINKS = "password_resets"
IDENTITIES = "employee_identities"  # what people's events say about each worker, to recognise a lost employee
SIGNING_KEYS = "signing_keys"
USED_ASSERTIONS = "used_assertions"
# The collections whose documents carry outbox entries (events and mails) for the relay.
OUTBOX_COLLECTIONS = (ENTERPRISES, USERS, DESIGNATIONS, EMPLOYEES, MANDATES, RESET_LINKS)
DELETED = "deleted"
