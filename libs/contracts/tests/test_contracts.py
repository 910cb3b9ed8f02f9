import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from ruche_contracts import ALL_TOPICS, CloudEvent, all_payload_types, new_event, to_wire, topic_for
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_contracts.schemas import breaking_changes, event_schema, snapshot_name

SNAPSHOTS = Path(__file__).parents[1] / "schemas"


def contract_signed() -> ContractSigned:
    return ContractSigned(
        worker_id="w1",
        contract_id="c1",
        start_date=date(2026, 3, 1),
        contract_type="indefinite",
        weekly_hours=Decimal("38"),
        gross_monthly_salary=Decimal("3200.50"),
        joint_committee="200",
        worker_type="OTH",
    )


def test_an_event_round_trips_through_its_wire_form() -> None:
    event = new_event(contract_signed(), tenant="0403019261", subject="w1")
    decoded = CloudEvent[ContractSigned].model_validate_json(to_wire(event))
    assert decoded == event
    wire = json.loads(to_wire(event))
    assert wire["specversion"] == "1.0"
    assert wire["type"] == "be.ruche.people.contract-signed.v1"
    assert wire["source"] == "/ruche/people"
    assert wire["tenant"] == "0403019261"
    assert "traceparent" not in wire  # absent extensions are left out, not sent as null


def test_payloads_are_frozen() -> None:
    with pytest.raises(ValidationError):
        contract_signed().worker_id = "other"  # type: ignore[misc]


def test_an_envelope_without_a_valid_tenant_is_refused() -> None:
    event = json.loads(to_wire(new_event(contract_signed(), tenant="0403019261", subject="w1")))
    event["tenant"] = "12"
    with pytest.raises(ValidationError, match="tenant"):
        CloudEvent[ContractSigned].model_validate(event)


def test_fields_added_by_a_newer_producer_are_ignored() -> None:
    event = json.loads(to_wire(new_event(contract_signed(), tenant="0403019261", subject="w1")))
    event["data"]["shiny_new_field"] = 1
    event["newextension"] = "x"
    assert CloudEvent[ContractSigned].model_validate(event).data == contract_signed()


def test_every_payload_is_on_exactly_one_topic_with_a_key_it_has() -> None:
    seen = [p for t in ALL_TOPICS for p in t.payloads]
    assert len(seen) == len(set(seen))
    for topic in ALL_TOPICS:
        assert topic.dlq == f"{topic.name}.dlq"
        for payload in topic.payloads:
            assert topic.key in payload.model_fields
            assert topic_for(payload) is topic
            assert payload.event_type.startswith(f"be.ruche.{payload.producer}.")
            assert payload.event_type.rsplit(".", 1)[-1].startswith("v")


def test_worker_events_share_a_topic_so_their_order_holds() -> None:
    assert topic_for(WorkerRegistered) is topic_for(ContractSigned)


@pytest.mark.parametrize("payload_type", all_payload_types(), ids=lambda p: p.event_type)
def test_schema_snapshot_is_committed_and_the_model_is_compatible_with_it(payload_type) -> None:
    path = SNAPSHOTS / snapshot_name(payload_type)
    assert path.exists(), f"no snapshot for {payload_type.event_type}: run `make schemas` and commit it"
    committed = json.loads(path.read_text())
    current = event_schema(payload_type)
    assert breaking_changes(committed, current) == []
    assert committed == json.loads(json.dumps(current, sort_keys=True)), (
        "the schema changed compatibly: run `make schemas` and commit the new snapshot"
    )


# The compatibility check itself, on the real committed schema of a real event.
@pytest.fixture
def schema() -> dict:
    return json.loads((SNAPSHOTS / snapshot_name(ContractSigned)).read_text())


def payload_def(schema: dict) -> dict:
    return schema["$defs"]["ContractSigned"]


def test_a_removed_field_is_breaking(schema) -> None:
    new = copy.deepcopy(schema)
    del payload_def(new)["properties"]["joint_committee"]
    payload_def(new)["required"].remove("joint_committee")
    assert breaking_changes(schema, new) == ["field 'data.joint_committee' was removed or renamed"]


def test_a_renamed_field_is_breaking(schema) -> None:
    new = copy.deepcopy(schema)
    props = payload_def(new)["properties"]
    props["committee"] = props.pop("joint_committee")
    assert "field 'data.joint_committee' was removed or renamed" in breaking_changes(schema, new)


def test_a_changed_type_is_breaking(schema) -> None:
    new = copy.deepcopy(schema)
    payload_def(new)["properties"]["start_date"] = {"type": "integer"}
    assert breaking_changes(schema, new) == ["field 'data.start_date' changed type"]


def test_a_new_required_field_is_breaking(schema) -> None:
    new = copy.deepcopy(schema)
    payload_def(new)["properties"]["site"] = {"type": "string"}
    payload_def(new)["required"].append("site")
    assert breaking_changes(schema, new) == ["field 'data.site' is newly required"]


def test_a_new_optional_field_is_compatible(schema) -> None:
    new = copy.deepcopy(schema)
    payload_def(new)["properties"]["site"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
    assert breaking_changes(schema, new) == []


def test_an_envelope_field_removed_is_breaking(schema) -> None:
    new = copy.deepcopy(schema)
    del new["properties"]["tenant"]
    assert "field 'tenant' was removed or renamed" in breaking_changes(schema, new)


def _worker_registered(**overrides: object) -> dict[str, object]:
    return {
        "worker_id": "w1",
        "first_name": "Ada",
        "last_name": "Peeters",
        "niss": "85073003328",
        "birth_date": "1985-07-30",
        "sex": "M",
        "nationality": "BE",
        "work_email": "ada@example.be",
    } | overrides


def test_a_niss_with_a_wrong_checksum_is_refused_by_the_contract_not_only_a_wrong_length() -> None:
    assert WorkerRegistered.model_validate(_worker_registered()).niss == "85073003328"
    with pytest.raises(ValidationError, match="niss"):
        WorkerRegistered.model_validate(_worker_registered(niss="85073003329"))  # 11 digits, bad check digits
    with pytest.raises(ValidationError, match="niss"):
        WorkerRegistered.model_validate(_worker_registered(niss="85.07.30-033.28"))  # not the stored form


def test_an_envelope_whose_tenant_fails_the_enterprise_number_checksum_is_refused() -> None:
    event = json.loads(to_wire(new_event(contract_signed(), tenant="0403019261", subject="w1")))
    event["tenant"] = "0403019262"
    with pytest.raises(ValidationError, match="tenant"):
        CloudEvent[ContractSigned].model_validate(event)
