"""Identity's rules on plain objects, split by noun: applications and permissions, users, logins and lockouts,
tokens, designations, employee accounts, and the errors they raise."""
