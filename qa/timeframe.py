"""Time expressions in questions ("in 2022", "last week", "in March 2023"):
news answers change over time, so such questions prefer articles published
in the window they name (a preference, not a filter)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_RE = "|".join(_MONTHS)


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date  # inclusive
    phrase: str
    named: bool = True  # the question names it (False: the "recently" preference of QA_RECENT_DAYS)

    def contains(self, iso: str) -> bool:
        try:
            day = dt.date.fromisoformat(iso)
        except ValueError:
            return False
        return self.start <= day <= self.end


def _month(year: int, month: int, phrase: str) -> Window:
    return Window(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), phrase)


def find_window(question: str, today: dt.date) -> Window | None:
    """The publication window a question asks about, if it names one."""
    q = question.lower()
    if m := re.search(rf"\b({_MONTH_RE})\s+((?:19|20)\d\d)\b", q):
        return _month(int(m.group(2)), _MONTHS[m.group(1)], m.group(0))
    if m := re.search(r"\b(?:in|during|of|for|since|throughout)\s+((?:19|20)\d\d)\b", q):
        year = int(m.group(1))
        end = today if m.group(0).startswith("since") else dt.date(year, 12, 31)
        return Window(dt.date(year, 1, 1), end, m.group(0))
    relative = {
        "yesterday": (today - dt.timedelta(days=1), today - dt.timedelta(days=1)),
        "today": (today, today),
        "this week": (today - dt.timedelta(days=7), today),
        "last week": (today - dt.timedelta(days=14), today - dt.timedelta(days=7)),
        "this month": (today.replace(day=1), today),
        "this year": (dt.date(today.year, 1, 1), today),
        "last year": (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
    }
    for phrase, (start, end) in relative.items():
        if re.search(rf"\b{phrase}\b", q):
            return Window(start, end, phrase)
    if re.search(r"\blast month\b", q):
        first = today.replace(day=1) - dt.timedelta(days=1)
        return _month(first.year, first.month, "last month")
    return event_year(question, today)


# A year naming an event: "the 2023 Masters", "Time's 2022 Person of the Year", "2024's Golden Globes".
_EVENT_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:['’]s)?\s+[A-Z]")


def event_year(question: str, today: dt.date) -> Window | None:
    """The year of an event the question names, as a window ending no later than today; none for
    a year still to come (its event has no reports from that year yet)."""
    m = _EVENT_YEAR.search(question)
    if m is None or int(m.group(1)) > today.year:
        return None
    year = int(m.group(1))
    return Window(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), m.group(1))
