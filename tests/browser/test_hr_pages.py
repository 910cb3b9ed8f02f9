"""HR in the browser, as the employer's access manager (who holds every application's widest profile): adds a
worker in two steps and fills in the personal data (a bad NISS is said next to its field, in French), records a
contract through the form, sees the month calendar the events build from its schedule, declares a workplace,
registers a presence and keeps the receipt, and prints the enrollment letter. (The self-service link, the
contract's Dimona and the link pages are tests/browser/test_people_pages.py.)"""

from __future__ import annotations

import random
import re
from datetime import date

from babel.dates import format_date
from playwright.async_api import Locator, Page, expect
from ruche_console.i18n import Formats
from ruche_testing import eventually, random_niss, unique

from tests.e2e.support import Employer, hire
from tests.e2e.test_hiring_flow import today

from .conftest import Shoot, submit

FR = Formats("fr")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre")
MONTHS_FR += ("novembre", "décembre")


async def sign_in(page: Page, employer: Employer) -> None:
    await page.goto("/sign-in")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page.get_by_role("navigation", name="Principal")).to_be_visible()


def field_error(page: Page, name: str) -> Locator:
    return page.locator(".field", has=page.locator(f'[name="{name}"]')).locator(".error")


async def test_hr_adds_a_worker_signs_a_contract_sees_the_calendar_and_registers_a_presence(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer)
    await page.get_by_role("navigation", name="Principal").get_by_role("link", name="Travailleurs").click()
    await expect(page).to_have_url("/hr/workers")
    await expect(page.locator("main")).to_contain_text("Aucun travailleur n'est encore enregistré.")
    await shoot(page, "hr-workers-empty")

    # A worker in two steps: names and work e-mail, then HR fills in the personal data (no self-service link);
    # a NISS with wrong check digits is refused next to its field, the rest kept.
    await page.get_by_role("link", name="Ajouter un travailleur").first.click()
    await expect(page).to_have_url("/hr/workers/new")
    last_name = unique("Dubois-")
    await submit(
        page,
        {"first_name": "Élodie", "last_name": last_name, "work_email": f"{unique('elodie.')}@example.be"},
        button="Continuer",
    )
    await page.get_by_role("link", name="Compléter les données personnelles").click()
    worker_id = page.url.rsplit("/", 2)[-2]
    birth = date(random.randint(1970, 1999), random.randint(1, 12), random.randint(1, 28))
    niss = random_niss(birth, "F")
    fields = {
        "niss": niss[:9] + f"{(int(niss[9:]) + 1) % 100:02d}",
        "birth_date": birth.isoformat(),
        "birth_place": "Liège",
        "private_email": f"{unique('elodie.')}@example.be",
        "mobile_phone": "0470 12 34 56",
        "iban": "BE71 0961 2345 6769",
        "address.street": "Rue Sainte-Walburge",
        "address.number": "200",
        "address.postal_code": "4000",
        "address.municipality": "Liège",
    }
    await page.select_option('[name="sex"]', "F")
    await submit(page, fields, button="Enregistrer les données personnelles")
    await expect(field_error(page, "niss")).to_have_text("Ce n'est pas un numéro de registre national ou BIS valable.")
    await expect(page.locator('[name="niss"]')).to_have_attribute("aria-invalid", "true")
    await expect(page.locator('[name="birth_place"]')).to_have_value("Liège")
    await expect(page.locator('[name="nationality"]')).to_have_value("BE")
    await shoot(page, "hr-worker-niss-error")
    await submit(page, {"niss": f"{niss[:6]}.{niss[6:9]}-{niss[9:]}"}, button="Enregistrer les données personnelles")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Élodie {last_name}")
    await expect(page.get_by_role("status").first).to_contain_text("Les données personnelles sont enregistrées")

    # A contract through the form: open-ended, 38 hours from Monday to Friday (7,6 a day), from the 1st.
    start = today().replace(day=1)
    await page.get_by_role("link", name="Ajouter un contrat").first.click()
    await submit(
        page,
        {"start_date": start.isoformat(), "gross_monthly_salary": "3.150,50", "job_title": "Comptable"},
        button="Enregistrer le contrat",
    )
    await expect(page.get_by_role("status").first).to_contain_text("Le contrat est enregistré")
    await expect(page.locator(".lead")).to_contain_text("Durée indéterminée")
    await expect(page.locator("#terms ~ dl.facts")).to_contain_text(FR.money("3150.50"))
    await page.get_by_role("link", name=f"Retour à Élodie {last_name}").click()
    row = page.locator("#contracts + .table-wrap tbody tr")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(FR.date(start))
    await expect(row).to_contain_text("Durée indéterminée")
    await shoot(page, "hr-worker")

    # The month calendar, built from the contract's event: planned days of 7:36 (38 hours / 5).
    await page.get_by_role("link", name="Le calendrier de ce mois").click()
    await expect(page).to_have_url(f"/hr/workers/{worker_id}/calendar/{start:%Y-%m}")
    title = f"Calendrier : {MONTHS_FR[start.month - 1]} {start.year}"
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)

    async def planned() -> bool:
        await page.reload()
        return await page.locator("td.hr-work").count() > 0

    await eventually(planned, what="the calendar's planned days", interval=0.5)
    await expect(page.locator("td.hr-work").first).to_contain_text("7:36")
    await expect(page.locator("table.hr-calendar thead th")).to_have_count(7)
    await expect(page.locator("table.hr-calendar thead th").first).to_contain_text("lun.")
    await shoot(page, "hr-calendar")
    await page.set_viewport_size({"width": 390, "height": 844})
    await shoot(page, "hr-calendar-phone")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.select_option("#lang-choice", "nl")  # the same month in Dutch
    await page.get_by_role("button", name="Changer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Kalender van {format_date(start, 'LLLL y', locale='nl_BE')}"
    )
    await expect(page.locator("table.hr-calendar thead th").first).to_contain_text("ma")
    await expect(page.locator("dl.facts")).to_contain_text(" u")  # 167:12 u
    await shoot(page, "hr-calendar-nl")
    await page.select_option("#lang-choice", "fr")
    await page.get_by_role("button", name="Wijzigen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    await page.get_by_role("link", name=re.compile(r"^←")).click()  # the month before the contract: none
    await expect(page.locator(".hr-empty")).to_contain_text("Il n'y a pas de calendrier pour")
    await expect(page.locator(".hr-empty")).to_contain_text("Aucun contrat de")
    await expect(page.get_by_role("link", name=f"{MONTHS_FR[start.month - 1]} {start.year}").first).to_be_visible()

    # A workplace, then a presence today, and its receipt.
    await page.get_by_role("navigation", name="Principal").get_by_role("link", name="Présences").click()
    await expect(page.locator("main")).to_contain_text("Déclarez d'abord un lieu de travail")
    await page.get_by_role("link", name="Déclarer un lieu de travail").click()
    workplace_id = unique("WP")[:13].upper().ljust(13, "0")
    await submit(
        page,
        {
            "workplace_id": "too short",
            "name": "Chantier Sainte-Walburge",
            "address.street": "Rue Sainte-Walburge 200",
            "address.postal_code": "4000",
            "address.city": "Liège",
        },
    )
    await expect(field_error(page, "workplace_id")).to_have_text(
        "Ce numéro compte 13 lettres majuscules ou chiffres : vérifiez-le sur la déclaration de travaux."
    )
    await expect(page.locator('[name="address.city"]')).to_have_value("Liège")
    await shoot(page, "hr-workplaces")
    await submit(page, {"workplace_id": workplace_id})
    await expect(page).to_have_url("/hr/presences")
    await expect(page.get_by_role("status")).to_contain_text("Le lieu de travail est déclaré")
    await expect(page.locator('[name="date"]')).to_have_value(today().isoformat())
    await shoot(page, "hr-presences-form")

    async def registered() -> bool:
        # The presence service learns of the worker from people's events: until then it asks to try again.
        await page.select_option('[name="worker_id"]', worker_id)
        await page.select_option('[name="workplace_id"]', workplace_id)
        async with page.expect_navigation():
            await page.get_by_role("button", name="Enregistrer la présence").click()
        return "/hr/presences/" in page.url

    await eventually(registered, what="the presence registered", interval=0.5)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accusé de réception de la présence")
    receipt = await page.locator(".hr-receipt").inner_text()
    assert re.fullmatch(rf"{today():%Y%m%d}\d{{10}}", receipt.strip()), receipt
    await expect(page.locator("dl.facts")).to_contain_text(f"Élodie {last_name}")
    await expect(page.locator("dl.facts")).to_contain_text("Chantier Sainte-Walburge")
    await expect(page.locator("dl.facts")).to_contain_text(FR.date(today()))
    await shoot(page, "hr-receipt")

    # The same day again is refused next to the day; the list shows the registration with its receipt.
    await page.get_by_role("link", name="Retour aux présences").click()
    await page.select_option('[name="worker_id"]', worker_id)
    await page.get_by_role("button", name="Enregistrer la présence").click()
    await expect(field_error(page, "date")).to_have_text(
        "La présence de ce travailleur sur ce lieu de travail est déjà enregistrée pour ce jour-là."
    )
    registrations = page.locator("#registrations ~ .table-wrap tbody tr")
    await expect(registrations).to_have_count(1)
    await expect(registrations).to_contain_text(receipt.strip())
    await expect(registrations).to_contain_text(f"Élodie {last_name}")
    await shoot(page, "hr-presences")

    # The workers list, and the employee's vault with the enrollment letter to print.
    await page.get_by_role("navigation", name="Principal").get_by_role("link", name="Travailleurs").click()
    listed = page.locator("tbody tr", has=page.get_by_role("link", name=last_name))
    await expect(listed).to_contain_text("Élodie")
    await shoot(page, "hr-workers")
    await listed.get_by_role("link").click()

    async def vault_opened() -> bool:
        await page.reload()
        return await page.locator(".hr-identifier").count() > 0

    await eventually(vault_opened, what="the employee account", interval=0.5)
    identifier = (await page.locator(".hr-identifier").inner_text()).strip()
    assert re.fullmatch(r"\d{12}", identifier)
    await page.get_by_role("button", name="Imprimer un courrier d'inscription").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre coffre-fort numérique")
    await expect(page.locator(".hr-letter")).to_contain_text(identifier)
    await expect(page.locator(".hr-letter dd.ticket")).to_have_count(3)
    await shoot(page, "hr-letter")


async def test_another_employer_sees_none_of_these_workers(
    page: Page, employer: Employer, other_employer: Employer
) -> None:
    worker, _ = await hire(employer, today())
    await sign_in(page, other_employer)
    for path in (f"/hr/workers/{worker['worker_id']}", f"/hr/workers/{worker['worker_id']}/calendar/{today():%Y-%m}"):
        response = await page.goto(path)
        assert response is not None and response.status == 404
        await expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    await page.goto("/hr/workers")
    await expect(page.locator("main")).to_contain_text("Aucun travailleur n'est encore enregistré.")
    await expect(page.locator("main")).not_to_contain_text(worker["last_name"])
