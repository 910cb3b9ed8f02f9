"""Port profiles: "dev" for `make up`, "test" for the e2e suite, and throwaway ones for self-tests."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass, field

SERVICES: tuple[str, ...] = ("identity", "people", "calendar", "presence", "vault")
CONSOLE = "console"  # the web console: a client of the gateway, behind it at "/"
APPS: tuple[str, ...] = (*SERVICES, CONSOLE)  # every process the runner starts behind the gateway
ONSS = "onss"  # the ONSS simulator (simulators/onss): an outside system, on its own port, not behind the gateway
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Profile:
    name: str
    kafka: int
    kafka_controller: int
    ferretdb: int
    smtp: int
    gateway: int
    onss: int
    services: Mapping[str, int] = field(default_factory=dict)

    def service_port(self, name: str) -> int:
        try:
            return self.services[name]
        except KeyError:
            raise KeyError(f"profile {self.name!r} has no port for service {name!r}") from None

    def named_ports(self) -> dict[str, int]:
        """Every port of the profile, keyed by what listens on it."""
        ports = {
            "kafka": self.kafka,
            "kafka-controller": self.kafka_controller,
            "ferretdb": self.ferretdb,
            "smtp": self.smtp,
            "gateway": self.gateway,
            ONSS: self.onss,
        }
        ports.update(self.services)
        return ports


def _services_from(first_port: int) -> dict[str, int]:
    return {name: first_port + offset for offset, name in enumerate(APPS)}


DEV = Profile(
    "dev",
    kafka=19092,
    kafka_controller=19093,
    ferretdb=27018,
    smtp=8025,
    gateway=8080,
    onss=8101 + len(APPS),  # 8107, people's default DIMONA_* URLs
    services=_services_from(8101),
)
TEST = Profile(
    "test",
    kafka=29092,
    kafka_controller=29093,
    ferretdb=27028,
    smtp=28025,
    gateway=18080,
    onss=18101 + len(APPS),
    services=_services_from(18101),
)
PROFILES: dict[str, Profile] = {DEV.name: DEV, TEST.name: TEST}


def get_profile(profile: Profile | str) -> Profile:
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}") from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def ephemeral_profile(name: str = "ephemeral") -> Profile:
    """A profile on currently free ports, so a self-test never collides with a running dev or test stack."""
    ports = [free_port() for _ in range(6 + len(APPS))]
    if len(set(ports)) != len(ports):
        return ephemeral_profile(name)
    kafka, controller, ferretdb, smtp, gateway, onss, *service_ports = ports
    return Profile(
        name,
        kafka=kafka,
        kafka_controller=controller,
        ferretdb=ferretdb,
        smtp=smtp,
        gateway=gateway,
        onss=onss,
        services=dict(zip(APPS, service_ports, strict=True)),
    )


def port_in_use(port: int, host: str = HOST) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
        return False
