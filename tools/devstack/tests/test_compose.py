"""docker-compose.yml describes the local runner's topology: no engine needed, the files are only read.

`docker compose config` runs too when the docker CLI has its compose plugin, and `nginx -t` on the
gateway's config when nginx is installed; each is skipped on its own otherwise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from ruche_devstack import ONSS, SERVICES, service_environment

ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = ROOT / "docker-compose.yml"
GATEWAY_TEMPLATE = ROOT / "infra" / "nginx" / "nginx.conf.tmpl"
SERVICE_PORT = 8000  # what every service container listens on (its Dockerfile's CMD)
OTLP = "OTEL_EXPORTER_OTLP_ENDPOINT"
SAME_AS_RUNNER = ("MONGODB_DATABASE", "SERVICE_NAME", "ROOT_PATH", "LOG_LEVEL")
PROXY_PASS = re.compile(r"location\s+(/\S*)\s*\{[^}]*?proxy_pass\s+(\S+);", re.S)
PROXY_HEADER = re.compile(r"^\s*proxy_set_header\s+(.+?);", re.M)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict) and isinstance(loaded.get("services"), dict)
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the ["KEY=value", ...] form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): str(value) for key, value in env.items()}


def build_of(service: dict[str, Any]) -> tuple[Path, Path]:
    """(context dir, Dockerfile) of a service that is built, both resolved from the compose file's dir."""
    build = service["build"]
    if isinstance(build, str):
        build = {"context": build}
    context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
    return context, (context / build.get("dockerfile", "Dockerfile")).resolve()


def bind_sources(service: dict[str, Any]) -> list[Path]:
    """Host paths a service mounts (bind mounts only: a named volume is no file)."""
    sources = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            source = volume.get("source", "") if volume.get("type") == "bind" else ""
        else:
            source = str(volume).split(":", 1)[0] if ":" in str(volume) else ""
        if source.startswith((".", "/", "~")):
            sources.append((COMPOSE_FILE.parent / Path(source).expanduser()).resolve())
    return sources


def gateway_config(services: dict[str, dict[str, Any]]) -> Path:
    """The nginx config file the gateway mounts into its conf.d (or as its nginx.conf)."""
    gateway = services["gateway"]
    for volume in gateway.get("volumes") or []:
        source, _, target = str(volume).partition(":")
        if target.split(":", 1)[0].startswith("/etc/nginx/"):
            return (COMPOSE_FILE.parent / source).resolve()
    raise AssertionError("the gateway mounts no nginx config")


def test_every_service_is_built_from_its_own_dockerfile(services: dict[str, dict[str, Any]]) -> None:
    for name in SERVICES:
        assert name in services, f"{name} is missing from docker-compose.yml"
        context, dockerfile = build_of(services[name])
        assert context == ROOT, f"{name}: the build context must be the repository root (it needs libs/)"
        assert dockerfile == ROOT / "services" / name / "Dockerfile"
        assert dockerfile.is_file(), f"{dockerfile} does not exist"
        args = services[name]["build"].get("args") or {}
        assert args.get("SERVICE", name) == name


def test_the_service_dockerfiles_differ_only_in_their_service(services: dict[str, dict[str, Any]]) -> None:
    def normalised(name: str) -> str:
        text = (ROOT / "services" / name / "Dockerfile").read_text()
        assert f"ARG SERVICE={name}\n" in text, f"services/{name}/Dockerfile: ARG SERVICE={name} missing"
        return text.replace(f"ARG SERVICE={name}\n", "ARG SERVICE=<name>\n")

    first, *others = SERVICES
    for name in others:
        assert normalised(name) == normalised(first), f"services/{name}/Dockerfile drifted from {first}'s"
    text = normalised(first)
    assert "FROM python:3.11-slim" in text
    assert 'uv sync --frozen --no-dev --package "ruche-${SERVICE}"' in text
    assert "EXPOSE 8000" in text and "/healthz" in text
    assert re.search(r"^USER (?!root\b|0\b)\S+", text, re.M), "the image must not run as root"
    assert 'exec uvicorn \\"ruche_${RUCHE_SERVICE}.main:app\\" --host 0.0.0.0 --port 8000 --proxy-headers' in text


def test_service_environment_has_the_runners_keys_and_values(services: dict[str, dict[str, Any]]) -> None:
    for name in SERVICES:
        runner = service_environment(name, "dev", env={})  # env={}: not this shell's overrides
        env = environment_of(services[name])
        assert set(env) == set(runner) | {OTLP}, f"{name}: keys differ from the runner's"
        for key in SAME_AS_RUNNER:
            assert env[key] == runner[key], f"{name}: {key}={env[key]!r}, the runner gives {runner[key]!r}"


def test_service_environment_points_at_compose_services(services: dict[str, dict[str, Any]]) -> None:
    for name in SERVICES:
        env = environment_of(services[name])
        jwks = urlsplit(env["JWKS_URL"])
        assert (jwks.hostname, jwks.port, jwks.path) == ("identity", SERVICE_PORT, "/.well-known/jwks.json")
        assert "maxPoolSize" not in env["MONGODB_URL"], "maxPoolSize=1 is for FerretDB only"
        hosts = {
            "MONGODB_URL": urlsplit(env["MONGODB_URL"]).hostname,
            OTLP: urlsplit(env[OTLP]).hostname,
            "SMTP_HOST": env["SMTP_HOST"],
            **{
                f"KAFKA_BOOTSTRAP_SERVERS[{i}]": server.rsplit(":", 1)[0]
                for i, server in enumerate(env["KAFKA_BOOTSTRAP_SERVERS"].split(","))
            },
        }
        for key, host in hosts.items():
            assert host in services, f"{name}: {key} names {host!r}, which is no service of the compose file"
        assert int(env["SMTP_PORT"]) > 0


