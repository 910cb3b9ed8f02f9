"""Personal data never appears in a log line: not the NISS, not the password, not the address."""

from __future__ import annotations

from ruche_devstack.stack import Stack

from .support import Employer, eventually, personal_data, random_niss, worker_body
from .test_hiring_flow import declare_workplace


async def test_no_niss_password_or_address_reaches_the_logs(stack: Stack, employer: Employer) -> None:
    niss = random_niss(sex="M")
    data = personal_data(niss=niss, sex="M", birth_date=f"19{niss[:2]}-{niss[2:4]}-{niss[4:6]}")
    body = worker_body(personal_data=data)
    created = await employer.post("/people/workers", body)
    assert created.status_code == 201, created.text
    wrong_checksum = niss[:9] + f"{(int(niss[9:]) + 1) % 100:02d}"
    wrong = worker_body(personal_data=data | {"niss": wrong_checksum})
    assert (await employer.post("/people/workers", wrong)).status_code == 422
    assert (await employer.post("/people/workers", body)).status_code == 409  # a refusal about that NISS
    await declare_workplace(employer)

    async def vault():
        return (await employer.get(f"/vault/workers/{created.json()['worker_id']}/vault")).status_code == 200

    await eventually(vault, what="the consumers to have handled the worker")
    # A NISS in a query string and a reset token in a path reach the gateway and the services' logs as well.
    assert (await employer.get("/identity/users", params={"niss": niss})).status_code == 200
    token = "Qx7" + "r" * 40  # shaped like a reset link's token
    assert (await employer.client.get(f"/identity/employees/password-reset/{token}")).status_code == 400
    secrets = {
        token,
        niss,
        wrong_checksum,
        f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}",
        employer.password,
        "Avenue Fonsny 47",
        data["iban"],
        data["address"]["street"],
    }
    logs = sorted(stack.logs_dir.glob("*.log"))
    assert any(p.name.startswith("people") for p in logs) and any(p.name == "nginx-access.log" for p in logs)
    for path in logs:
        text = path.read_text(errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path.name} contains personal data"
