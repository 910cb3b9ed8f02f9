"""People and contracts in the browser, as the seed's "add a new worker" goes (issue 8): HR adds a worker in two
steps and chooses the self-service link; the new hire opens the e-mailed link in a browser of their own, saves a
draft and submits; HR sees where each value came from, corrects one and validates; HR records a contract through
the form (the payroll provider first; a zero salary and an end before the start are refused next to their inputs,
in French) and its page shows the Dimona accepted by the simulator. A used, withdrawn, expired or unknown link
says so. Everything goes through the pages; only the link's expiry is set in the database, as 14 days would."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from playwright.async_api import Browser, Locator, Page, expect
from pymongo import AsyncMongoClient
from ruche_console.i18n import Formats
from ruche_devstack.stack import Stack
from ruche_testing import eventually, random_niss, unique

from tests.e2e.support import Employer

from .conftest import Shoot, mailed_link, new_context, submit

FR = Formats("fr")
IBAN = "BE71 0961 2345 6769"


def today() -> date:
    return datetime.now(UTC).date()


async def sign_in(page: Page, employer: Employer) -> None:
    await page.goto("/sign-in")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page.get_by_role("navigation", name="Principal")).to_be_visible()


def field_error(page: Page, name: str) -> Locator:
    return page.locator(f"#{name.replace('.', '-')}-error")


async def add_worker(page: Page, first_name: str, last_name: str) -> str:
    """Step one (names and work e-mail); returns the worker's id, the page left on step two."""
    await page.goto("/hr/workers")
    await page.get_by_role("link", name="Ajouter un travailleur").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un travailleur")
    await submit(
        page,
        {"first_name": first_name, "last_name": last_name, "work_email": f"{unique('w.')}@example.be"},
        button="Continuer",
    )
    await expect(page.locator(".hr-kicker")).to_have_text("Étape 2 sur 2")
    found = re.search(r"/hr/workers/([0-9a-f-]{36})/next$", page.url)
    assert found, page.url
    return found.group(1)


async def send_link(page: Page, email: str) -> None:
    """Step two's self-service choice."""
    await page.fill('[name="email"]', email)
    await page.select_option('[name="language"]', "fr")
    await page.get_by_role("button", name="Envoyer le lien").click()
    await expect(page.get_by_role("status").first).to_contain_text(f"a été envoyé à {email}")


