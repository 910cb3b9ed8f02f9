"""The access manager's users list in the browser (French): every search criterion and the complementary search,
paging, the CSV download, a grant for a selection with a result per user, blocking and unblocking, and deleting
after the preview."""

from __future__ import annotations

import csv
import io
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.support import Employer, create_user, unique

from .conftest import Shoot, submit


def formatted(niss: str) -> str:
    return f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"


async def sign_in(page: Page, employer: Employer) -> None:
    await page.goto("/sign-in")
    await submit(page, {"login": employer.username, "password": employer.password})
    await expect(page).to_have_url("/access/users")


async def search(page: Page, **criteria: str) -> None:
    """Fill the search form from scratch and send it."""
    await page.goto("/access/users")
    for name, value in criteria.items():
        field = page.locator(f'form.search [name="{name}"]')
        if not await field.is_visible():  # among the folded criteria: unfold them
            await page.locator("form.search summary").click()
        if await field.get_attribute("type") == "checkbox":
            await field.check()
        elif await field.evaluate("e => e.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    await page.locator("form.search").get_by_role("button", name="Rechercher").click()


def rows(page: Page):
    return page.locator("table.users tbody tr")


async def family_of(employer: Employer, size: int, **grants: str) -> tuple[str, list[dict[str, Any]]]:
    """`size` users whose last names start alike (…-00, …-01, …); the first ones get `grants`."""
    family = unique("Verhaegen")
    users = []
    for index in range(size):
        given = grants if index < 2 else {}
        users.append(await create_user(employer, grants=dict(given), last_name=f"{family}-{index:02d}"))
    return family, users


async def test_every_criterion_the_complement_paging_and_the_csv_export(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    family, users = await family_of(employer, 12, presence="reader")
    await sign_in(page, employer)

    await search(page, last_name=family.lower(), limit="10")  # from its start, any case
    await expect(page.locator("p.total")).to_have_text("Utilisateurs trouvés : 12")
    await expect(rows(page)).to_have_count(10)
    await expect(rows(page).first).to_contain_text(f"{family}-00")
    await expect(page.locator('[name="last_name"]')).to_have_value(family.lower())  # the criteria stay
    await shoot(page, "access-users-search")
    await page.get_by_role("link", name="Suivant").click()
    await expect(rows(page)).to_have_count(2)
    await expect(rows(page)).to_contain_text([f"{family}-10", f"{family}-11"])  # one text per row, in order
    await expect(page.get_by_text("11–12 sur 12")).to_be_visible()
    await page.get_by_role("link", name="Précédent").click()
    await expect(rows(page)).to_have_count(10)

    await search(page, last_name=family, sort="last_name", order="desc")
    await expect(rows(page).first).to_contain_text(f"{family}-11")

    await search(page, username=users[3]["username"])
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page)).to_contain_text(users[3]["username"])

    await search(page, niss=formatted(users[4]["niss"]))
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page)).to_contain_text(formatted(users[4]["niss"]))

    await search(page, last_name=family, application="presence")  # the two with presence
    await expect(rows(page)).to_have_count(2)
    await expect(rows(page).first).to_contain_text("Enregistrement des présences : Consultation")

    await search(page, type="access_manager")
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page)).to_contain_text(employer.username)
    await expect(rows(page).locator('input[name="user_ids"]')).to_have_count(0)  # a manager is not selectable

    await search(page, first_name="Lotte", not_logged_in_since="2030-01-01")  # none of them ever signed in
    await expect(page.locator("p.total")).to_have_text("Utilisateurs trouvés : 12")

    await search(page, niss="85073003329")  # wrong check digits: said next to the field
    niss_field = page.locator("form.search .field", has=page.locator('[name="niss"]'))
    await expect(niss_field.locator(".error")).to_have_text(
        "Ce n'est pas un numéro de registre national ou BIS valable."
    )

    # The complementary search: exactly those NOT matching, here the access manager.
    await search(page, last_name=family, complementary="on")
    await expect(page.locator("p.total")).to_have_text("Utilisateurs trouvés : 1")
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page)).to_contain_text(employer.username)
    await shoot(page, "access-users-complementary")

    # The CSV of the search, as a download.
    await search(page, last_name=family, limit="10")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Exporter ces utilisateurs (.csv)").click()
    download = await waiting.value
    assert download.suggested_filename.startswith("users-") and download.suggested_filename.endswith(".csv")
    content = (await download.path()).read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")  # so a spreadsheet reads the accents right
    table = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:3] == ["last_name", "first_name", "username"]
    assert sorted(row[0] for row in table[1:]) == [f"{family}-{i:02d}" for i in range(12)]  # all, not one page

    # On a phone, the list scrolls inside its frame; the page itself does not.
    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(rows(page)).to_have_count(10)
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await shoot(page, "access-users-phone")


