"""The access manager's pages on the enterprise's users (`/access/users…`): the list with every search criterion,
the complementary search, paging and the CSV export; creating a user; a user's page (modify, grant and revoke,
block, new password, delete after the preview); and actions on a selection of users with a result per user."""

from __future__ import annotations

# Each module adds its routes to the area's router as it is imported: the fixed paths (/access/users/new,
# /export.csv, /selection) of `listing` and `selection` come before the `/access/users/{user_id}` ones of `user`.
from . import listing, selection, user
from .common import router

__all__ = ["listing", "router", "selection", "user"]
