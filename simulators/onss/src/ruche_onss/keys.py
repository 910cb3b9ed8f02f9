"""An expeditor's key pair for local use: `python -m ruche_onss.keys <keys dir> <expeditor> <private key path>`
writes the private key where the declaring service reads it, and the public key where the simulator looks for
it (as registering a certificate in Chaman would). Kept if both exist already."""

from __future__ import annotations

import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def ensure_key_pair(keys_dir: Path, expeditor: str, private_key_path: Path) -> None:
    public_path = keys_dir / f"{expeditor}.pem"
    if public_path.is_file() and private_key_path.is_file():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_key_path.parent.mkdir(parents=True, exist_ok=True)
    private_key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_key_path.chmod(0o600)
    keys_dir.mkdir(parents=True, exist_ok=True)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


if __name__ == "__main__":
    ensure_key_pair(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
