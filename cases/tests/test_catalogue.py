"""The service catalogue: the regulation's items and limits, Art. 31 legal bases, public guide."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from cases import services
from cases.errors import CatalogueLegalBasisMissingError
from cases.models import ItemMaterial, MaterialKind, ServiceItem
from cases.services import MaterialSpec

pytestmark = pytest.mark.django_db


# requirements.md, "Every time limit in the regulation" (and benefit-rules.md §f, §g for transfers).
@pytest.mark.parametrize(
    ("code", "working_days", "article"),
    [
        ("person_registration", 10, "第六条"),
        ("registration_change", 10, "第十条"),
        ("pension_claim", 20, "第十八条"),
        ("medical_manual_reimbursement", 30, "第二十条第二款"),
        ("maternity_allowance", 10, "第二十条第三款"),
        ("work_injury_reimbursement", 20, "第二十二条第二款"),
        ("unemployment_benefit", 10, "第二十四条第一款"),
        ("training_subsidy", 10, "第二十四条第三款"),
        ("pension_transfer_accept", 15, "66号"),
        ("pension_transfer_out", 15, "66号"),
        ("pension_transfer_intake", 15, "66号"),
        ("medical_transfer_out", 10, "43号"),
        ("medical_transfer_in", 5, "43号"),
    ],
)
def test_the_catalogue_carries_the_regulations_limits(code, working_days, article):
    item = ServiceItem.objects.get(code=code)
    assert item.time_limit_working_days == working_days
    assert item.time_limit_is_statutory
    assert article in item.time_limit_source


def test_survivor_benefits_have_a_service_target_not_a_statutory_limit():
    # Art. 19 says 及时 (promptly) and gives no number.
    item = ServiceItem.objects.get(code="survivor_benefits")
    assert not item.time_limit_is_statutory
    assert "及时" in item.time_limit_source


def test_pension_transfer_is_three_steps_of_one_procedure():
    steps = ServiceItem.objects.filter(procedure="pension_transfer").order_by("step")
    assert [(s.step, s.time_limit_working_days) for s in steps] == [(1, 15), (2, 15), (3, 15)]


@pytest.mark.parametrize(
    ("procedure", "article", "limits"),
    [
        ("public_pension_transfer", "第十二条第二款", [(1, 15), (2, 15), (3, 15)]),
        ("resident_pension_transfer", "第十二条第三款", [(1, 15), (2, 15), (3, 15)]),
        ("unemployment_transfer", "第十四条", [(1, 10), (2, 5)]),
    ],
)
def test_transfer_steps_without_a_number_in_law_are_internal_targets(procedure, article, limits):
    steps = ServiceItem.objects.filter(procedure=procedure).order_by("step")
    assert [(s.step, s.time_limit_working_days) for s in steps] == limits
    for step in steps:
        assert step.owner_app == "transfers"
        assert article in step.legal_basis
        assert not step.time_limit_is_statutory
        assert "本机构服务承诺时限" in step.time_limit_source
        assert step.clock_starts == ("receipt" if step.step == 1 else "previous_step")


def test_the_transfer_items_migration_seeds_only_what_is_missing():
    from cases.catalogue_seed import seed_catalogue

    ServiceItem.objects.filter(code="unemployment_transfer_in").update(time_limit_working_days=7)
    assert seed_catalogue(ServiceItem, ItemMaterial, frozenset({"unemployment_transfer_in"})) == 0
    # An administrator's later edit stays.
    assert ServiceItem.objects.get(code="unemployment_transfer_in").time_limit_working_days == 7


def test_every_seeded_material_beyond_an_id_has_a_legal_basis():
    lacking = ItemMaterial.objects.exclude(kind=MaterialKind.IDENTITY).filter(legal_basis="")
    assert not lacking.exists()
    assert ItemMaterial.objects.filter(kind=MaterialKind.IDENTITY).count() >= 10


def test_manual_reimbursement_lists_the_four_documents_of_art_20():
    item = ServiceItem.objects.get(code="medical_manual_reimbursement")
    codes = list(item.materials.values_list("code", flat=True))
    assert codes == ["id_document", "invoices", "cost_list", "diagnosis", "medical_records"]


def test_shared_data_is_fetched_not_asked_for():
    item = ServiceItem.objects.get(code="survivor_benefits")
    death = item.materials.get(code="death_record")
    assert death.fetched_by_agency
    assert "第八条" in death.fetched_from


def _define(**overrides):
    kwargs = {
        "code": "test_item",
        "name": "测试事项",
        "name_en": "Test item",
        "owner_app": "benefits",
        "legal_basis": "社会保险经办条例 第二十四条",
        "time_limit_working_days": 10,
        "time_limit_source": "第二十四条",
        "channels": ["counter"],
        "materials": [
            MaterialSpec("id_document", "身份证", "ID card", kind=MaterialKind.IDENTITY),
            MaterialSpec("certificate", "证书", "Certificate", legal_basis="第二十四条第三款"),
        ],
        "valid_from": date(2023, 12, 1),
        "by": None,
    }
    kwargs.update(overrides)
    return services.service_item_define(**kwargs)


def test_a_catalogue_item_with_legal_bases_is_saved_and_audited():
    from audit.models import AuditEvent

    item = _define()
    assert item.materials.count() == 2
    assert AuditEvent.objects.filter(action="cases.service_item.define").exists()


def test_a_material_without_a_legal_basis_is_refused():
    with pytest.raises(CatalogueLegalBasisMissingError) as refused:
        _define(materials=[MaterialSpec("proof_of_address", "居住证明", "Proof of address")])
    assert "Art. 31" in refused.value.message or "第三十一条" in refused.value.message
    assert refused.value.fields == {"materials": ["proof_of_address"]}
    assert not ServiceItem.objects.filter(code="test_item").exists()


def test_an_item_without_a_legal_basis_is_refused():
    with pytest.raises(CatalogueLegalBasisMissingError):
        _define(legal_basis="  ")
    assert not ServiceItem.objects.filter(code="test_item").exists()


def test_the_database_refuses_a_material_without_a_basis_too():
    item = ServiceItem.objects.get(code="pension_claim")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemMaterial.objects.create(item=item, code="x", name="x", name_en="x", legal_basis="")


def test_the_guide_is_public_and_tells_everything_once(client):
    response = client.get("/cases/guide/medical_manual_reimbursement/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("收费票据", "费用清单", "诊断证明", "病历资料", "第二十条第二款", "30"):
        assert text in html
    assert "行政复议" in html  # Art. 52 remedies
    listing = client.get("/cases/guide/")
    assert listing.status_code == 200
    assert "个人社会保险登记" in listing.content.decode()


def test_the_guide_speaks_english_too(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/cases/guide/survivor_benefits/").content.decode()
    assert "You do not need to bring these" in html
    assert "Death record" in html


def test_the_catalogue_api_is_public(api_client):
    response = api_client.get("/api/v1/service-items")
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()}
    assert {"pension_claim", "medical_transfer_in", "home_visit"} <= codes
    item = api_client.get("/api/v1/service-items/maternity_allowance").json()
    assert item["time_limit_working_days"] == 10
    assert [m["code"] for m in item["materials"]] == ["id_document", "medical_records"]
