"""The permission names an access token carries (`permissions` claim) and every service checks.

Identity grants them through applications and profiles; the other services only read them. One vocabulary, so a
renamed permission breaks the build rather than silently locking users out.
"""

from enum import StrEnum


class Permission(StrEnum):
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    CALENDAR_READ = "calendar:read"
    CALENDAR_WRITE = "calendar:write"
    PRESENCE_READ = "presence:read"
    PRESENCE_WRITE = "presence:write"
    VAULT_READ = "vault:read"
    VAULT_WRITE = "vault:write"
    # An employee's own vault, own requests, own data.
    VAULT_OWN = "vault:own"
    USERS_READ = "identity:users:read"
    USERS_WRITE = "identity:users:write"
    AUDIT_READ = "identity:audit:read"
    # The platform operator: designations of access managers.
    DESIGNATIONS = "platform:designations"
