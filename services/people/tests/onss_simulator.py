"""The ONSS simulator as the dispatcher's tests meet it: `ruche_onss.main` served by uvicorn on a free port in a
thread of the test process, with an expeditor key pair made for the run (`ruche_onss.keys`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from ruche_devstack.ports import free_port
from ruche_onss.keys import ensure_key_pair
from ruche_onss.main import create_app
from ruche_onss.settings import OnssSettings
from ruche_people.adapters.onss import OnssClient

EXPEDITOR = "123456"


@dataclass(frozen=True)
class Simulator:
    url: str
    private_key: Path

    def client(self) -> OnssClient:
        return OnssClient(
            token_url=f"{self.url}/REST/oauth/v3/token",
            api_url=f"{self.url}/REST/dimona/v1",
            audience="https://oauth.socialsecurity.be",
            expeditor=EXPEDITOR,
            private_key_file=self.private_key,
        )


@pytest.fixture(scope="session")
def onss_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    home = tmp_path_factory.mktemp("onss")
    ensure_key_pair(home / "keys", EXPEDITOR, home / "expeditor.pem")
    app = create_app(OnssSettings(keys_dir=home / "keys", processing_seconds=0.1, identification_seconds=0.6))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="onss-simulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the ONSS simulator did not start")
        time.sleep(0.02)
    try:
        yield Simulator(f"http://127.0.0.1:{port}", home / "expeditor.pem")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