async def test_hr_adds_a_worker_the_new_hire_fills_the_form_hr_validates_and_signs_a_contract(
    page: Page, browser: Browser, stack: Stack, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer)
    last_name = unique("Lambert-")
    worker_id = await add_worker(page, "Élodie", last_name)
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Données personnelles de Élodie {last_name}")
    await shoot(page, "people-add-step-two")
    private = f"{unique('elodie.')}@example.be"
    await send_link(page, private)
    await expect(page).to_have_url(f"/hr/workers/{worker_id}#onboarding")
    await expect(page.locator("#onboarding ~ dl.facts").first).to_contain_text("Lien envoyé, pas encore ouvert")
    await shoot(page, "people-worker-link-sent")

    # The new hire, in a browser of their own, opens the link of the real e-mail.
    link = await mailed_link(stack, private)
    path = urlsplit(link).path
    assert re.fullmatch(r"/onboarding/[\w-]+", path), link
    hire_context = await new_context(browser, stack)
    try:
        own = await hire_context.new_page()
        await own.goto(path)
        await expect(own.get_by_role("heading", level=1)).to_have_text("Bienvenue, Élodie")
        await expect(own.get_by_role("navigation", name="Principal")).to_have_count(0)
        await own.fill('[name="birth_place"]', "Liège")
        await own.get_by_role("button", name="Enregistrer le brouillon").click()
        await expect(own.get_by_role("status").first).to_contain_text("Votre brouillon est enregistré")
        await expect(own.locator('[name="birth_place"]')).to_have_value("Liège")
        birth = date(random.randint(1975, 1999), random.randint(1, 12), random.randint(1, 28))
        niss = random_niss(birth, "F")
        await own.select_option('[name="sex"]', "F")
        await own.select_option('[name="civil_status"]', "single")
        await own.select_option('[name="language"]', "fr")
        filled = {
            "niss": f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}",
            "birth_date": birth.isoformat(),
            "private_email": private,
            "mobile_phone": "0470 12 34 56",
            "iban": "BE71 0961 2345 6760",  # a wrong check digit: said next to the IBAN
            "address.street": "Rue Saint-Gilles",
            "address.number": "12",
            "address.postal_code": "4000",
            "address.municipality": "Liège",
        }
        await submit(own, filled, button="Envoyer à mon employeur")
        await expect(field_error(own, "iban")).to_contain_text("Ce n'est pas un IBAN valable")
        await expect(own.locator('[name="address.municipality"]')).to_have_value("Liège")
        await shoot(own, "people-onboarding-iban-error")
        await submit(own, {"iban": IBAN}, button="Envoyer à mon employeur")
        await expect(own.get_by_role("heading", level=1)).to_have_text("Merci : vos données sont envoyées")
        await shoot(own, "people-onboarding-done")
        await own.goto(path)  # the link is used now
        await expect(own.get_by_role("heading", level=1)).to_have_text("Ce lien a déjà été utilisé")
        await shoot(own, "people-onboarding-used")
    finally:
        await hire_context.close()

    # HR reviews: every value is the new hire's; the mobile number is corrected, then the data are validated.
    await page.goto(f"/hr/workers/{worker_id}")
    await expect(page.locator("#onboarding ~ dl.facts").first).to_contain_text("Soumis : à vérifier et valider")
    await page.get_by_role("link", name="Vérifier, corriger et valider").click()
    await expect(page.locator('[name="birth_place"]')).to_have_value("Liège")
    await expect(page.locator("#mobile_phone-hint")).to_contain_text("Donné par la nouvelle recrue.")
    await shoot(page, "people-onboarding-review")
    await page.fill('[name="mobile_phone"]', "0475 98 76 54")
    await page.get_by_role("button", name="Corriger et valider").click()
    await expect(page.get_by_role("status").first).to_contain_text("Les données personnelles sont validées")
    personal = page.locator("dl.hr-personal")
    await expect(personal).to_contain_text(FR.date(birth))
    await expect(personal).to_contain_text("BE71 0961 2345 6769")
    await expect(personal.locator("dd", has_text="+32 475 98 76 54").locator(".origin")).to_have_text("RH")
    await expect(personal.locator("dd", has_text="Liège").first.locator(".origin")).to_have_text("Nouvelle recrue")
    await expect(page.locator("#addresses ~ .table-wrap").first).to_contain_text("Rue Saint-Gilles 12, 4000 Liège")
    await shoot(page, "people-worker-validated")

    # The contract form: the provider first; a zero salary, then an end before the start, are refused in French.
    await page.get_by_role("link", name="Ajouter un contrat").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau contrat salarial")
    await expect(page.locator("#payroll_provider-ruche")).to_be_checked()
    await expect(page.locator('[name="joint_committee"] option[value="200"]')).to_have_count(1)
    start = today()
    await page.select_option('[name="contract_type"]', "fixed_term")
    terms = {
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=180)).isoformat(),
        "weekly_hours": "19",
        "schedule.mon": "7,6",
        "schedule.tue": "7,6",
        "schedule.wed": "3,8",
        "schedule.thu": "",
        "schedule.fri": "",
        "gross_monthly_salary": "0",
        "job_title": "Vendeuse",
    }
    await submit(page, terms, button="Enregistrer le contrat")
    await expect(field_error(page, "gross_monthly_salary")).to_have_text(
        "Un montant mensuel en euros, supérieur à 0, avec deux décimales au plus."
    )
    await expect(page.locator('[name="schedule.wed"]')).to_have_value("3,8")
    await shoot(page, "people-contract-salary-error")
    await submit(
        page,
        {"gross_monthly_salary": "1.650,00", "end_date": (start - timedelta(days=1)).isoformat()},
        button="Enregistrer le contrat",
    )
    await expect(field_error(page, "end_date")).to_have_text("La date de fin précède la date de début.")
    await shoot(page, "people-contract-end-error")
    await submit(page, {"end_date": (start + timedelta(days=180)).isoformat()}, button="Enregistrer le contrat")
    await expect(page.get_by_role("status").first).to_contain_text("Le contrat est enregistré")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Contrat à partir du {FR.date(start)}")
    facts = page.locator("#terms ~ dl.facts")
    await expect(facts).to_contain_text(FR.money("1650"))
    await expect(facts).to_contain_text("3,8")

    # The Dimona IN leaves by itself and the simulator accepts it: the page shows the answer and the period.
    async def accepted() -> bool:
        await page.reload()
        return await page.locator(".hr-dimona-state .tone-ok").count() > 0

    await eventually(accepted, what="the Dimona accepted on the contract's page", interval=0.5)
    await expect(page.locator(".hr-dimona-state")).to_contain_text("Acceptée")
    row = page.locator("table.hr-declarations tbody tr").first
    await expect(row).to_contain_text("IN")
    await expect(row.locator("td.hr-identifier")).to_have_text(re.compile(r"\d{12}"))
    await shoot(page, "people-contract")

    # The list: found by name and by NISS, in service today.
    await page.goto(f"/hr/workers?q={last_name[:8].lower()}")
    listed = page.locator("tbody tr", has=page.get_by_role("link", name=last_name))
    await expect(listed).to_have_count(1)
    await expect(listed).to_contain_text("En service")  # the status on today, without asking for one
    await page.goto(f"/hr/workers?niss={niss}&status=in_service")
    await expect(listed).to_contain_text("En service")
    await shoot(page, "people-workers")


