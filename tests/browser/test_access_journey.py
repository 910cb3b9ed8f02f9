"""An enterprise's first day on Ruche, in the browser and in French: someone asks for the enterprise's access
manager, the platform operator records the signed form and approves, the new access manager signs in with the
e-mailed provisional credentials and chooses their own, creates a user and grants one application; that user
then sees only what the grant opens. And the operator's other decision: a rejection with its reason."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect
from ruche_devstack.stack import Stack

from tests.e2e.support import (
    designation_body,
    mail_to,
    provisional_credentials,
    random_enterprise_number,
    random_niss,
    unique,
)

from .conftest import Shoot, mailed_link, new_context, submit


def operator_credentials(stack: Stack) -> tuple[str, str]:
    env = stack.service_environment("identity")
    return env["OPERATOR_USERNAME"], env["OPERATOR_PASSWORD"]


async def signed_in(browser: Browser, stack: Stack, login: str, password: str) -> tuple[BrowserContext, Page]:
    context = await new_context(browser, stack)
    page = await context.new_page()
    await page.goto("/sign-in")
    await submit(page, {"login": login, "password": password})
    await expect(page.locator("form.sign-out")).to_be_visible()
    if await page.locator("html").get_attribute("lang") != "fr":  # the operator's profile says English
        await page.select_option("#lang-choice", "fr")
        await page.get_by_role("button", name="Change").click()
        await expect(page.locator("html")).to_have_attribute("lang", "fr")
    return context, page


async def nav_links(page: Page) -> list[str]:
    return [
        text.strip()
        for text in await page.get_by_role("navigation", name="Principal").get_by_role("link").all_inner_texts()
    ]


async def test_a_designated_access_manager_creates_a_user_who_sees_only_what_the_grant_opens(
    browser: Browser, stack: Stack, page: Page, shoot: Shoot
) -> None:
    # Someone of the enterprise asks for its access manager.
    number, manager_email = random_enterprise_number(), f"{unique('gl.')}@example.be"
    enterprise_name = unique("Brasserie ")
    await page.goto("/designation")
    await submit(
        page,
        {
            "enterprise.enterprise_number": number,
            "enterprise.name": enterprise_name,
            "manager.last_name": "Claes",
            "manager.first_name": "Sofie",
            "manager.niss": random_niss(sex="F"),
            "manager.email": manager_email,
            "signatory.last_name": "Wouters",
            "signatory.first_name": "Pieter",
            "signatory.niss": random_niss(sex="M"),
            "signatory.email": f"{unique('sign.')}@example.be",
        },
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Demande reçue")
    ticket = (await page.locator(".ticket").inner_text()).strip()

    # The operator receives the signed form with the ticket, records it and approves.
    operator, desk = await signed_in(browser, stack, *operator_credentials(stack))
    await expect(desk).to_have_url("/operator/designations")
    await expect(desk.get_by_role("heading", level=1)).to_have_text("Demandes de désignation")
    assert await nav_links(desk) == ["Désignations", "Mon compte"]
    await shoot(desk, "operator-designations")
    await desk.get_by_label("Ouvrir une demande par son ticket").fill(ticket.lower().replace("-", " "))  # as typed
    await desk.get_by_role("button", name="Ouvrir la demande").click()
    await expect(desk.get_by_role("heading", level=1)).to_have_text(f"Demande {ticket}")
    await expect(desk.locator(".status")).to_contain_text("En attente du formulaire signé")
    await expect(desk.get_by_text(enterprise_name)).to_be_visible()
    await expect(desk.get_by_text(f"{number[:4]}.{number[4:7]}.{number[7:]}")).to_be_visible()
    await expect(desk.get_by_role("button", name="Approuver la demande")).to_have_count(0)  # not before the form
    await shoot(desk, "operator-designation-pending")
    await desk.get_by_role("button", name="Enregistrer la réception du formulaire signé").click()
    await expect(desk.locator(".flash.success")).to_have_text("La réception du formulaire signé est enregistrée.")
    await expect(desk.locator(".status")).to_contain_text("Formulaire signé reçu")
    await shoot(desk, "operator-designation-form-received")
    await desk.get_by_role("button", name="Approuver la demande").click()
    await expect(desk.locator(".flash.success")).to_contain_text("Demande approuvée")
    await expect(desk.locator(".status")).to_contain_text("Approuvée")
    await shoot(desk, "operator-designation-approved")
    await operator.close()

    # The new access manager opens the mailed link with the provisional credentials and chooses their own.
    provisional_username, provisional_password = provisional_credentials(await mail_to(stack, manager_email))
    link = await mailed_link(stack, manager_email)
    manager_context = await new_context(browser, stack)
    manager = await manager_context.new_page()
    await manager.goto(link)
    username, password = unique("sofie."), "le houblon de nos collines"
    await submit(
        manager,
        {
            "username": provisional_username,
            "password": provisional_password,
            "new_username": username,
            "new_username_confirmation": username,
            "new_password": password,
            "new_password_confirmation": password,
        },
    )
    await expect(manager).to_have_url("/sign-in")
    await submit(manager, {"login": username, "password": password})
    await expect(manager).to_have_url("/access/users")  # the access manager's first page
    await expect(manager.locator("p.total")).to_have_text("Utilisateurs trouvés : 1")
    await expect(manager.locator("table.users tbody tr")).to_contain_text(["Gestionnaire d'accès"])
    await shoot(manager, "access-users-first-day")

    # … creates a user by NISS, typing username and password twice …
    user_niss = random_niss(sex="F")
    await manager.get_by_label("Numéro de registre national du nouvel utilisateur").fill(user_niss)
    await manager.get_by_role("button", name="Suivant").click()
    await expect(manager.get_by_role("heading", level=1)).to_have_text("Ajouter un utilisateur")
    await expect(manager.locator('[name="niss"]')).to_have_value(user_niss)
    user_login, provisional = unique("emma."), "provisoire pour Emma 1"
    await manager.fill('[name="last_name"]', "Lambert")
    await manager.fill('[name="first_name"]', "Emma")
    await manager.select_option('[name="language"]', "fr")
    await manager.fill('[name="username"]', user_login)
    await manager.fill('[name="username_confirmation"]', user_login + "x")  # a typo first
    await manager.fill('[name="password"]', provisional)
    await manager.fill('[name="password_confirmation"]', provisional)
    await manager.fill('[name="email"]', f"{user_login}@example.be")
    await manager.get_by_role("button", name="Créer l'utilisateur").click()
    typo = manager.locator(".field", has=manager.locator('[name="username_confirmation"]'))
    await expect(typo.locator(".error")).to_have_text("Les deux saisies diffèrent.")
    await expect(manager.locator('[name="last_name"]')).to_have_value("Lambert")  # what was typed stays
    await shoot(manager, "access-new-user-error")
    await manager.fill('[name="username_confirmation"]', user_login)
    await manager.fill('[name="password"]', provisional)  # passwords are never sent back to the browser
    await manager.fill('[name="password_confirmation"]', provisional)
    await manager.get_by_role("button", name="Créer l'utilisateur").click()
    await expect(manager.get_by_role("heading", level=1)).to_contain_text("Emma Lambert")
    await expect(manager.locator(".flash.success")).to_contain_text("L'utilisateur est créé")
    await expect(manager.locator("dl.facts")).to_contain_text(
        f"{user_niss[:2]}.{user_niss[2:4]}.{user_niss[4:6]}-{user_niss[6:9]}.{user_niss[9:]}"
    )

    # … and grants one application with one profile: the consultation of the users.
    access_row = manager.locator("table.grants tr", has=manager.get_by_role("rowheader", name="Gestion des accès"))
    await expect(access_row).to_contain_text("Pas d'accès")
    await access_row.get_by_label("Profil pour Gestion des accès").select_option("reader")
    await access_row.get_by_role("button", name="Attribuer").click()
    await expect(manager.locator(".flash.success")).to_have_text("L'application est attribuée avec le profil choisi.")
    await expect(access_row).to_contain_text("Consultation des utilisateurs")
    await shoot(manager, "access-user-page")
    await manager_context.close()

    # The user signs in: the provisional password first asks for their own.
    user_context = await new_context(browser, stack)
    user = await user_context.new_page()
    await user.goto("/sign-in")
    await submit(user, {"login": user_login, "password": provisional})
    await expect(user).to_have_url("/first-sign-in")
    own = "mon propre mot de passe"
    await submit(
        user,
        {"username": user_login, "password": provisional, "new_password": own, "new_password_confirmation": own},
    )
    await expect(user).to_have_url("/sign-in")
    await submit(user, {"login": user_login, "password": own})
    await expect(user).to_have_url("/access/users")
    # Only what the grant opens: the users list (and its technical users), nothing of HR, mandates or the operator.
    assert await nav_links(user) == ["Utilisateurs", "Utilisateurs techniques", "Mon compte"]
    await expect(user.locator("p.total")).to_have_text("Utilisateurs trouvés : 2")
    await expect(user.get_by_role("link", name="Exporter ces utilisateurs (.csv)")).to_be_visible()  # consultation
    await expect(user.get_by_role("heading", name="Ajouter un utilisateur")).to_have_count(0)  # but no management
    await expect(user.locator('input[name="user_ids"]')).to_have_count(0)
    await shoot(user, "access-users-consultation-only")
    await user.get_by_role("link", name="Lambert").click()
    await expect(user.get_by_role("heading", level=1)).to_contain_text("Emma Lambert")
    await expect(user.get_by_role("button", name="Bloquer cet utilisateur")).to_have_count(0)
    for forbidden in ("/operator/designations", "/access/users/new"):
        answer = await user.goto(forbidden)
        assert answer is not None and answer.status == 403, forbidden
        await expect(user.get_by_role("heading", level=1)).to_have_text("Pas autorisé")
    await shoot(user, "access-forbidden")
    await user_context.close()


async def test_the_operator_rejects_a_request_with_its_reason_which_the_requester_receives(
    browser: Browser, stack: Stack, gateway: httpx.AsyncClient, shoot: Shoot
) -> None:
    email = f"{unique('gl.')}@example.be"
    requested = await gateway.post(
        "/identity/designations", json=designation_body(random_enterprise_number(), manager_email=email)
    )
    ticket = requested.json()["ticket"]
    context, desk = await signed_in(browser, stack, *operator_credentials(stack))
    await desk.get_by_label("Ouvrir une demande par son ticket").fill("0000-0000-0000-0000")
    await desk.get_by_role("button", name="Ouvrir la demande").click()
    lookup = desk.locator(".field", has=desk.locator('[name="ticket"]'))
    await expect(lookup.locator(".error")).to_have_text("Aucune demande n'a ce ticket.")
    await desk.goto(f"/operator/designations/{ticket}")
    reason = desk.get_by_label("Raison")
    await expect(reason).to_have_attribute("required", "")  # no rejection without a reason
    await reason.fill("Le signataire n'est pas administrateur de cette entreprise.")
    await desk.get_by_role("button", name="Refuser la demande").click()
    await expect(desk.locator(".flash.success")).to_contain_text("Demande refusée")
    await expect(desk.locator(".status")).to_contain_text("Refusée")
    await expect(desk.get_by_text("Le signataire n'est pas administrateur de cette entreprise.")).to_be_visible()
    await expect(desk.get_by_role("button", name="Approuver la demande")).to_have_count(0)
    await shoot(desk, "operator-designation-rejected")
    mail = await mail_to(stack, email)
    assert "Le signataire n'est pas administrateur de cette entreprise." in mail.get_content()
    await context.close()
