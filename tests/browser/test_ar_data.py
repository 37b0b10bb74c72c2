"""HR loads an AR export in the browser: upload, match the columns, preview, apply — each
step accessible, the counts on the page, the rows in the ledger."""

import pytest
from playwright.sync_api import expect

from goalsapp.ar.models import CustomerAccount
from tests.browser.helpers import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXPORT = b"Customer No,Name,Collector,Territory\nA1,Acme,E-1003,West\nA2,Bolt,,East\n"


def test_hr_uploads_matches_previews_and_applies_an_export(login, hr, employee):
    _context, page = login("hana")
    page.get_by_role("link", name="AR data").click()
    page.get_by_role("link", name="Load a file").click()
    page.get_by_label("New source system's name").fill("Oracle AR")
    page.get_by_label("What the file holds").select_option("accounts")
    page.get_by_label("The export (CSV)").set_input_files(
        {"name": "accounts.csv", "mimeType": "text/csv", "buffer": EXPORT})
    page.get_by_role("button", name="Next: match the columns").click()
    assert_accessible(page, "column match")
    # Named like ours: matched already; the account number is the one to choose.
    expect(page.get_by_label("Collector's employee number (optional)")).to_have_value(
        "Collector")
    page.get_by_label("Account number").select_option("Customer No")
    page.get_by_role("button", name="Save the match and preview").click()
    expect(page.get_by_role("row", name="New 2")).to_be_visible()
    assert_accessible(page, "preview")
    assert not CustomerAccount.objects.exists()
    page.get_by_role("button", name="Apply this load").click()
    expect(page.get_by_test_id("ar-load-status")).to_contain_text("Applied")
    assert CustomerAccount.objects.get(number="A1").collector == employee
