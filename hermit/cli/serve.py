"""``hermit serve``: the HTTP API and web interface over a store."""

from __future__ import annotations

from typing import Annotated

import typer

from hermit.cli.context import settings


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    open_reads: Annotated[
        bool,
        typer.Option(
            "--open-reads/--keyed-reads",
            envvar="HERMIT_OPEN_READS",
            help="Read endpoints without a key (default), or only with an API key.",
        ),
    ] = True,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="A proxy (IP address or CIDR network) whose X-Forwarded-For is believed; "
            "repeat for several, or list them comma-separated in $HERMIT_TRUSTED_PROXIES. "
            "Without one, the client address is the connecting peer's.",
        ),
    ] = None,
) -> None:
    """Serve the API (yente-compatible /match, /search, /entities, reconciliation, batch
    jobs) and the web interface. The service opens the store for writing: stop it before
    loading lists from the command line, or load them through the API."""
    import os

    import uvicorn

    from hermit.api import ServiceSettings, create_app
    from hermit.api.bounds import bounded_protocol
    from hermit.api.proxies import ENV, ProxyError, trusted_proxies
    from hermit.limits import service_limits

    try:
        proxies = trusted_proxies([*(trusted_proxy or []), os.environ.get(ENV, "")])
    except ProxyError as exc:
        raise typer.BadParameter(str(exc), param_hint="--trusted-proxy") from None

    base = ServiceSettings.from_env(settings(ctx).store_path)
    config = ServiceSettings(
        store_path=base.store_path,
        open_reads=open_reads,
        max_body_bytes=base.max_body_bytes,
        max_upload_bytes=base.max_upload_bytes,
        rate_per_minute=base.rate_per_minute,
        max_batch=base.max_batch,
        jobs_dir=base.jobs_dir,
        max_request_seconds=base.max_request_seconds,
        max_upload_seconds=base.max_upload_seconds,
    )
    app = create_app(config)
    # asyncio's loop, not uvloop: under load (50 clients) uvloop served some connections
    # seconds late (p99 1.1 s against 0.1-0.2 s, bench/api, BENCHMARKS.md)
    # X-Forwarded-For only from the proxies named (hermit/api/proxies.py)
    # request heads bounded in size (431) and time (slowloris), hermit/api/bounds.py
    bounds = service_limits()
    uvicorn.run(
        app,
        http=bounded_protocol(bounds.max_header_bytes, bounds.header_seconds),
        h11_max_incomplete_event_size=bounds.max_header_bytes,
        timeout_keep_alive=bounds.keep_alive_seconds,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        loop="asyncio",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )
