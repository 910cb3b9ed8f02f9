"""Identity's outside systems and libraries behind plain functions: argon2 password hashing, the token signing
keys, machine clients' public keys, and the SMTP server."""
