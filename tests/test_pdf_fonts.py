"""Every PDF the program prints carries every font it names. A signed sheet, a letter or a
付款申请单 kept as evidence must look the same on any PC in ten years; reportlab's default
initial font (Helvetica) was named on every page without being embedded (pdffonts: "emb no")."""
from __future__ import annotations

import io

import pypdf
import pytest

from app import assessment, consequences, letters
from app.demo import fill_demo
from app.reports.assessment_pdf import render_sheets
from app.reports.ledger_pdf import ledger_statement_pdf, payment_request_pdf
from app.reports.letter_pdf import render_letter
from app.reports.roster_pdf import roster_pdf


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Each font named by a page: whether its program is embedded."""
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


@pytest.fixture(scope="module")
def demo_pdfs():
    from app.store import open_memory_store

    store = open_memory_store()
    fill_demo(store)
    view = assessment.load_month(store, 2026, 9)
    notice = consequences.list_notices(store)[0]
    [fired] = [f for f in consequences.fired_rules(store) if f.rule == "replacement"]
    months = (fired.months[0], fired.months[1])
    consequences.record_demand(store, fired.worker_id, months, {"letter_no": "龙街函〔2026〕27号",
                                                                "issued_on": "2026-10-09"})
    return {
        "考核表": render_sheets(view.sheets, view.contract.name, view.contract.client.name,
                             view.contract.vendor.name, summary=view, summary_extra={"ranking": "", "rules": []}),
        "催告函": render_letter(letters.cure_letter(store, notice.id)[1]),
        "更换服务人员通知函": render_letter(letters.replacement_letter(store, fired.worker_id, months)),
        "付款申请单": payment_request_pdf(store, "2026Q3"),
        "付款台账": ledger_statement_pdf(store),
        "排班表": roster_pdf(store, 2026, 11),
    }


@pytest.mark.parametrize("kind", ["考核表", "催告函", "更换服务人员通知函", "付款申请单", "付款台账", "排班表"])
def test_every_font_a_printed_document_names_is_embedded(demo_pdfs, kind):
    fonts = fonts_of(demo_pdfs[kind])
    assert fonts and all(fonts.values()), fonts
