"""Fixed-window counters in the database, shared by every web process (no per-IP keys: whole plants
share one NAT address, and we keep no addresses anyway)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huiyin.portal.models import ThrottleCounter


@dataclass(frozen=True)
class Limit:
    name: str  # e.g. "receipt-case:2026-000123"
    limit: int
    window_seconds: int

    def key(self, now: datetime) -> str:
        start = int(now.timestamp()) // self.window_seconds * self.window_seconds
        name = self.name if len(self.name) <= 100 else hashlib.sha256(self.name.encode()).hexdigest()
        return f"{name}@{start}"

    def retry_after(self, now: datetime) -> int:
        ts = int(now.timestamp())
        end = ts // self.window_seconds * self.window_seconds + self.window_seconds
        return max(1, end - ts)


def throttle_blocked(limits: list[Limit], *, now: datetime | None = None) -> int | None:
    """Seconds to wait if any limit is reached, else None. Reads only."""
    now = now or timezone.now()
    keys = {limit.key(now): limit for limit in limits}
    counts = dict(ThrottleCounter.objects.filter(key__in=list(keys)).values_list("key", "count"))
    waits = [limit.retry_after(now) for key, limit in keys.items() if counts.get(key, 0) >= limit.limit]
    return max(waits) if waits else None


def throttle_hit(limits: list[Limit], *, now: datetime | None = None) -> dict[str, int]:
    """Count one event against every limit; return the counts after it, by limit name."""
    now = now or timezone.now()
    result = {}
    for limit in limits:
        key = limit.key(now)
        updated = ThrottleCounter.objects.filter(key=key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    ThrottleCounter.objects.create(
                        key=key, count=1, expires_at=now + timedelta(seconds=limit.window_seconds)
                    )
            except IntegrityError:  # another process created it first
                ThrottleCounter.objects.filter(key=key).update(count=F("count") + 1)
        result[limit.name] = ThrottleCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    return result


def throttle_cleanup(*, now: datetime | None = None) -> int:
    """Delete expired counters (a periodic job)."""
    deleted, _ = ThrottleCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
