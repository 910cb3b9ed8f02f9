from pathlib import Path

from ruche_devstack import APPS, DEV, ONSS, SERVICES, TEST, ephemeral_profile, service_environment
from ruche_devstack.paths import repo_root

EXPECTED_KEYS = {
    "KAFKA_BOOTSTRAP_SERVERS",
    "MONGODB_URL",
    "MONGODB_DATABASE",
    "JWKS_URL",
    "PUBLIC_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SERVICE_NAME",
    "ROOT_PATH",
    "LOG_LEVEL",
}
DIMONA_KEYS = {"DIMONA_TOKEN_URL", "DIMONA_API_URL", "DIMONA_EXPEDITOR", "DIMONA_PRIVATE_KEY_FILE"}


def test_every_service_gets_the_same_keys_and_identity_its_operator() -> None:
    for profile in (DEV, TEST):
        for name in SERVICES:
            extra = {
                "identity": {"OPERATOR_USERNAME", "OPERATOR_PASSWORD"},
                "people": DIMONA_KEYS,  # its Dimona client, pointed at the ONSS simulator
            }.get(name, set())
            assert set(service_environment(name, profile, env={})) == EXPECTED_KEYS | extra


def test_the_operator_password_can_be_given() -> None:
    assert (
        service_environment("identity", "dev", env={"RUCHE_OPERATOR_PASSWORD": "s3cret phrase"})["OPERATOR_PASSWORD"]
        == "s3cret phrase"
    )


def test_dev_values() -> None:
    env = service_environment("people", "dev", env={})
    assert env == {
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092",
        "MONGODB_URL": "mongodb://127.0.0.1:27018/?directConnection=true&maxPoolSize=1",
        "MONGODB_DATABASE": "ruche_people",
        "JWKS_URL": "http://127.0.0.1:8101/.well-known/jwks.json",
        "PUBLIC_URL": "http://127.0.0.1:8080",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": "8025",
        "SERVICE_NAME": "people",
        "ROOT_PATH": "/people",
        "LOG_LEVEL": "INFO",
        "DIMONA_TOKEN_URL": "http://127.0.0.1:8107/REST/oauth/v3/token",
        "DIMONA_API_URL": "http://127.0.0.1:8107/REST/dimona/v1",
        "DIMONA_EXPEDITOR": "123456",
        "DIMONA_PRIVATE_KEY_FILE": str(repo_root() / ".run" / "dev" / "onss" / "expeditor.pem"),
    }


def test_people_and_the_simulator_share_the_expeditors_key_pair_in_the_run_dir(tmp_path: Path) -> None:
    people = service_environment("people", TEST, env={}, run_dir=tmp_path)
    onss = service_environment(ONSS, TEST, env={}, run_dir=tmp_path)

    assert people["DIMONA_TOKEN_URL"] == f"http://127.0.0.1:{TEST.onss}/REST/oauth/v3/token"
    assert people["DIMONA_API_URL"] == f"http://127.0.0.1:{TEST.onss}/REST/dimona/v1"
    assert Path(people["DIMONA_PRIVATE_KEY_FILE"]).parent == Path(onss["ONSS_KEYS_DIR"]).parent == tmp_path / "onss"
    assert onss == {"ONSS_KEYS_DIR": str(tmp_path / "onss" / "keys")}


def test_test_profile_points_at_test_ports() -> None:
    env = service_environment("vault", "test", env={})
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:29092"
    assert env["MONGODB_URL"] == "mongodb://127.0.0.1:27028/?directConnection=true&maxPoolSize=1"
    assert env["JWKS_URL"] == "http://127.0.0.1:18101/.well-known/jwks.json"
    assert env["SMTP_PORT"] == "28025"


def test_external_infra_and_otel_come_from_the_runner_environment() -> None:
    outer = {
        "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
        "MONGODB_URL": "mongodb://mongo/",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318",
        "UNRELATED": "x",
    }
    env = service_environment("calendar", "dev", env=outer)
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env["MONGODB_URL"] == "mongodb://mongo/"
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel:4318"
    assert set(env) == EXPECTED_KEYS | {"OTEL_EXPORTER_OTLP_ENDPOINT"}


def test_profiles_have_distinct_ports() -> None:
    for profile in (DEV, TEST, ephemeral_profile()):
        ports = list(profile.named_ports().values())
        assert len(ports) == len(set(ports)) == 6 + len(APPS)  # infrastructure, gateway, ONSS, apps
    assert not set(DEV.named_ports().values()) & set(TEST.named_ports().values())
