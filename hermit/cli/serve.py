"""``hermit serve``: the HTTP API and web interface over a store."""

from __future__ import annotations

from typing import Annotated, Any

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
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            envvar="HERMIT_WORKERS",
            help="Worker processes answering requests (each holds its own index: about "
            "650 MB with the UN and OFAC lists). Batch jobs run in a process of their own.",
        ),
    ] = 1,
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
    jobs) and the web interface. The service reads the newest published list version and
    keeps its keys, audit log, jobs and suppressions beside the store: every command works
    while it runs, and it takes a new list version, key or decision without a restart."""
    import os
    import subprocess
    import sys

    import uvicorn

    from hermit.api import ServiceSettings, create_app, served
    from hermit.api.bounds import bounded_protocol
    from hermit.api.prepare import PrepareFailed, prepare
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
    try:  # the lists published, their index built (in a child) if missing
        prepare(config.store_path)
    except PrepareFailed as exc:
        raise typer.Exit(1) from exc
    encoded = served.settings_to_json(config)
    # batch jobs in a process of their own: a job's screening never slows /match
    runner = subprocess.Popen(
        [sys.executable, "-m", "hermit.api.job_process", encoded, str(os.getpid())]
    )
    # asyncio's loop, not uvloop: under load (50 clients) uvloop served some connections
    # seconds late (p99 1.1 s against 0.1-0.2 s, bench/api, BENCHMARKS.md)
    # X-Forwarded-For only from the proxies named (hermit/api/proxies.py)
    # request heads bounded in size (431) and time (slowloris), on httptools: hermit/api/bounds.py
    bounds = service_limits()
    options: dict[str, Any] = {
        "timeout_keep_alive": bounds.keep_alive_seconds,
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": False,
        "loop": "asyncio",
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }
    try:
        if workers == 1:
            http = bounded_protocol(bounds.max_header_bytes, bounds.header_seconds)
            uvicorn.run(create_app(config, job_mode="client"), http=http, **options)
        else:  # each worker process builds the app and its protocol (hermit.api.served)
            os.environ[served.ENV] = encoded
            uvicorn.run(
                "hermit.api.served:app",
                factory=True,
                workers=workers,
                http="hermit.api.served:BoundedProtocol",
                **options,
            )
    finally:
        runner.terminate()
        try:
            runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            runner.kill()
            runner.wait()
