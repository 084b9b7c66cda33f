"""Render the two letters of the demo data to PDF and PNG, as in docs/screenshots:

    DINGSHOU_DB=/tmp/demo.sqlite3 DINGSHOU_TODAY=2026-11-25 python3 dev.py cli demo
    DINGSHOU_TODAY=2026-11-25 .venv/bin/python -m tests.letter_screenshots /tmp/demo.sqlite3 docs/screenshots

On a copy of the demo file (the demo file itself is left as it is) the 更换服务人员通知函 of
孙海波 (August and September failed) is recorded as sent on 2026-10-09 under 龙街函〔2026〕27号,
as the clerk does from the 月度考核 tab; the 催告函 is the open cure notice of November.
Each PDF page becomes a PNG at 60 dpi (pdftoppm); a letter of two pages is put side by side.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main(demo: Path, out: Path) -> None:
    from PIL import Image

    from app import consequences as c
    from app import letters
    from app.reports.letter_pdf import render_letter
    from app.store import open_store

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "demo.sqlite3"
        shutil.copyfile(demo, copy)
        store = open_store(copy)
        try:
            [fired] = [f for f in c.fired_rules(store) if f.rule == "replacement"]
            months = (fired.months[0], fired.months[1])
            assert fired.worker_id is not None
            c.record_demand(store, fired.worker_id, months, {"letter_no": "龙街函〔2026〕27号", "issued_on": "2026-10-09"})
            notice = max(c.list_notices(store), key=lambda n: n.issued_on)
            pdfs = {"letter-replacement": render_letter(letters.replacement_letter(store, fired.worker_id, months)),
                    "letter-cure": render_letter(letters.cure_letter(store, notice.id)[1])}
        finally:
            store.close()
        for name, pdf in pdfs.items():
            source = Path(tmp) / f"{name}.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(Path(tmp) / name)], check=True)
            pages = [Image.open(p) for p in sorted(Path(tmp).glob(f"{name}-*.png"))]
            sheet = Image.new("RGB", (sum(p.width for p in pages) + 8 * (len(pages) - 1), pages[0].height), "#6b6f76")
            x = 0
            for page in pages:
                sheet.paste(page, (x, 0))
                x += page.width + 8
            sheet.save(out / f"{name}.png")
            print(out / f"{name}.png", f"{len(pages)} 页")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
