import re
from pathlib import Path

import pytest
from ruche_devstack import DEV, SERVICES, kafka
from ruche_devstack.gateway import check_config, write_config
from ruche_devstack.provision import ensure_nginx
from ruche_devstack.templates import render

PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")


def test_render_fills_placeholders_and_refuses_missing_ones() -> None:
    assert render("a {{x}} b {{ y }} $host", {"x": 1, "y": "two"}) == "a 1 b two $host"
    with pytest.raises(KeyError, match="y"):
        render("{{x}} {{y}}", {"x": 1})


def test_kafka_config_is_single_node_kraft(tmp_path: Path) -> None:
    config = kafka.write_config(tmp_path, DEV).read_text()
    assert "controller.quorum.voters=1@127.0.0.1:19093" in config
    assert "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093" in config
    assert f"log.dirs={tmp_path / 'data'}" in config
    assert not PLACEHOLDER.search(config)
    assert (tmp_path / "log4j2.properties").is_file()


def test_nginx_config_renders_and_nginx_accepts_it(tmp_path: Path) -> None:
    config = write_config(tmp_path / "nginx", tmp_path / "logs", DEV)
    text = config.read_text()
    assert "listen 127.0.0.1:8080;" in text
    for name in SERVICES:
        assert f"location /{name}/ {{" in text
        assert f"proxy_pass http://127.0.0.1:{DEV.service_port(name)}/;" in text
    assert not PLACEHOLDER.search(text)
    check_config(ensure_nginx(), config)
