"""Resident identity card numbers (GB 11643): the 18-character form and the 15-digit legacy form."""

from __future__ import annotations

import datetime as dt


def _plausible(number18: str, today: dt.date | None = None) -> bool:
    # imported by the few texts that hold a candidate (~40 ms at start, pydoc included)
    from stdnum.cn import ric

    # stdnum checks the check character, that the birth date exists and that the region code was in
    # use in the birth year; a birth date in the future or before 1900 is not a person either.
    try:
        if not ric.is_valid(number18):
            return False
    except KeyError:
        # python-stdnum 2.2: get_birth_place() raises KeyError('county') for a region code that
        # numdb lists without a county name (e.g. 632501); such a code is no person's region.
        return False
    born = ric.get_birth_date(number18)
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def id18(compact: str) -> bool:
    """An 18-character resident ID: 6-digit region, YYYYMMDD, 3-digit order, check digit or X."""
    return len(compact) == 18 and compact[:17].isdigit() and _plausible(compact.upper())


def upgrade15(compact: str) -> str:
    """The 18-character form of a 15-digit legacy number (issued before 1999, so born in 19xx)."""
    from stdnum.cn import ric

    body = compact[:6] + "19" + compact[6:]
    return body + ric.calc_check_digit(body + "0")


def id15(compact: str) -> bool:
    """A 15-digit legacy ID (6-digit region, YYMMDD, 3-digit order, no check digit): validated by
    its 18-character equivalent, so region and birth date are checked as for the new form."""
    return len(compact) == 15 and compact.isdigit() and _plausible(upgrade15(compact))