def test_the_onss_simulator_and_people_share_the_expeditors_key_pair(services: dict[str, dict[str, Any]]) -> None:
    """The ONSS simulator runs from its own Dockerfile, outside the gateway; a one-shot container makes the
    expeditor's key pair in a volume that the simulator and people mount, owned by the images' user."""
    onss, keys, people = services[ONSS], services["onss-keys"], services["people"]
    assert build_of(onss)[1] == build_of(keys)[1] == ROOT / "simulators" / "onss" / "Dockerfile"

    runner = service_environment("people", "dev", env={})
    env = environment_of(people)
    for key in ("DIMONA_TOKEN_URL", "DIMONA_API_URL"):
        url, local = urlsplit(env[key]), urlsplit(runner[key])
        assert (url.hostname, url.port, url.path) == (ONSS, SERVICE_PORT, local.path), key
    assert env["DIMONA_EXPEDITOR"] == runner["DIMONA_EXPEDITOR"]

    def mounts(service: dict[str, Any]) -> dict[str, str]:
        return {str(v).split(":")[1]: str(v).split(":")[0] for v in service.get("volumes") or []}

    volume = mounts(keys)["/onss"]
    assert volume in (yaml.safe_load(COMPOSE_FILE.read_text()).get("volumes") or {})
    assert mounts(onss)["/onss"] == mounts(people)["/onss"] == volume
    command = " ".join(keys["command"])
    private_key = env["DIMONA_PRIVATE_KEY_FILE"]
    keys_dir = environment_of(onss)["ONSS_KEYS_DIR"]
    assert f"ruche_onss.keys {keys_dir} {env['DIMONA_EXPEDITOR']} {private_key}" in command
    assert private_key.startswith("/onss/") and keys_dir.startswith("/onss/")
    for dockerfile in (ROOT / "services" / "people" / "Dockerfile", ROOT / "simulators" / "onss" / "Dockerfile"):
        user = re.search(r"^USER (\S+)", dockerfile.read_text(), re.M)
        assert user and f"chown -R {user.group(1)} /onss" in command, f"the key pair is not {dockerfile}'s user's"

    assert people["depends_on"]["onss-keys"]["condition"] == "service_completed_successfully"
    assert people["depends_on"][ONSS]["condition"] == "service_healthy"
    assert f"/{ONSS}/" not in dict(PROXY_PASS.findall(gateway_config(services).read_text()))


def test_every_dependency_is_a_defined_service(services: dict[str, dict[str, Any]]) -> None:
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        depends_on = service.get("depends_on") or {}
        for dependency in depends_on:
            assert dependency in services, f"{name} depends on {dependency!r}, which is not defined"
            if isinstance(depends_on, dict):
                condition = (depends_on[dependency] or {}).get("condition", "service_started")
                assert condition in conditions, f"{name} -> {dependency}: unknown condition {condition!r}"
                if condition == "service_healthy":
                    assert "healthcheck" in services[dependency] or dependency in SERVICES, (
                        f"{name} waits for {dependency} to be healthy, which has no healthcheck"
                    )


def test_every_mounted_or_built_file_exists(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if "build" in service:
            context, dockerfile = build_of(service)
            assert context.is_dir(), f"{name}: build context {context} does not exist"
            assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"
        for source in bind_sources(service):
            assert source.exists(), f"{name} mounts {source}, which does not exist"
    assert (ROOT / ".dockerignore").is_file()


def test_gateway_routes_each_prefix_to_its_service(services: dict[str, dict[str, Any]]) -> None:
    config = gateway_config(services)
    assert config.is_file()
    text = config.read_text()
    routes = dict(PROXY_PASS.findall(text))
    for name in SERVICES:
        # The trailing "/" strips the prefix, as in the runner's nginx.conf.tmpl.
        assert routes.get(f"/{name}/") == f"http://{name}:{SERVICE_PORT}/", f"/{name}/ is not routed to {name}"
        assert f"set $ruche_prefix /{name};" in text
    assert "location = /healthz" in text
    assert ":8080" in str(services["gateway"].get("ports")), "the gateway must be published on 8080"


def test_both_gateways_include_the_same_shared_config(services: dict[str, dict[str, Any]]) -> None:
    """Headers, log format and the gateway's own problem+json errors live in two shared files that both the
    runner's gateway and compose's include, so the two cannot drift apart."""
    template, compose = GATEWAY_TEMPLATE.read_text(), gateway_config(services).read_text()
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in services["gateway"].get("volumes") or []}
    for shared in ("gateway-http.conf", "gateway-server.conf"):
        assert f"include {{{{infra_dir}}}}/nginx/{shared};" in template
        assert f"include /etc/nginx/ruche/{shared};" in compose
        assert mounts[f"/etc/nginx/ruche/{shared}"] == f"./infra/nginx/{shared}"
    assert PROXY_HEADER.findall((ROOT / "infra" / "nginx" / "gateway-server.conf").read_text())


def test_nginx_accepts_the_gateway_config(services: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    # Compose names do not resolve here, and nginx resolves proxy_pass hosts while it checks.
    server = re.sub(r"http://(\w+):8000", "http://127.0.0.1:8000", gateway_config(services).read_text())
    server = server.replace("/etc/nginx/ruche/", f"{ROOT / 'infra' / 'nginx'}/")
    temp_paths = ""
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / temp).mkdir()
        temp_paths += f"{temp}_temp_path {tmp_path / temp};\n"
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\nhttp {{\naccess_log off;\n{temp_paths}{server}\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-q", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_accepts_the_file() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker CLI")
    if subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode != 0:
        pytest.skip("the docker CLI has no compose plugin")
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
