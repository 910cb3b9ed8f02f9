from ruche_devstack import APPS, DEV, SERVICES, TEST, ephemeral_profile, service_environment

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


def test_every_service_gets_the_same_keys_and_identity_its_operator() -> None:
    for profile in (DEV, TEST):
        for name in SERVICES:
            extra = {"OPERATOR_USERNAME", "OPERATOR_PASSWORD"} if name == "identity" else set()
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
    }


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
        assert len(ports) == len(set(ports)) == 5 + len(APPS)
    assert not set(DEV.named_ports().values()) & set(TEST.named_ports().values())