async def test_a_withdrawn_an_expired_and_an_unknown_link_say_so(
    page: Page, browser: Browser, stack: Stack, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer)
    withdrawn_id = await add_worker(page, "Noah", unique("Peeters-"))
    withdrawn_mail = f"{unique('noah.')}@example.be"
    await send_link(page, withdrawn_mail)
    await page.get_by_role("button", name="Retirer le lien").click()
    await expect(page.get_by_role("status").first).to_contain_text("Le lien en libre-service est retiré")
    expired_id = await add_worker(page, "Lina", unique("Maes-"))
    expired_mail = f"{unique('lina.')}@example.be"
    await send_link(page, expired_mail)
    env = stack.service_environment("people")
    async with AsyncMongoClient(stack.mongodb_url) as client:  # 14 days later, as far as the link knows
        database = client[env.get("MONGODB_DATABASE", "people")]
        changed = await database["workers"].update_one(
            {"_id": expired_id}, {"$set": {"onboarding.expires_at": datetime.now(UTC) - timedelta(minutes=1)}}
        )
        assert changed.modified_count == 1

    visitor = await new_context(browser, stack)
    try:
        own = await visitor.new_page()
        response = await own.goto(urlsplit(await mailed_link(stack, withdrawn_mail)).path)
        assert response is not None and response.status == 410
        await expect(own.get_by_role("heading", level=1)).to_have_text("Ce lien a déjà été utilisé")
        response = await own.goto(urlsplit(await mailed_link(stack, expired_mail)).path)
        assert response is not None and response.status == 410
        await expect(own.get_by_role("heading", level=1)).to_have_text("Ce lien a expiré")
        await shoot(own, "people-onboarding-expired")
        response = await own.goto("/onboarding/not-a-link-anyone-was-given")
        assert response is not None and response.status == 404
        await expect(own.get_by_role("heading", level=1)).to_have_text("Ce lien n'existe pas")
        await shoot(own, "people-onboarding-unknown")
    finally:
        await visitor.close()
    assert withdrawn_id != expired_id


async def fill_personal_data(page: Page, worker_id: str, niss: str, birth: date) -> None:
    """HR fills in the personal data through the form (no self-service link)."""
    await page.goto(f"/hr/workers/{worker_id}/personal-data")
    await page.select_option('[name="sex"]', "M")
    fields = {
        "niss": niss,
        "birth_date": birth.isoformat(),
        "birth_place": "Gent",
        "private_email": f"{unique('jonas.')}@example.be",
        "mobile_phone": "0486 11 22 33",
        "iban": IBAN,
        "address.street": "Korenmarkt",
        "address.number": "5",
        "address.postal_code": "9000",
        "address.municipality": "Gent",
    }
    await submit(page, fields, button="Enregistrer les données personnelles")
    await expect(page.get_by_role("status").first).to_contain_text("Les données personnelles sont enregistrées")


async def submit_in(page: Page, form: str, fields: dict[str, str], button: str) -> None:
    """Open the folded form (`#amend`, `#end`, `#cancel`), fill it and send it."""
    section = page.locator(form)
    await section.locator("summary").click()
    for name, value in fields.items():
        await section.locator(f'[name="{name}"]').fill(value)
    await section.get_by_role("button", name=button, exact=True).click()


async def state_reached(page: Page, state: str) -> None:
    """The contract's page, reloaded until its Dimona shows `state` (the dispatcher and ONSS answer by themselves)."""

    async def shown() -> bool:
        await page.reload()
        return (await page.locator(".hr-dimona-state .tag").first.inner_text()).strip() == state

    await eventually(shown, what=f"the Dimona {state!r} on the contract's page", interval=0.5)


