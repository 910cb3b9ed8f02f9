"""Password hashing (argon2id) and the list of common passwords new passwords are checked against."""

from __future__ import annotations

import asyncio
import uuid
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

# argon2id with the library's RFC 9106 low-memory profile.
hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
DUMMY_HASH = hasher.hash("not-a-real-password-" + uuid.uuid4().hex)


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked sets, as zxcvbn ships them (lower case)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)
