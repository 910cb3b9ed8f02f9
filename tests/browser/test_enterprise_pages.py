"""The access manager's enterprise pages in the browser: own data and password, co-managers and the replacement
procedure, mandates given and received (the provider's side in Dutch), technical users registered by their public
key, and the audit trail that shows these actions."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.async_api import Browser, Page, expect
from ruche_devstack.stack import Stack

from tests.e2e.support import Employer, eventually, random_niss, unique

from .conftest import Shoot, new_context, submit

FORMATTED_NUMBER = "{0}.{1}.{2}"


def formatted(enterprise_number: str) -> str:
    return FORMATTED_NUMBER.format(enterprise_number[:4], enterprise_number[4:7], enterprise_number[7:])


async def sign_in(page: Page, login: str, password: str) -> None:
    await page.goto("/sign-in")
    await submit(page, {"login": login, "password": password})
    await expect(page.get_by_role("navigation", name="Principal")).to_be_visible()


def field(page: Page, name: str):  # the .field block around an input: its label, hint and error
    return page.locator(".field", has=page.locator(f'[name="{name}"]'))


async def audit_rows(page: Page, *texts: str, times: dict[str, int] | None = None) -> None:
    """The audit trail shows each of these texts (`times` of them at least): it is built from events, so reload
    until it does."""
    wanted = dict.fromkeys(texts, 1) | (times or {})

    async def shown() -> bool | None:
        await page.goto("/access/audit")
        table = page.locator("table")
        body = await table.inner_text() if await table.count() else ""
        return True if all(body.count(text) >= n for text, n in wanted.items()) else None

    await eventually(shown, what=f"audit rows with {wanted}")


async def test_own_data_is_kept_and_the_new_password_is_the_one_that_signs_in(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer.username, employer.password)
    await page.goto("/account")
    await page.get_by_role("link", name="Mes données et mon mot de passe").click()
    await expect(page).to_have_url("/access/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    await expect(page.locator("dl.facts").last).to_contain_text(employer.name)
    await expect(page.locator("dl.facts").last).to_contain_text(formatted(employer.enterprise_number))
    await shoot(page, "enterprise-me")

    email, local = f"{unique('an.')}@example.be", f"{unique('rh.')}@example.be"
    await page.fill('[name="email"]', "an@example")  # the browser lets it through; identity does not
    await page.get_by_role("button", name="Enregistrer mes données").click()
    await expect(field(page, "email").locator(".error")).to_have_text("Ce n'est pas une adresse e-mail valable.")
    await submit(page, {"email": email, "local_email": local}, button="Enregistrer mes données")
    await expect(page.get_by_role("status")).to_have_text("Vos données sont enregistrées.")
    await page.reload()
    await expect(page.locator('[name="email"]')).to_have_value(email)
    await expect(page.locator('[name="local_email"]')).to_have_value(local)

    # A wrong current password is said next to its field; the right one changes it and keeps this session.
    new_password = "a brand new passphrase 2026"
    fields = {"current_password": "not my password at all", "new_password": new_password}
    await submit(page, fields | {"new_password_confirmation": new_password}, button="Modifier mon mot de passe")
    await expect(field(page, "current_password").locator(".error")).to_have_text(
        "Ce n'est pas votre mot de passe actuel."
    )
    await shoot(page, "enterprise-me-wrong-password")
    fields = {"current_password": employer.password, "new_password": new_password}
    await submit(page, fields | {"new_password_confirmation": new_password}, button="Modifier mon mot de passe")
    await expect(page.get_by_role("status")).to_have_text(
        "Votre mot de passe est modifié. Vos autres sessions sont fermées."
    )
    await expect(page).to_have_url("/access/me")

    await page.get_by_role("button", name="Se déconnecter").click()
    await page.goto("/sign-in")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page.locator(".error-summary")).to_contain_text("Identifiant inconnu ou mot de passe erroné")
    await sign_in(page, employer.username, new_password)

    # The first sign-in changed the password once, this page a second time.
    await audit_rows(page, "Données modifiées", "e-mail, e-mail de l'entreprise", times={"Mot de passe modifié": 2})
    await expect(page.locator("tbody tr").first.locator(".tag")).to_have_text(["vous", "vous"])
    await shoot(page, "enterprise-audit")
    # Narrowed to one action: only the password changes remain, and paging keeps the filter.
    await page.select_option("#action", label="Mot de passe modifié")
    await page.get_by_role("button", name="Afficher").click()
    await expect(page.locator("tbody tr")).to_have_count(2)
    await expect(page.locator("table")).not_to_contain_text("Données modifiées")
    await expect(page).to_have_url(re.compile(r"action=password-changed"))


async def test_a_mandate_is_given_seen_by_the_provider_in_dutch_and_revoked(
    browser: Browser, stack: Stack, page: Page, employer: Employer, other_employer: Employer, shoot: Shoot
) -> None:
    provider = other_employer
    await sign_in(page, employer.username, employer.password)
    await page.get_by_role("link", name="Mandats").click()
    await expect(page.get_by_text("Votre entreprise n'a donné aucun mandat.")).to_be_visible()
    await page.get_by_role("link", name="Donner un mandat").click()

    # Refusals next to their fields: no application, then the enterprise's own number.
    await submit(page, {"provider_enterprise_number": provider.enterprise_number}, button="Donner le mandat")
    await expect(page.locator("#applications .error")).to_have_text("Choisissez au moins une application.")
    await expect(page.locator('[name="provider_enterprise_number"]')).to_have_value(provider.enterprise_number)
    await page.get_by_label("Personnel et contrats").check()
    await submit(page, {"provider_enterprise_number": employer.enterprise_number}, button="Donner le mandat")
    await expect(field(page, "provider_enterprise_number").locator(".error")).to_have_text(
        "Votre propre entreprise n'a pas besoin de mandat : donnez-le à une autre entreprise."
    )
    await expect(page.get_by_label("Personnel et contrats")).to_be_checked()  # kept
    await shoot(page, "enterprise-mandate-error")

    await page.get_by_label("Enregistrement des présences").check()
    await submit(page, {"provider_enterprise_number": formatted(provider.enterprise_number)}, button="Donner le mandat")
    await expect(page).to_have_url("/access/mandates")
    await expect(page.get_by_role("status")).to_contain_text("Le mandat est donné")
    given = page.get_by_role("table", name="Prestataires qui peuvent agir pour votre entreprise")
    row = given.get_by_role("row").filter(has_text=formatted(provider.enterprise_number))
    await expect(row).to_contain_text("Personnel et contrats, Enregistrement des présences")
    await expect(row).to_contain_text("Actif")
    await shoot(page, "enterprise-mandates")

    # The provider's access manager sees it as received, in Dutch (the profile says French: the switch).
    context = await new_context(browser, stack, "nl-BE")
    try:
        theirs = await context.new_page()
        await sign_in(theirs, provider.username, provider.password)
        await theirs.select_option("#lang-choice", "nl")
        await theirs.get_by_role("button", name="Changer").click()
        await theirs.get_by_role("link", name="Mandaten").click()
        await expect(theirs.get_by_role("heading", level=2, name="Mandaten die u ontving")).to_be_visible()
        received = theirs.get_by_role("table", name="Werkgevers voor wie uw onderneming mag optreden")
        await expect(received).to_contain_text(formatted(employer.enterprise_number))
        await expect(received).to_contain_text("Personeel en contracten, Aanwezigheidsregistratie")
        await expect(theirs.get_by_text("Uw onderneming heeft geen mandaat gegeven.")).to_be_visible()
        await shoot(theirs, "enterprise-mandates-received-nl")
    finally:
        await context.close()

    await row.get_by_role("link", name="Révoquer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mettre fin à un mandat")
    await shoot(page, "enterprise-mandate-revoke")
    await page.get_by_role("button", name="Mettre fin à ce mandat").click()
    await expect(page.get_by_role("status")).to_contain_text("Le mandat a pris fin")
    await expect(row).to_contain_text("Terminé")
    await expect(row.get_by_role("link")).to_have_count(0)
    mandates = (await employer.get("/identity/mandates")).json()["items"]
    assert [m["status"] for m in mandates] == ["revoked"]


async def test_a_technical_user_is_registered_by_its_public_key_gets_a_token_and_is_deleted(
    page: Page, gateway: httpx.AsyncClient, employer: Employer, shoot: Shoot
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    await sign_in(page, employer.username, employer.password)
    await page.get_by_role("link", name="Utilisateurs techniques").click()
    await expect(page.get_by_text("Votre entreprise n'a pas d'utilisateur technique.")).to_be_visible()
    await page.get_by_role("link", name="Enregistrer un utilisateur technique").click()
    await shoot(page, "enterprise-technical-user-new")

    name = unique("Badge reader ")
    await submit(page, {"name": name, "public_key": "not a key at all"}, button="Enregistrer l'utilisateur technique")
    await expect(field(page, "public_key").locator(".error")).to_contain_text("Collez une clé publique PEM")
    await expect(page.locator('[name="name"]')).to_have_value(name)
    await shoot(page, "enterprise-technical-user-bad-key")
    # A private key pasted by mistake is refused here, and not shown back.
    await submit(page, {"public_key": private_pem}, button="Enregistrer l'utilisateur technique")
    await expect(field(page, "public_key").locator(".error")).to_contain_text("Ceci est une clé privée")
    await expect(page.locator('[name="public_key"]')).to_have_value("")

    await page.get_by_label("Enregistrement des présences").select_option("registrar")
    await submit(page, {"public_key": public_pem}, button="Enregistrer l'utilisateur technique")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Utilisateur technique : {name}")
    client_id = (await page.locator("#client-id").inner_text()).strip()
    listed = (await employer.get("/identity/technical-users")).json()["items"]
    assert [(u["client_id"], u["name"], u["grants"]) for u in listed] == [(client_id, name, {"presence": "registrar"})]
    await shoot(page, "enterprise-technical-user")

    # What the page says to do works: an assertion with its claims, sent to its token endpoint.
    token_url = (await page.locator("#token-url").inner_text()).strip()
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": token_url, "iat": now, "exp": now + 120}
    assertion = jwt.encode(claims | {"jti": uuid.uuid4().hex}, key, algorithm="ES256")
    answer = await gateway.post(
        token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        },
    )
    assert answer.status_code == 200, answer.text

    await page.get_by_role("link", name="Utilisateurs techniques", exact=True).first.click()
    row = page.get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text(client_id)
    await expect(row).to_contain_text("Enregistrement des présences (Enregistrement)")
    await shoot(page, "enterprise-technical-users")
    await row.get_by_role("link", name=name).click()
    await page.get_by_role("link", name="Supprimer cet utilisateur technique").click()
    await shoot(page, "enterprise-technical-user-delete")
    await page.get_by_role("button", name=f"Supprimer {name}").click()
    await expect(page.get_by_role("status")).to_contain_text("L'utilisateur technique est supprimé")
    await expect(page.get_by_text("Votre entreprise n'a pas d'utilisateur technique.")).to_be_visible()
    assert (await employer.get("/identity/technical-users")).json()["items"] == []

    # Deleted, it keeps no name: the trail names it by its client id.
    await audit_rows(page, "Utilisateur technique", "Supprimé", times={f"{client_id} (supprimé depuis)": 2})
    await shoot(page, "enterprise-audit-technical-user")


async def test_a_co_manager_is_appointed_and_removed_and_the_replacement_is_explained(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    await sign_in(page, employer.username, employer.password)
    await page.goto("/access/me")
    await page.get_by_role("link", name="Gestionnaire d'accès et co-gestionnaires").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Gestionnaires d'accès")
    await expect(page.get_by_text("Pas encore de co-gestionnaire.")).to_be_visible()
    await page.get_by_role("link", name="Désigner un co-gestionnaire").click()

    username, password = unique("co."), "provisional pass 4242"
    last_name = unique("Claes-")
    values = {
        "niss": random_niss(),
        "last_name": last_name,
        "first_name": "Sofie",
        "email": f"{username}@example.be",
        "username": username,
        "username_confirmation": username + "x",
        "password": password,
        "password_confirmation": password,
    }
    await submit(page, values, button="Désigner ce co-gestionnaire")
    await expect(field(page, "username_confirmation").locator(".error")).to_have_text("Les deux saisies diffèrent.")
    await expect(page.locator('[name="last_name"]')).to_have_value(last_name)
    await shoot(page, "enterprise-co-manager-new")
    await submit(page, values | {"username_confirmation": username}, button="Désigner ce co-gestionnaire")
    await expect(page).to_have_url("/access/managers")
    await expect(page.get_by_role("status")).to_contain_text("Le co-gestionnaire est désigné")
    row = page.get_by_role("row").filter(has_text=last_name)
    await expect(row).to_contain_text(username)
    await expect(row).to_contain_text("pas encore connecté")
    await shoot(page, "enterprise-managers")

    await row.get_by_role("link", name="Retirer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Retirer un co-gestionnaire")
    await shoot(page, "enterprise-co-manager-remove")
    await page.get_by_role("button", name=f"Retirer Sofie {last_name}").click()
    await expect(page.get_by_role("status")).to_contain_text("Le co-gestionnaire est retiré")
    await expect(page.get_by_text("Pas encore de co-gestionnaire.")).to_be_visible()

    await page.get_by_role("link", name="Remplacer le gestionnaire d'accès").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Remplacer le gestionnaire d'accès")
    await shoot(page, "enterprise-replace")
    await page.get_by_role("link", name="Remplir la demande de remplacement").click()
    await expect(page).to_have_url("/designation?replace=1")
    await expect(page.locator('[name="replace_current"]')).to_be_checked()
