import io
import json
import logging

from ruche_servicekit.logs import REDACTED, scrub, setup_logging


def test_niss_in_any_form_is_scrubbed_from_text() -> None:
    for niss in ("85073003328", "85.07.30-033.28", "85 07 30 033 28"):
        assert scrub(f"worker {niss} refused") == f"worker {REDACTED} refused"
    assert scrub("order 1234567890123 shipped") == "order 1234567890123 shipped"  # 13 digits: not a NISS


def test_sensitive_keys_are_redacted_at_any_depth() -> None:
    assert scrub({"user": {"password": "hunter22", "name": "An"}, "niss": "x"}) == {
        "user": {"password": REDACTED, "name": "An"},
        "niss": REDACTED,
    }


def test_log_lines_are_json_without_personal_data() -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        _check_json_line()
    finally:
        root.handlers[:], root.level = saved_handlers, saved_level


def _check_json_line() -> None:
    setup_logging("people")
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)  # type: ignore[attr-defined]
    logging.getLogger("x").warning("refused %s", "85073003328", extra={"address": "Rue Haute 1", "worker_id": "w1"})
    line = json.loads(stream.getvalue())
    assert line["service"] == "people"
    assert line["level"] == "WARNING"
    assert line["message"] == f"refused {REDACTED}"
    assert line["address"] == REDACTED
    assert line["worker_id"] == "w1"
