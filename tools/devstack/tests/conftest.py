from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# A stand-in for a real service: stdlib only, answers /readyz and echoes what it received as JSON.
DUMMY_SERVICE = textwrap.dedent(
    """
    import json, os, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    if os.environ.get("DUMMY_CRASH"):
        sys.exit("dummy crashed on purpose")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/readyz":
                body = b"ready"
            else:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = json.dumps({"path": self.path, "headers": dict(self.headers), "env": dict(os.environ),
                                   "body_length": length}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """
)


@pytest.fixture(scope="session")
def dummy_service_command(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, int], list[str]]:
    script = tmp_path_factory.mktemp("dummy") / "dummy_service.py"
    script.write_text(DUMMY_SERVICE)

    def command(name: str, port: int) -> list[str]:
        return [sys.executable, str(script), str(port)]

    return command


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "run"
