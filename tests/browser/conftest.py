"""Browser tests: headless Chromium (Debian's, installed by `make provision`) driven by Playwright, against the
real stack through the gateway. Each test gets a fresh browser context (its own cookies) in the language it
asks for; `shoot(page, name)` keeps a full-page screenshot under `<run dir>/screenshots/` to look at."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from ruche_devstack.provision import CHROMIUM
from ruche_devstack.stack import Stack
from ruche_testing import eventually

from tests.e2e.conftest import employer, gateway, other_employer  # the same set-up as the API tests

__all__ = ["employer", "gateway", "other_employer"]

# Chromium as root in a sandbox-less VM, with nothing that calls home (this machine's network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=fr-BE",  # date fields as a Belgian sees them (dd/mm/yyyy)
]
Shoot = Callable[[Page, str], Awaitable[Path]]


@pytest.fixture(scope="session")
async def browser(stack: Stack) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def new_context(browser: Browser, stack: Stack, locale: str = "fr-BE") -> BrowserContext:
    context = await browser.new_context(
        base_url=stack.gateway_url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    """A page in a fresh context whose browser asks for French (Belgium)."""
    context = await new_context(browser, stack)
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
def shoot(stack: Stack) -> Shoot:
    folder = stack.run_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    async def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take


async def mailed_link(stack: Stack, address: str, subject_part: str = "") -> str:
    """The first link of the newest mail to `address` (waiting for it), as the person would click it."""

    def find() -> EmailMessage | None:
        for message in reversed(stack.emails()):
            if message["To"] == address and subject_part in message["Subject"]:
                return message
        return None

    async def probe() -> EmailMessage | None:
        return find()

    message = await eventually(probe, what=f"an e-mail to {address}")
    found = re.search(r"https?://\S+", message.get_content())
    assert found, message.get_content()
    return found.group(0)


async def submit(page: Page, fields: dict[str, str], button: str | None = None) -> None:
    """Fill a form by its labels' fields (name → value) and send it."""
    for name, value in fields.items():
        await page.fill(f'[name="{name}"]', value)
    if button:
        await page.get_by_role("button", name=button).click()
    else:
        await page.locator("main form button[type=submit]").last.click()
