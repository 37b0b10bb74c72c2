"""Shared by the browser tests: a phone's viewport, and what a person reads and does on a
sheet page."""

from playwright.sync_api import Locator, Page

PHONE = {"width": 390, "height": 844}  # a phone's viewport, for the pages people open on one


def state_badge(page: Page) -> Locator:
    return page.get_by_role("region", name="Employee performance goals").locator(".badge")


def sign(page: Page, action: str, name: str) -> None:
    page.get_by_label("Type your full name to sign").fill(name)
    page.get_by_role("button", name=action).click()
