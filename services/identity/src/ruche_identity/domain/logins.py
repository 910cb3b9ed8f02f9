"""Failed logins and the lockout: three failures in a row lock a login for 120 minutes (the vault's rule, and the
portal's for its managers). Counted per login whether or not an account has it, so answers never tell which
logins exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILED_LOGINS = 3
LOCKOUT = timedelta(minutes=120)


@dataclass(frozen=True)
class LoginAttempts:
    failures: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def failed(self, now: datetime) -> LoginAttempts:
        """One more failure; the third in a row locks for LOCKOUT. A lock that ran out starts a fresh count."""
        failures = 1 if self.locked_until is not None and not self.locked(now) else self.failures + 1
        if failures >= MAX_FAILED_LOGINS:
            return LoginAttempts(failures=failures, locked_until=now + LOCKOUT)
        return LoginAttempts(failures=failures)


def lockout_message(until: datetime) -> str:
    return (
        f"Too many failed attempts: this account is blocked for {int(LOCKOUT.total_seconds() // 60)} minutes, "
        f"until {until:%H:%M} UTC. A password reset unblocks it at once."
    )


def login_key(login: str) -> str:
    """The key failures are counted under: logins are compared without case."""
    return login.strip().casefold()
