"""Fixed-window counters kept in the database, so that every worker process counts into one number.

A counter in process memory (Django's default cache) counts per gunicorn worker: with n
workers a limit lets n times as many through. Here a counter is a model with an owner column
(an API key, a client's address), `window` (the window's start) and `count`, unique on
(owner, window). Counting is one statement on PostgreSQL (INSERT … ON CONFLICT … DO UPDATE …
RETURNING); elsewhere an UPDATE, or an INSERT when the window has no row yet. A window's first
count deletes the rows older than `keep`: the owner's own when the owners are few and come back
(API keys), every owner's when they are not (addresses, which may never return).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

# In a statement of its own: commit without waiting for the disk (see _count_postgresql).
NO_WAIT = "(SELECT set_config('synchronous_commit', 'off', true))"


@dataclass(frozen=True)
class WindowCounter:
    """One kind of event counted per owner in fixed windows of `seconds`, in `model`'s table."""

    model: type[models.Model]
    owner: str
    """The owner's field ("key", "address")."""
    seconds: int
    """The window's length; windows start at multiples of it from the Unix epoch."""
    keep: datetime.timedelta
    """Rows of windows that started more than this before the current one are deleted."""
    prune_every_owner: bool = False

    def window(self, now: datetime.datetime) -> datetime.datetime:
        stamp = int(now.timestamp())
        return datetime.datetime.fromtimestamp(stamp - stamp % self.seconds, tz=datetime.UTC)

    def seconds_left(self, now: datetime.datetime) -> int:
        """Whole seconds until the next window (for Retry-After): 1 to `seconds`."""
        end = self.window(now) + datetime.timedelta(seconds=self.seconds)
        return max(1, math.ceil((end - now).total_seconds()))

    def count(self, owner: object, now: datetime.datetime | None = None, *, also: str = "") -> int:
        """Count one event of `owner` in the window of `now`; the window's count so far.

        `also`: more data-modifying CTEs (", name AS (…)") for the same statement on
        PostgreSQL, with the parameters %(owner)s, %(window)s and %(now)s; only there.
        """
        now = now or timezone.now()
        if connection.vendor == "postgresql":
            return self._count_postgresql(owner, now, also)
        if also:
            raise ValueError("`also` is for PostgreSQL only")
        return self._count_portable(owner, self.window(now))

    def _count_postgresql(self, owner: object, now: datetime.datetime, also: str) -> int:
        # A lost count is harmless (the window is short), so outside a caller's transaction the
        # statement commits without waiting for the disk: the row lock every count of an owner
        # takes is then held for microseconds instead of a WAL flush.
        no_wait = "" if connection.in_atomic_block else f", {NO_WAIT} AS no_wait"
        sql = f"""
WITH {self.counting()}{also}
SELECT counted."count" FROM counted{no_wait}
"""
        with connection.cursor() as cursor:
            cursor.execute(sql, self.parameters(owner, now))
            (count,) = cursor.fetchone()
        return int(count)

    def counting(self, owners: str = "SELECT %(owner)s") -> str:
        """PostgreSQL: the CTEs `counted` (the count, one row per owner counted) and `pruned`.

        `owners`: a query of the owners to count, none or one (default: the parameter
        %(owner)s), so that a statement can count only an owner it has just found valid.
        Parameters: `parameters()`.
        """
        meta = self.model._meta
        quote = connection.ops.quote_name
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        column = quote(meta.get_field(self.owner).column)
        whose = "" if self.prune_every_owner else f"{column} IN ({owners}) AND "
        # Old rows another count is deleting at the same moment are skipped, not waited for.
        return f"""counted AS (
    INSERT INTO {table} ({column}, "window", "count")
    SELECT owner, %(window)s, 1 FROM ({owners}) AS owners (owner)
    ON CONFLICT ({column}, "window") DO UPDATE SET "count" = {table}."count" + 1
    RETURNING "count"
), pruned AS (
    DELETE FROM {table} WHERE {pk} IN (
        SELECT {pk} FROM {table}
        WHERE {whose}"window" < %(old)s AND (SELECT "count" FROM counted) = 1
        FOR UPDATE SKIP LOCKED
    )
)"""

    def parameters(self, owner: object, now: datetime.datetime) -> dict[str, object]:
        window = self.window(now)
        return {"owner": owner, "window": window, "now": now, "old": window - self.keep}

    def _count_portable(self, owner: object, window: datetime.datetime) -> int:
        attname = self.model._meta.get_field(self.owner).attname
        objects = self.model._default_manager
        with transaction.atomic():
            rows = objects.filter(**{attname: owner, "window": window})
            if not rows.update(count=F("count") + 1):
                try:
                    with transaction.atomic():
                        objects.create(**{attname: owner, "window": window, "count": 1})
                    old = objects.filter(window__lt=window - self.keep)
                    if not self.prune_every_owner:
                        old = old.filter(**{attname: owner})
                    old.delete()
                except IntegrityError:  # another process made the row first
                    rows.update(count=F("count") + 1)
            return int(rows.values_list("count", flat=True).get())
