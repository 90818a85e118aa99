"""The demo's fixed vocabulary and calendar: public constants, names, products, weights.

Kept apart from the simulation so that tuning a price or a seasonal weight never touches the
code that draws from them. Changing any value here changes every generated frame.
"""

from __future__ import annotations

from datetime import date

import numpy as np

DEMO_END: date = date(2026, 11, 22)
FAULT_WEEK: str = "2026-W36"
DEMO_TEAMS: dict[str, str] = {"north": "America/New_York", "south": "America/Chicago"}

DAY, HOUR = 86_400, 3_600
NEVER = 10**9  # a day number no rep's left_on reaches
BAD_DATE = "2026-09-31"
PRODUCTS = ("GTX Basic", "GTX Plus", "GTX Pro", "Support Plan", "Onboarding")
PRICES, PRODUCT_P = np.array([1200.0, 2400.0, 4800.0, 900.0, 1500.0]), (0.30, 0.25, 0.18, 0.15, 0.12)
SOURCES, SOURCE_P = ("web", "referral", "event", "outbound", "partner"), (0.38, 0.14, 0.12, 0.26, 0.10)
SOURCE_CONVERT = np.array([0.20, 0.40, 0.18, 0.15, 0.30])  # referrals convert best, cold outbound worst
MONTH_VOLUME = np.array([0.9, 0.95, 1.25, 1.0, 1.0, 1.05, 0.95, 0.85, 1.05, 1.1, 1.2, 1.1])  # mild summer dip
MONTH_WIN = np.array([1.0, 1.0, 1.25, 1.0, 1.0, 1.05, 1.0, 0.8, 1.05, 1.1, 1.15, 1.2])  # quarter-end pushes
WEEKDAY_VOLUME = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.12, 0.08])
FIRST_NAMES = (
    "Ana Jürgen José Zoë Björn Chloé Liam Priya Mateo Sofía Noah Amélie Kenji Olivia Raúl Émile "
    "Grace Tomás Hannah Omar Inés Lucas Mia Andrés Chen Ava Søren Nadia Elena Marcus Léa Diego Freya"
)
LAST_NAMES = (
    "Peña Müller García Smith Johansson Dubois Nguyen Patel Rossi Kim Brown Novák Schäfer López Ibáñez "
    "Okafor Walsh Fernández Tanaka Cohen Larsen Martín O'Brien Costa Weiß Jensen Moreau Álvarez Clarke "
    "Haddad Silva Fischer Núñez Bauer Hughes"
)
ASCII_FOLD = str.maketrans({"ß": "ss", "ø": "o", "'": "", " ": "."})  # letters NFKD cannot strip
ACCOUNT_WORDS = (
    "Northwind,Blue Heron,Cobalt,Vértice,Sønder,Redwood,Lumen,Atlas,Keystone,Brightwater,"
    "Harbor,Zenith,Maple,Quarry,Osprey,Granite,Alder,Meridian,Cascade,Solís"
)
KINDS = "Logistics,Foods,Health,Systems,Partners,Labs,Manufacturing,Retail,Energy,Finance"
INDUSTRIES = (
    "Transport,Food & Beverage,Healthcare,Software,Professional Services,Biotech,Manufacturing,"
    "Retail,Energy,Financial Services"
)
COUNTRIES = {
    "US": " Inc.",
    "CA": " Ltd.",
    "MX": " S.A. de C.V.",
    "GB": " Ltd",
    "DE": " GmbH",
    "ES": " S.L.",
    "FR": " SARL",
    "BR": " Ltda.",
}
COUNTRY_P = (0.55, 0.10, 0.08, 0.08, 0.07, 0.05, 0.04, 0.03)
