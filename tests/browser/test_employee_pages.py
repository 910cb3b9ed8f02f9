"""An employee in the browser: the first sign-in with the enrollment letter; locked out after three wrong passwords,
unlocks the account through the e-mailed reset link opened in the browser, sees the vault and the profile, and
changes the personal e-mail and the password there."""

from __future__ import annotations

from playwright.async_api import Page, expect
from ruche_devstack.stack import Stack

from tests.e2e.support import Employer, enrollment_letter, hire, unique
from tests.e2e.test_hiring_flow import today

from .conftest import Shoot, mailed_link, submit

LOCKED = "Trop de tentatives échouées : ce compte est bloqué pendant 120 minutes."


async def sign_in(page: Page, login: str, password: str) -> None:
    await page.goto("/sign-in")
    await submit(page, {"login": login, "password": password})


async def test_an_employee_is_locked_out_resets_from_the_mailed_link_and_manages_the_profile(
    page: Page, stack: Stack, employer: Employer, shoot: Shoot
) -> None:
    worker, _ = await hire(employer, today())
    identifier, provisional = await enrollment_letter(employer, worker["worker_id"])  # vault opened, letter printed

    # The first sign-in with the letter's provisional password leads to choosing a password and a personal e-mail.
    email, first_password = f"{unique('lou.')}@example.be", "my first vault phrase"
    await sign_in(page, identifier, provisional)
    await expect(page).to_have_url(f"/employee/first-sign-in?identifier={identifier}")
    await expect(page.locator('[name="identifier"]')).to_have_value(identifier)
    await submit(
        page,
        {
            "password": provisional,
            "new_password": first_password,
            "new_password_confirmation": first_password,
            "email": email,
            "email_confirmation": email,
        },
    )
    await expect(page).to_have_url("/sign-in")

    # Three wrong passwords: the third locks the account, and the page says how to unlock it.
    for attempt in range(3):
        await sign_in(page, identifier, f"wrong guess {attempt}")
        if attempt < 2:
            await expect(page.locator(".error-summary")).to_contain_text("Identifiant inconnu ou mot de passe erroné")
    await expect(page.locator(".error-summary")).to_contain_text(LOCKED)
    await expect(page.locator('[name="login"]')).to_have_value(identifier)  # kept, the password never is
    await shoot(page, "employee-locked")
    await sign_in(page, identifier, first_password)  # even the right password, while locked
    await expect(page.locator(".error-summary")).to_contain_text(LOCKED)

    # The forgotten-password page, then the link of the e-mail, opened in the browser.
    await page.get_by_role("link", name="Mot de passe oublié (travailleurs)").click()
    await expect(page).to_have_url("/forgotten-password")
    await submit(page, {"identifier": identifier, "email": email})
    await expect(page.get_by_role("status")).to_contain_text("un lien pour choisir un nouveau mot de passe")
    link = await mailed_link(stack, email, "nouveau mot de passe")
    assert link.startswith(f"{stack.gateway_url}/password-reset/")
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    await shoot(page, "employee-reset")
    new_password = "a fresh vault phrase"
    await submit(page, {"new_password": new_password, "new_password_confirmation": new_password})
    await expect(page).to_have_url("/sign-in")
    await expect(page.get_by_role("status")).to_contain_text("votre compte débloqué")

    # Signed in, the employee lands on the vault: what exists, and a clear empty state.
    await submit(page, {"login": identifier, "password": new_password})
    await expect(page).to_have_url("/employee/vault")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon coffre-fort")
    await expect(page.locator("main")).to_contain_text(identifier)
    await expect(page.locator("main")).to_contain_text("Votre coffre-fort ne contient encore aucun document.")
    await shoot(page, "employee-vault")

    # The profile: identifier and e-mail; a mistyped confirmation and a wrong password are said at their fields.
    await page.get_by_role("navigation", name="Principal").get_by_role("link", name="Mon profil").click()
    await expect(page).to_have_url("/employee/profile")
    facts = page.locator("dl.facts")
    await expect(facts).to_contain_text(identifier)
    await expect(facts).to_contain_text(email)
    await shoot(page, "employee-profile")
    new_email = f"{unique('lou.new.')}@example.be"
    await submit(
        page,
        {"email": new_email, "email_confirmation": "x" + new_email, "password": new_password},
        button="Modifier mon e-mail",
    )
    confirmation = page.locator(".field", has=page.locator('[name="email_confirmation"]'))
    await expect(confirmation.locator(".error")).to_have_text("Les deux adresses e-mail sont différentes.")
    await expect(page.locator('[name="email"]')).to_have_value(new_email)
    await shoot(page, "employee-profile-error")
    await submit(
        page,
        {"email": new_email, "email_confirmation": new_email, "password": "not my password"},
        button="Modifier mon e-mail",
    )
    password_field = page.locator(".field", has=page.locator('[name="password"]'))
    await expect(password_field.locator(".error")).to_have_text("Ce n'est pas votre mot de passe actuel.")
    await submit(
        page,
        {"email": new_email, "email_confirmation": new_email, "password": new_password},
        button="Modifier mon e-mail",
    )
    await expect(page.get_by_role("status")).to_contain_text("Votre e-mail personnel est modifié")
    await expect(facts).to_contain_text(new_email)

    # The password: changed with the current one, and the person stays signed in here.
    newest = "the newest vault phrase"
    await submit(
        page,
        {"current_password": new_password, "new_password": newest, "new_password_confirmation": newest},
        button="Modifier mon mot de passe",
    )
    await expect(page.get_by_role("status")).to_contain_text("Votre mot de passe est modifié")
    await expect(page).to_have_url("/employee/profile")
    await page.reload()  # the session's new token still opens the profile
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")

    # The new e-mail is the second login, with the newest password; the old e-mail no longer is.
    await page.get_by_role("button", name="Se déconnecter").click()
    await sign_in(page, email, newest)
    await expect(page.locator(".error-summary")).to_contain_text("Identifiant inconnu ou mot de passe erroné")
    await sign_in(page, new_email, newest)
    await expect(page).to_have_url("/employee/vault")


async def test_the_employee_pages_need_an_employee(page: Page, employer: Employer) -> None:
    await page.goto("/employee/profile")
    await expect(page).to_have_url("/sign-in?next=/employee/profile")
    await sign_in(page, employer.username, employer.password)
    await page.goto("/employee/vault")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Pas autorisé")
