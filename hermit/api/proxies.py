"""Which peers may say who the client is (``X-Forwarded-For``).

uvicorn believes ``X-Forwarded-For`` from 127.0.0.1 by default, so any local client could
write another address into the audit log and escape the anonymous rate limit by changing
the header on every request. hermit turns that off unless the operator names the proxies
in front of it (``hermit serve --trusted-proxy``, ``$HERMIT_TRUSTED_PROXIES``); uvicorn's
own ProxyHeadersMiddleware then takes the client address from those peers alone.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

ENV = "HERMIT_TRUSTED_PROXIES"


class ProxyError(ValueError):
    """A trusted proxy that is not an IP address or network."""


def trusted_proxies(values: Iterable[str]) -> list[str]:
    """The proxies named by the operator as uvicorn's ``forwarded_allow_ips``: each value
    an IP address or a CIDR network, several to a value separated by commas; empty when
    none is named (then no forwarding header is believed)."""
    out: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ProxyError(
                    f"trusted proxy {item!r} is not an IP address or network"
                    " (e.g. 10.0.0.5, 10.0.0.0/8)"
                ) from None
            out.append(item)
    return out