async def test_readiness_a_refused_dimona_declared_again_an_amendment_an_early_end_and_a_cancel(
    page: Page, stack: Stack, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer)
    last_name = unique("Janssens-")
    worker_id = await add_worker(page, "Jonas", last_name)

    # A contract before the personal data: the page lists what is missing before the Dimona.
    start = today() + timedelta(days=10)
    await page.goto(f"/hr/workers/{worker_id}/contracts/new")
    await expect(page.locator(".flash.info")).to_contain_text("ne sont pas encore complètes")
    await submit(
        page, {"start_date": start.isoformat(), "gross_monthly_salary": "2.900"}, button="Enregistrer le contrat"
    )
    await expect(page.locator(".hr-dimona-state")).to_contain_text("En attente de données")
    await expect(page.locator("#terms ~ dl.facts")).to_contain_text(FR.money("2900"))  # 2.900 is two thousand
    await expect(page.locator(".hr-missing li").first).to_be_visible()
    await expect(page.locator(".hr-missing")).to_contain_text("Compléter les données personnelles")
    await shoot(page, "people-contract-readiness")
    contract_url = page.url

    # ONSS will refuse the first declaration about this worker (the simulator's scenario), then the data come.
    birth = date(random.randint(1975, 1999), random.randint(1, 12), random.randint(1, 28))
    niss = random_niss(birth, "M")
    async with httpx.AsyncClient(base_url=stack.onss_url, timeout=10) as onss:
        answer = await onss.post(
            "/_simulator/scenarios", json={"ssin": niss, "result": "B", "anomalies": ["00030-002"]}
        )
        assert answer.status_code == 204, answer.text
    await fill_personal_data(page, worker_id, niss, birth)

    # What was true on a date: nothing before the address was given, the address since.
    lookup = page.locator(".hr-on-date")
    await page.fill("#on", (today() - timedelta(days=1)).isoformat())
    await page.get_by_role("button", name="Consulter").click()
    await expect(lookup).to_contain_text(f"Adresse le {FR.date(today() - timedelta(days=1))}")
    await expect(lookup.locator("dd").first).to_have_text("aucun(e) connu(e)")
    await expect(lookup.locator("dd").last).to_have_text("Célibataire")  # single since birth
    await page.fill("#on", today().isoformat())
    await page.get_by_role("button", name="Consulter").click()
    await expect(lookup.locator("dd").first).to_contain_text("Korenmarkt 5, 9000 Gent")
    await shoot(page, "people-worker-on-date")
    await page.goto(contract_url)
    await state_reached(page, "Refusée")
    row = page.locator("table.hr-declarations tbody tr").first
    await expect(row).to_contain_text("00030-002")
    await expect(row).to_contain_text("La date de début est trop ancienne pour une déclaration électronique.")
    await shoot(page, "people-contract-refused")
    await page.get_by_role("button", name="Déclarer à nouveau").click()
    await expect(page.get_by_role("status").first).to_contain_text("La déclaration est renvoyée")
    await state_reached(page, "Acceptée")
    await expect(page.locator("table.hr-declarations tbody tr")).to_have_count(2)

    # An amendment gives the contract an end: a new version, and an UPDATE.
    end = start + timedelta(days=90)
    amended = {"effective_date": (start + timedelta(days=1)).isoformat(), "end_date": end.isoformat()}
    await submit_in(page, "#amend", amended, "Enregistrer l'avenant")
    await expect(page.get_by_role("status").first).to_contain_text("L'avenant est enregistré")
    await expect(page.locator("#versions + .table-wrap tbody tr")).to_have_count(2)
    await state_reached(page, "Acceptée")
    await expect(page.locator("table.hr-declarations tbody tr").first).to_contain_text("UPDATE")

    # An early end: an OUT.
    last_day = start + timedelta(days=30)
    ending = {"end_date": last_day.isoformat(), "reason": "Fin de commun accord"}
    await submit_in(page, "#end", ending, "Mettre fin au contrat")
    await expect(page.get_by_role("status").first).to_contain_text("Le contrat prend fin à la date indiquée.")
    await expect(page.locator("#terms ~ dl.facts")).to_contain_text("Fin de commun accord")

    async def out_declared() -> bool:
        await page.reload()
        first = page.locator("table.hr-declarations tbody tr").first
        return "OUT" in await first.inner_text() and await first.locator(".tone-ok").count() > 0

    await eventually(out_declared, what="the OUT accepted", interval=0.5)
    await shoot(page, "people-contract-ended")

    # A contract with another payroll provider, after this one, cancelled before it starts: Ruche declares nothing.
    await page.goto(f"/hr/workers/{worker_id}/contracts/new")
    await page.locator("#payroll_provider-other").check()
    later = last_day + timedelta(days=20)
    await submit(
        page, {"start_date": later.isoformat(), "gross_monthly_salary": "2.900"}, button="Enregistrer le contrat"
    )
    await expect(page.get_by_role("status").first).to_contain_text("Ruche ne déclarera pas sa Dimona")
    await expect(page.locator(".hr-dimona .hr-empty")).to_contain_text("Ruche ne déclare pas sa Dimona")
    await submit_in(page, "#cancel", {"reason": "Le travailleur a renoncé"}, "Annuler le contrat")
    await expect(page.get_by_role("status").first).to_contain_text("Le contrat est annulé")
    await expect(page.get_by_role("heading", level=1).locator(".tag")).to_have_text("Annulé")
    await shoot(page, "people-contract-cancelled")
    await page.goto(f"/hr/workers/{worker_id}")
    await expect(page.locator("#contracts + .table-wrap tbody tr")).to_have_count(2)
