"""Browser: the clerk's transfer pages and the person's progress page pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from tests.browser import axe_violations, describe, login
from transfers.procedures import TransferKind
from transfers.services import steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_pages_and_the_portal_page_are_accessible(
    live_server, page, mover, gz, gz_agency, region, local_partner, make_user
):
    transfer = steps.transfer_apply(
        kind=TransferKind.PENSION_EMP_INTER_AREA,
        id_number=mover.id_number,
        name=mover.name,
        other_region=region,
        agency=gz_agency,
        by=gz["clerk"],
        is_military=True,
        military_organ="某部政治工作部",
        military_document="转移凭证 2026-001",
    )
    login(page, live_server.url, gz["clerk"].username, PASSWORD)
    for path in ("/transfers/", "/transfers/new/", "/transfers/reconciliation/"):
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], (path, describe(violations))
    page.goto(f"{live_server.url}/transfers/")
    page.click(f"text={transfer.reference}")
    page.wait_for_load_state("networkidle")
    assert "第1环节" in page.inner_text("main")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.click("button:has-text('办结本环节')")
    page.wait_for_load_state("networkidle")
    assert "已送达" in page.inner_text("main")  # the contact letter, delivered in process

    owner = make_user(is_staff=False, agency=None, username="person-login")
    mover.user = owner
    mover.save(update_fields=["user"])
    page.context.clear_cookies()
    login(page, live_server.url, owner.username, PASSWORD)
    page.goto(f"{live_server.url}/transfers/mine/")
    assert transfer.reference in page.inner_text("main")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
