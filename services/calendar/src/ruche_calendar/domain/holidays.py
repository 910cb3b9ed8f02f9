"""Belgian public holidays and their replacement days (domain.md §6).

The ten legal holidays are paid and not worked. One that falls on a Sunday or on another day the worker does not
usually work is replaced by a usual working day of the same year: by default the next one that is not itself a
holiday nor already a replacement. A holiday outside the contract is not replaced, and when no usual working day is
left in the year (the contract ends first, say) it is not replaced either.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from functools import cache

import holidays

NOT_LEGAL = frozenset({"Easter Sunday", "Pentecost"})  # Sundays the library lists, not among the ten


@cache  # building a country's holidays takes milliseconds; a year's never change
def belgian_public_holidays(year: int) -> frozenset[date]:
    """The ten legal public holidays of `year`."""
    listed = holidays.country_holidays("BE", years=year, language="en_US")
    return frozenset(day for day, name in listed.items() if name not in NOT_LEGAL)


def replacement_days(
    year: int, public_holidays: AbstractSet[date], *, works_on: Callable[[date], bool], covered: Callable[[date], bool]
) -> dict[date, date]:
    """Replacement day → the holiday it replaces, for the holidays of `year` the worker does not work on
    (`works_on` false) while the contract covers them. Each is the next day of the same year the worker works on
    that is no holiday and replaces no earlier holiday."""
    replacing: dict[date, date] = {}
    for holiday in sorted(h for h in public_holidays if h.year == year):
        if not covered(holiday) or works_on(holiday):
            continue
        day = holiday + timedelta(days=1)
        while day.year == year:
            if day not in public_holidays and day not in replacing and works_on(day):
                replacing[day] = holiday
                break
            day += timedelta(days=1)
    return replacing
