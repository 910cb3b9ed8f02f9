"""The calendar in the browser, as the employer's access manager: a hired worker's month grid with the planned
hours and a public holiday, paid leave of 8:00 recorded on a day and the month's totals following, a day of 25
hours and a code deactivated meanwhile refused next to their inputs in French, and a leave type activated with
its two switches (employees may request it; a manager validates it) on the leave types page, and a bonus and a
message to the payroll provider added to the month."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page, expect
from ruche_calendar.domain.holidays import belgian_public_holidays
from ruche_console.i18n import Formats
from ruche_testing import eventually

from tests.e2e.support import Employer, hire
from tests.e2e.test_hiring_flow import today

from .conftest import Shoot
from .test_hr_pages import field_error, sign_in

FR = Formats("fr")


def month_with_a_weekday_holiday(start: date) -> date:
    """The first month from `start`'s on whose holidays one falls from Monday to Friday."""
    month = start.replace(day=1)
    while True:
        holidays = belgian_public_holidays(month.year)
        if any(h.year == month.year and h.month == month.month and h.weekday() < 5 for h in holidays):
            return month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


async def total_of(page: Page, code: str) -> str:
    row = page.locator(f"table.hr-totals tr[data-code='{code}']")
    return (await row.inner_text()).strip() if await row.count() else ""