async def test_a_selection_gets_an_application_with_a_result_per_user(
    page: Page, employer: Employer, shoot: Shoot
) -> None:
    family, users = await family_of(employer, 3, presence="reader")
    await sign_in(page, employer)
    await search(page, last_name=family)
    for user in users[1:]:  # one with presence's consultation already, one without
        await page.get_by_label(f"Sélectionner {user['first_name']} {user['last_name']}").check()
    await page.get_by_label("Action", exact=True).select_option("grant")
    await page.get_by_role("button", name="Continuer avec la sélection").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attribuer une application aux utilisateurs sélectionnés"
    )
    await expect(page.get_by_role("heading", name="Utilisateurs sélectionnés : 2")).to_be_visible()
    await (
        page.get_by_role("group", name="Enregistrement des présences")
        .get_by_label("Enregistrement", exact=True)
        .check()
    )
    await shoot(page, "access-selection-grant")
    await page.get_by_role("button", name="Attribuer à ces utilisateurs").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Résultat pour les utilisateurs sélectionnés")
    result = page.locator("table.results tbody tr")
    await expect(result).to_have_count(2)
    changed = result.filter(has_text=users[1]["username"])
    granted = result.filter(has_text=users[2]["username"])
    await expect(changed.locator("td.result")).to_have_text("Profil modifié de Consultation à Enregistrement")
    await expect(granted.locator("td.result")).to_have_text("Attribuée avec le profil Enregistrement")
    await shoot(page, "access-selection-result")
    # identity holds it: a search by application finds them, with the new profile.
    await search(page, last_name=family, application="presence")
    await expect(rows(page)).to_have_count(3)
    await expect(rows(page).filter(has_text=users[2]["username"])).to_contain_text(
        "Enregistrement des présences : Enregistrement"
    )

    # And revoked from the same selection.
    await search(page, last_name=family)
    for user in users[1:]:
        await page.get_by_label(f"Sélectionner {user['first_name']} {user['last_name']}").check()
    await page.get_by_label("Action", exact=True).select_option("revoke")
    await page.get_by_role("button", name="Continuer avec la sélection").click()
    await page.get_by_label("Enregistrement des présences", exact=True).check()
    await page.get_by_role("button", name="Retirer à ces utilisateurs").click()
    await expect(page.locator("table.results td.result")).to_have_text(
        ["Retirée (le profil était Enregistrement)", "Retirée (le profil était Enregistrement)"]
    )


async def test_block_unblock_and_delete_after_the_preview(page: Page, employer: Employer, shoot: Shoot) -> None:
    family, users = await family_of(employer, 2)
    target = users[0]
    await sign_in(page, employer)
    await search(page, last_name=family)
    await page.get_by_role("link", name=target["last_name"]).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"{target['first_name']} {target['last_name']}")

    await page.get_by_role("button", name="Bloquer cet utilisateur").click()
    await expect(page.locator(".flash.success")).to_contain_text("L'utilisateur est bloqué")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bloqué")
    await shoot(page, "access-user-blocked")
    await search(page, last_name=family, status="blocked")
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page)).to_contain_text(target["username"])
    await page.get_by_role("link", name=target["last_name"]).click()
    await page.get_by_role("button", name="Débloquer cet utilisateur").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Actif")
    await search(page, last_name=family, status="blocked")
    await expect(page.locator("p.total")).to_have_text("Utilisateurs trouvés : 0")

    # Modify an e-mail address, then delete: the preview shows what goes, then the confirmation.
    await page.goto(f"/access/users/{target['user_id']}")
    new_email = f"{unique('nouveau.')}@example.be"
    await page.fill('form [name="email"]', new_email)
    await page.get_by_role("button", name="Enregistrer les modifications").click()
    await expect(page.locator(".flash.success")).to_have_text("Les modifications sont enregistrées.")
    await expect(page.locator("dl.facts")).to_contain_text(new_email)

    await page.get_by_role("link", name="Supprimer cet utilisateur…").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer cet utilisateur")
    preview = page.locator(".preview")
    await expect(preview).to_contain_text(target["username"])
    await expect(preview).to_contain_text(formatted(target["niss"]))
    await expect(preview).to_contain_text(new_email)
    await shoot(page, "access-delete-preview")
    await page.get_by_role("button", name="Supprimer cet utilisateur").click()
    await expect(page).to_have_url("/access/users")
    await expect(page.locator(".flash.success")).to_have_text("L'utilisateur est supprimé.")
    await search(page, last_name=family)
    await expect(rows(page)).to_have_count(1)
    await expect(page.locator("table.users")).not_to_contain_text(target["username"])
    missing = await page.goto(f"/access/users/{target['user_id']}")
    assert missing is not None and missing.status == 404

    # The same pages in Dutch.
    await page.goto("/access/users")
    await page.select_option("#lang-choice", "nl")
    await page.get_by_role("button", name="Changer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")
    await expect(page.locator("p.total")).to_contain_text("Gevonden gebruikers:")
    await page.get_by_role("link", name=users[1]["last_name"]).click()
    await expect(page.get_by_role("heading", name="Toepassingen en profielen")).to_be_visible()
    await shoot(page, "access-user-page-nl")
