"""The admin and the public code page in a real headless Chromium (Playwright), against a live server.

Screenshots go to a temporary directory; ``API_ERRORS_SCREENSHOTS=1`` writes them to
``docs/screenshots/`` instead, where ``docs/catalogue.md`` shows them::

    API_ERRORS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/test_browser.py
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from django_api_errors.catalogue.sync import sync_catalogue
from django_api_errors.models import CatalogueEntry

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Generous, for a busy machine: Chromium's start and each page's load and lookups may take this long.
TIMEOUT_MS = 120_000


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where this run saves its screenshots."""
    if os.environ.get("API_ERRORS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path


@pytest.fixture
def catalogue_size(transactional_db) -> int:
    """A synced catalogue and an admin user, made before the browser starts.

    Playwright's sync API runs the test in its own greenlet context, where the ORM would open a
    connection that nothing closes; so the database is prepared here, never while the browser runs.
    """
    sync_catalogue()
    get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    return CatalogueEntry.objects.count()


@pytest.fixture
def browser(monkeypatch) -> Iterator:
    """Debian's Chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, where Django refuses ORM calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "the browser tests need Chromium (python3 dev.py test installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        yield chromium
        chromium.close()


def test_staff_browse_the_catalogue_edit_docs_and_read_the_public_page(
    live_server, catalogue_size, browser, screenshots
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/django_api_errors/catalogueentry/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")

    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == catalogue_size
    row = page.locator("#result_list tbody tr", has_text="out-of-stock")
    assert row.locator("td.field-status").inner_text() == "409"
    assert row.locator("td.field-app_label").inner_text() == "shop"
    assert "The product is sold out." in row.inner_text()
    assert page.locator("#changelist-filter").is_visible()
    assert page.locator(".object-tools a.addlink").count() == 0
    page.screenshot(path=str(screenshots / "admin-changelist.png"))

    page.fill("#searchbar", "sold out")
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").count() == 1

    page.click("#result_list a:text-is('out-of-stock')")
    page.fill("#id_documentation", "Happens when the last item of a product has been sold.")
    page.fill("#id_hints", "Offer a back-order.\nShow the restock date.")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.locator("ul.messagelist").inner_text()
    assert "409" in page.locator("div.field-status div.readonly").inner_text()
    assert page.locator("#id_slug").count() == 0
    assert '"code": "out-of-stock"' in page.locator("div.field-example_body pre").inner_text()
    page.screenshot(path=str(screenshots / "admin-detail.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(f"{live_server.url}/errors/out-of-stock/")
    assert phone.locator("h1").inner_text() == "out-of-stock"
    assert "409 Conflict" in phone.inner_text("main")
    assert "The product is sold out." in phone.inner_text("main")
    documentation = phone.inner_text("section.documentation")
    assert "Happens when the last item of a product has been sold." in documentation
    hints = phone.locator("section.hints li").all_inner_texts()
    assert hints == ["Offer a back-order.", "Show the restock date."]
    assert '"code": "out-of-stock"' in phone.inner_text("section.example pre")
    # Readable on a phone: nothing is wider than the screen, the example body wraps.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(screenshots / "code-page-phone.png"), full_page=True)

    for name in ("admin-changelist.png", "admin-detail.png", "code-page-phone.png"):
        assert (screenshots / name).stat().st_size > 10_000
