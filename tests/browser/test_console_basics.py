"""What every page of the console promises: sign-in and sign-out, errors next to their fields in the page's
language, forms refused without their CSRF token, and the language switch."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, Page, expect
from ruche_devstack.stack import Stack

from tests.e2e.support import Employer, random_enterprise_number

from .conftest import Shoot, new_context, submit


async def test_a_wrong_password_is_said_and_a_right_one_signs_in_and_out(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    await page.goto("/")
    await shoot(page, "home-fr")
    await page.get_by_role("link", name="Se connecter").click()
    await submit(page, {"login": employer.username, "password": "not my password at all"})
    await expect(page.locator(".error-summary")).to_contain_text("Identifiant inconnu ou mot de passe erroné")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    await shoot(page, "after-sign-in-fr")
    cookies = await page.context.cookies()
    [session] = [c for c in cookies if c["name"] == "ruche_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"

    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    await page.goto("/account")
    await expect(page).to_have_url("/sign-in")


async def test_a_signed_out_session_cannot_be_reused(browser: Browser, stack: Stack, employer: Employer) -> None:
    context = await new_context(browser, stack)
    page = await context.new_page()
    await page.goto("/sign-in")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page.get_by_role("navigation", name="Principal")).to_be_visible()
    [session] = [c for c in await context.cookies() if c["name"] == "ruche_session"]
    await page.get_by_role("button", name="Se déconnecter").click()
    await context.close()
    # Someone who copied the cookie before the sign-out: the session is gone on the server.
    async with httpx.AsyncClient(base_url=stack.gateway_url, cookies={"ruche_session": session["value"]}) as client:
        answer = await client.get("/account", headers={"Accept": "text/html"})
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"


async def test_a_field_error_is_said_next_to_the_field_in_french_and_in_dutch(
    browser: Browser, stack: Stack, shoot: Shoot
) -> None:
    for locale, message, name in (
        ("fr-BE", "Ce n'est pas un numéro de registre national ou BIS valable.", "designation-error-fr"),
        ("nl-BE", "Dit is geen geldig rijksregister- of BIS-nummer.", "designation-error-nl"),
    ):
        context = await new_context(browser, stack, locale)
        page = await context.new_page()
        await page.goto("/designation")
        number = random_enterprise_number()
        await submit(
            page,
            {
                "enterprise.enterprise_number": number,
                "enterprise.name": "Boulangerie Dubois",
                "manager.last_name": "Peeters",
                "manager.first_name": "An",
                "manager.niss": "85073003329",  # the check digits are wrong
                "manager.email": "an@example.be",
                "signatory.last_name": "Dupont",
                "signatory.first_name": "Marc",
                "signatory.niss": "85073003328",
                "signatory.email": "marc@example.be",
            },
        )
        field = page.locator(".field", has=page.locator('[name="manager.niss"]'))
        await expect(field.locator(".error")).to_have_text(message)
        await expect(page.locator('[name="manager.niss"]')).to_have_attribute("aria-invalid", "true")
        await expect(page.locator('[name="enterprise.name"]')).to_have_value("Boulangerie Dubois")  # kept
        await shoot(page, name)
        await context.close()


async def test_a_form_without_its_csrf_token_is_refused(page: Page) -> None:
    await page.goto("/sign-in")  # a session, and its CSRF token in the form
    forged = await page.request.post("/sign-in", form={"login": "someone", "password": "whatever it is"})
    assert forged.status == 403
    assert "Ce formulaire a expiré" in await forged.text()
    token = await page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    wrong = await page.request.post("/sign-in", form={"login": "someone", "password": "x", "csrf_token": token + "x"})
    assert wrong.status == 403


async def test_the_language_follows_the_browser_and_the_switch(page: Page) -> None:
    await page.goto("/sign-in")
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await page.select_option("#lang-choice", "nl")
    await page.get_by_role("button", name="Changer").click()
    await expect(page.locator("html")).to_have_attribute("lang", "nl")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Welkom bij Ruche")  # kept for the session
