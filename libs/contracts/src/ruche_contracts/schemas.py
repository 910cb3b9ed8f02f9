"""JSON Schema snapshots of every event, and the check that a change to them stays backward compatible.

The committed snapshots (`libs/contracts/schemas/<event type>.json`) are what consumers rely on. A change
is backward compatible when every message valid for the old schema still reads with the new one and every
field consumers read is still there: no field removed or renamed, no type changed, no new required field.
Run `python -m ruche_contracts.schemas <dir>` to rewrite the snapshots after an additive change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .envelope import CloudEvent, Payload
from .topics import all_payload_types

Schema = dict[str, Any]


def event_schema(payload_type: type[Payload]) -> Schema:
    schema = CloudEvent[payload_type].model_json_schema()  # type: ignore[valid-type]
    schema["title"] = payload_type.event_type
    return schema


def snapshot_name(payload_type: type[Payload]) -> str:
    return f"{payload_type.event_type}.json"


def write_snapshots(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for payload_type in all_payload_types():
        path = directory / snapshot_name(payload_type)
        path.write_text(json.dumps(event_schema(payload_type), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What in `new` breaks producers or consumers written against `old` (empty when compatible)."""
    problems: list[str] = []
    _compare_objects(old, old, new, new, "", problems)
    return problems


def _resolve(node: Schema, root: Schema) -> Schema:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = root.get("$defs", {})[name]
    return node


def _type_signature(node: Schema, root: Schema) -> frozenset[str]:
    node = _resolve(node, root)
    if "anyOf" in node or "oneOf" in node:
        parts = node.get("anyOf") or node.get("oneOf") or []
        return frozenset().union(*(_type_signature(part, root) for part in parts))
    kind = node.get("type", "any")
    if "const" in node or "enum" in node:
        kind = f"{kind}:{sorted(map(str, node.get('enum', [node.get('const')])))}"
    if "format" in node:
        kind = f"{kind}:{node['format']}"
    return frozenset([kind])


def _compare_objects(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, problems: list[str]
) -> None:
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, old_prop in old_props.items():
        where = f"{path}{name}"
        if name not in new_props:
            problems.append(f"field '{where}' was removed or renamed")
            continue
        new_prop = new_props[name]
        if _type_signature(old_prop, old_root) != _type_signature(new_prop, new_root):
            problems.append(f"field '{where}' changed type")
            continue
        if _resolve(old_prop, old_root).get("type") == "object" or "properties" in _resolve(old_prop, old_root):
            _compare_objects(old_prop, old_root, new_prop, new_root, f"{where}.", problems)
    for name in sorted(new_required - old_required):
        problems.append(f"field '{path}{name}' is newly required")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "schemas"
    for written in write_snapshots(target):
        print(written)