async def test_hr_reads_the_month_grid_records_leave_and_activates_a_leave_type(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    start = today().replace(day=1)
    worker, _ = await hire(employer, start)  # 38 hours, 7.6 a day from Monday to Friday
    month = month_with_a_weekday_holiday(start)
    await sign_in(page, employer)
    await page.goto(f"/hr/workers/{worker['worker_id']}")
    await page.get_by_role("link", name="Le calendrier de ce mois").click()
    await expect(page).to_have_url(f"/hr/workers/{worker['worker_id']}/calendar/{start:%Y-%m}")
    grid = f"/hr/workers/{worker['worker_id']}/calendar/{month:%Y-%m}"

    async def planned() -> bool:
        await page.goto(grid)
        return await page.locator("td.hr-work").count() > 0

    await eventually(planned, what="the month planned from the contract", interval=0.5)
    await expect(page.locator("td.hr-work").first).to_contain_text("7:36")
    await expect(page.locator("td.hr-holiday").first).to_contain_text("Jour férié")
    await expect(page.locator("dl.facts")).to_contain_text("aucune depuis la planification")
    await expect(page.locator("table.hr-totals")).to_contain_text("Prestations planifiées")
    await expect(page.locator("table.hr-totals")).to_contain_text("Jour férié / jour de remplacement")
    work_before = await total_of(page, "WORK")
    await shoot(page, "calendar-month")

    # Paid leave of 8:00 on the first planned day: the day shows it, the totals count it.
    first = page.locator("td.hr-work").first
    day_id = await first.get_attribute("id")
    await first.get_by_role("link").click()
    await expect(page.locator('[name="code_1"]')).to_be_visible()
    await shoot(page, "calendar-day")
    await page.select_option('[name="code_1"]', "HOL")
    await page.fill('[name="hours_1"]', "8:00")
    await page.get_by_role("button", name="Enregistrer la journée").click()
    await expect(page.get_by_role("status").first).to_contain_text("La journée est enregistrée")
    edited = page.locator(f"td#{day_id}")
    await expect(edited).to_contain_text("Congé payé (vacances légales) 8:00")
    await expect(page.locator("table.hr-totals tr[data-code='HOL']")).to_contain_text("8:00")
    assert await total_of(page, "WORK") != work_before
    await expect(page.locator("dl.facts")).to_contain_text(f"par vous ({employer.username})")
    await shoot(page, "calendar-month-edited")

    # 25 hours on a day: refused next to the hours, in French, what was typed kept.
    await page.locator("td.hr-work:not(.hr-edited)").first.get_by_role("link").click()
    await page.select_option('[name="code_1"]', "HOL")
    await page.fill('[name="hours_1"]', "25:00")
    await page.get_by_role("button", name="Enregistrer la journée").click()
    await expect(field_error(page, "hours_1")).to_have_text(
        "Une journée compte de 0 à 24 heures, et pas plus que ce que le code permet."
    )
    await expect(page.locator('[name="hours_1"]')).to_have_value("25:00")
    await shoot(page, "calendar-day-refused")
    day_form = page.url

    # The leave types: the inactive ones on request, a training day activated with its two switches.
    await page.get_by_role("navigation", name="Principal").get_by_role("link", name="Types de congé").click()
    await expect(page).to_have_url("/hr/leave-types")
    await expect(page.locator("tr[data-code='WORK']")).to_contain_text("Toujours actif")
    await expect(page.locator("tr[data-code='TRAIN']")).to_have_count(0)
    await page.get_by_role("link", name="Afficher les types inactifs").click()
    training = page.locator("tr[data-code='TRAIN']")
    await expect(training).to_contain_text("Inactif")
    await page.locator("#requestable-TRAIN").check()
    await page.locator("#needs-validation-TRAIN").uncheck()
    await training.get_by_role("button", name="Activer").click()
    await expect(page.get_by_role("status").first).to_contain_text("Le type est actif")
    await expect(training).to_contain_text("Actif")
    await expect(page.locator("#requestable-TRAIN")).to_be_checked()
    await expect(page.locator("#needs-validation-TRAIN")).not_to_be_checked()
    await shoot(page, "leave-types")
    code = (await employer.get("/calendar/codes/TRAIN")).json()
    assert (code["active"], code["requestable"], code["needs_validation"]) == (True, True, False)

    # A code deactivated while the day's form was open: refused next to the code.
    await page.goto(day_form)
    await page.select_option('[name="code_1"]', "TRAIN")
    await page.fill('[name="hours_1"]', "7:36")
    deactivated = await employer.put("/calendar/codes/TRAIN/settings", {"active": False})
    assert deactivated.status_code == 200, deactivated.text
    await page.get_by_role("button", name="Enregistrer la journée").click()
    await expect(field_error(page, "code_1")).to_have_text(
        "Ce code n'est pas actif dans votre entreprise : activez-le d'abord dans les types de congé."
    )
    await expect(page.locator('[name="code_1"]')).to_have_value("TRAIN")
    await shoot(page, "calendar-day-inactive-code")

    # The edited month on a phone: the plan struck through under the leave, a pencil to edit each day.
    await page.goto(grid)
    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(page.locator(f"td#{day_id} .hr-edit-icon")).to_be_visible()
    await shoot(page, "calendar-month-phone")
    await page.set_viewport_size({"width": 1280, "height": 900})

    # A bonus of 400 € and a message to the payroll provider, from the month.
    await page.get_by_role("link", name="Ajouter un élément de salaire").click()
    await page.select_option('[name="code"]', "BONUS")
    await page.fill('[name="amount"]', "0")
    await page.get_by_role("button", name="Ajouter l'élément de salaire").click()
    await expect(field_error(page, "amount")).to_contain_text("Un montant en euros, supérieur à 0")
    await page.fill('[name="amount"]', "400,00")
    await page.get_by_role("button", name="Ajouter l'élément de salaire").click()
    await expect(page.get_by_role("status").first).to_contain_text("L'élément de salaire est ajouté")
    await expect(page.locator("table.hr-elements tr[data-code='BONUS']")).to_contain_text(FR.money("400"))
    await page.fill('[name="text"]', "Prime de fin d'année selon la CCT.")
    await page.get_by_role("button", name="Enregistrer le message").click()
    await expect(page.get_by_role("status").first).to_contain_text("Le message au secrétariat social est enregistré")
    await expect(page.locator('[name="text"]')).to_have_value("Prime de fin d'année selon la CCT.")
    await shoot(page, "calendar-month-elements")
