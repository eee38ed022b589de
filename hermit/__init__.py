"""hermit: enforcing the UN and US sanctions on North Korea (DPRK)."""

__version__ = "0.1.0"
