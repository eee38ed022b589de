"""The service of tests/api/conftest.py's ``launch``, run in a process of its own:

    python -m tests.api.app_process SETTINGS.pickle PORT

``create_app`` over the pickled ServiceSettings, served by uvicorn on 127.0.0.1:PORT as
``launch`` used to run it in a thread of the test process (no forwarding header
believed, as ``hermit serve``); SIGTERM stops it as ``hermit serve`` stops. A process
of its own gives its memory (the index, the entities) back when it ends: in a thread
of a test process most of it stayed."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import uvicorn

from hermit.api import ServiceSettings, create_app


def main(argv: list[str]) -> None:
    settings_file, port = Path(argv[0]), int(argv[1])
    settings = pickle.loads(settings_file.read_bytes())
    assert isinstance(settings, ServiceSettings)
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main(sys.argv[1:])
