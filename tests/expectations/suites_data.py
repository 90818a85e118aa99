"""The small clean team the GX runner tests validate: five won deals, their orders and two reps, with the
freshness and invoicing checks relaxed so they do not get in the way."""

from salespulse.transforms.periods import parse_period
from salespulse.transforms.quality import QualitySettings
from tests.transforms.frames import deal

W47 = parse_period("2026-W47")
GOOD = [deal(f"d{i}", "won", 100 * i, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z") for i in range(1, 6)]
ORDERS = [
    {"order_id": f"o{i}", "account_id": "a1", "deal_id": f"d{i}", "product": "GTX Pro", "amount": str(100 * i),
     "currency": "USD", "ordered_at": "2026-11-17T10:00:00Z"}
    for i in range(1, 6)
]  # fmt: skip


REPS = [
    {"rep_id": rep, "name": rep.upper(), "email": f"{rep}@example.com", "team": "t", "hired_on": "2024-01-01"}
    for rep in ("r1", "r2")
]
# Freshness and invoicing are tested on their own; here they must not get in the way.
RELAXED = QualitySettings(freshness_days=30, invoice_lag_days=30)
