"""月度考核 dialogs: signing (with the scanned sheets), 撤销签字, scans, the district ranking
and cure notices. Every rule is in app/; these only collect input and show refusals."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton,
    QSpinBox, QWidget,
)

from app import clock
from app.assessment import month_label, reopen
from app.consequences import Cause, CureNotice, Demand, Ranking, issue_notice, list_notices, list_rankings, \
    mark_cured, record_demand, record_ranking, set_notice_number
from app.errors import UserError
from app.labels import field_label
from app.scans import WHOLE_MONTH, Scan, attach_scan, list_scans, scan_owners, scan_path, sign_with_scan
from app.store import Store
from ui.models import Column, RecordTableModel, make_table
from ui.forms import DateField, FormDialog, resize_within_screen

SCAN_FILTER = "PDF 或图片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp)"


def _documents() -> str:
    from PySide6.QtCore import QStandardPaths

    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


class FileField(QWidget):
    """A chosen file (optional), with 选择… and 清除."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("（可选）签字后的考核表扫描件：PDF 或图片，不超过 20 MB")
        choose = QPushButton("选择(&O)…")
        choose.clicked.connect(self.choose)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(choose)
        self.setFocusProxy(choose)

    def choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择签字考核表扫描件", _documents(), SCAN_FILTER)
        if chosen:
            self.path_edit.setText(chosen)

    def value(self) -> Path | None:
        return Path(self.path_edit.text()) if self.path_edit.text() else None


class OwnerBox(QComboBox):
    """Whose signed sheet a scan is: 全月/汇总表 (the whole stack, or the summary) or one of
    the workers scored that month."""

    def __init__(self, store: Store, year: int, month: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem(WHOLE_MONTH, None)
        for worker_id, name in scan_owners(store, year, month):
            self.addItem(name, worker_id)
        self.setToolTip("扫描件是哪一份考核表：某位服务人员的，或整月一叠/汇总表（全月）")

    def value(self) -> int | None:
        return self.currentData()


class SignDialog(FormDialog):
    """登记签字: the day both sides signed the printed sheets, and their scan if at hand."""

    def __init__(self, store: Store, year: int, month: int, parent: QWidget | None = None):
        super().__init__(f"{month_label(year, month)}考核表签字", parent)
        self.store, self.year, self.month = store, year, month
        form = QFormLayout()
        hint = QLabel("考核人（甲方）、乙方负责人和服务人员在打印的考核表上签字、盖章后，登记签字日期。登记后本月考核锁定。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.signed_on = DateField(clock.today())
        self.scan = FileField()
        self.owner = OwnerBox(store, year, month)
        form.addRow("签字日期(&D)：", self.signed_on)
        form.addRow("扫描件：", self.scan)
        form.addRow("扫描件是(&W)：", self.owner)
        self.fields = {"signed_on": self.signed_on, "file": self.scan, "worker_id": self.owner}
        self.layout_.addWidget(hint)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.buttons.buttons()[0].setText("登记签字")
        self.resize(560, 0)

    def save(self) -> Any:
        sign_with_scan(self.store, self.year, self.month, self.signed_on.value(), self.scan.value(),
                       worker_id=self.owner.value())
        return True


class ReopenDialog(FormDialog):
    """撤销签字: the reason goes into the change history; reprints get new codes."""

    def __init__(self, store: Store, year: int, month: int, parent: QWidget | None = None):
        super().__init__(f"撤销{month_label(year, month)}考核签字", parent)
        self.store, self.year, self.month = store, year, month
        hint = QLabel("撤销签字后本月考核回到草稿，可以更正；原因记入修改记录。更正后须重新打印（考核表带新的校验码）、"
                      "重新签字。已签字的纸质考核表请注明作废并留存。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("撤销签字的原因，例如：3 月 12 日缺岗时长核对有误，应为 1 小时")
        self.reason.setTabChangesFocus(True)
        self.fields = {"reopen_reason": self.reason}
        self.layout_.addWidget(hint)
        self.layout_.addWidget(QLabel("原因："))
        self.layout_.addWidget(self.reason)
        self.finish_layout()
        self.buttons.buttons()[0].setText("撤销签字")
        self.resize(520, 260)

    def save(self) -> Any:
        return reopen(self.store, self.year, self.month, self.reason.toPlainText())


SCAN_COLUMNS: list[Column[Scan]] = [
    Column(field_label("assessment_attachments", "worker_id"), lambda s: s.whose),
    Column("文件名", lambda s: s.file_name),
    Column("大小", lambda s: f"{s.size / 1024 / 1024:.1f} MB" if s.size >= 1024 * 1024 else f"{max(1, round(s.size / 1024))} KB"),
    Column("添加日期", lambda s: s.added_on),
]


class ScansDialog(FormDialog):
    def __init__(self, store: Store, year: int, month: int, parent: QWidget | None = None):
        super().__init__(f"{month_label(year, month)}签字考核表扫描件", parent)
        self.store, self.year, self.month = store, year, month
        self.model: RecordTableModel[Scan] = RecordTableModel(SCAN_COLUMNS, parent=self)
        self.view = make_table(self.model, self)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        bar = QHBoxLayout()
        self.owner = OwnerBox(store, year, month)
        owner_label = QLabel("扫描件是(&W)：")
        owner_label.setBuddy(self.owner)
        add = QPushButton("添加(&A)…")
        add.clicked.connect(lambda: self.add())
        show = QPushButton("打开(&O)")
        show.clicked.connect(self.open_selected)
        bar.addWidget(owner_label)
        bar.addWidget(self.owner)
        bar.addWidget(add)
        bar.addStretch(1)
        bar.addWidget(show)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.view)
        self.finish_layout()
        self.buttons.buttons()[1].hide()
        self.buttons.buttons()[0].setText("关闭")
        self.resize(640, 320)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(list_scans(self.store, self.year, self.month))
        self.view.resizeColumnsToContents()

    def add(self, path: Path | None = None) -> None:
        if not path:
            chosen, _ = QFileDialog.getOpenFileName(self, "添加签字考核表扫描件", _documents(), SCAN_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        try:
            attach_scan(self.store, self.year, self.month, Path(path), worker_id=self.owner.value())
        except UserError as err:
            self.show_error(err)
            return
        self.error.hide()
        self.refresh()

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(scan_path(self.store, self.model.row_at(rows[0].row())))))

    def save(self) -> Any:
        return True


RANKING_COLUMNS: list[Column[Ranking]] = [
    Column("月份", lambda r: month_label(r.year, r.month)),
    Column("排名", lambda r: f"{r.rank} / {r.streets}"),
    Column("公布得分", lambda r: str(r.score) if r.score is not None else ""),
    Column("后三名", lambda r: "是" if r.bottom_three else "", foreground=lambda r: "#b3261e" if r.bottom_three else None),
    Column("乙方原因", lambda r: r.vendor_caused.label,
           foreground=lambda r: "#b3261e" if r.vendor_caused is Cause.YES else None),
    Column("备注", lambda r: r.note),
]


def notice_columns() -> list[Column[CureNotice]]:
    today = clock.today()
    return [
        Column("函号", lambda n: n.letter_no or "（手写）"),
        Column("催告日期", lambda n: n.issued_on.isoformat()),
        Column("整改期限", lambda n: n.deadline.isoformat()),
        Column("状态", lambda n: n.state(today).label + ("（逾期后整改）" if n.cured_late else ""),
               foreground=lambda n: "#b3261e" if n.state(today).value == "overdue" else None),
        Column("整改完成", lambda n: n.cured_on.isoformat() if n.cured_on else ""),
        Column("未按约履行的情形", lambda n: n.failure, tooltip=lambda n: n.failure),
    ]


class RankingForm(FormDialog):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("登记区月考核排名", parent)
        self.store = store
        form = QFormLayout()
        self.month = QComboBox()
        today = clock.today()
        for m in range(1, 13):
            if dt.date(today.year, m, 1) <= today:
                self.month.addItem(month_label(today.year, m), (today.year, m))
        self.month.setCurrentIndex(max(0, self.month.count() - 2))
        self.rank = QSpinBox()
        self.rank.setRange(1, 400)
        self.streets = QSpinBox()
        self.streets.setRange(1, 400)
        self.streets.setValue(17)
        self.score = QLineEdit()
        self.score.setPlaceholderText("区通报的得分，例如 88.12（可空）")
        self.cause = QComboBox()
        for cause in (Cause.PENDING, Cause.YES, Cause.NO):
            self.cause.addItem(cause.label, cause.value)
        self.note = QLineEdit()
        for label, widget in (("月份：", self.month), ("排名（第几名）：", self.rank), ("参评街道数：", self.streets),
                              ("公布得分：", self.score), ("是否乙方原因：", self.cause), ("备注：", self.note)):
            form.addRow(label, widget)
        self.fields = {"month": self.month, "rank": self.rank, "streets": self.streets, "score": self.score,
                       "vendor_caused": self.cause, "note": self.note}
        self.layout_.addLayout(form)
        self.finish_layout()

    def save(self) -> Any:
        year, month = self.month.currentData()
        return record_ranking(self.store, year, month, {
            "rank": self.rank.value(), "streets": self.streets.value(), "score": self.score.text(),
            "vendor_caused": self.cause.currentData(), "note": self.note.text()})


class NoticeForm(FormDialog):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("发出催告（合同第六条第1款）", parent)
        self.store = store
        form = QFormLayout()
        self.issued_on = DateField(clock.today())
        self.failure = QPlainTextEdit()
        self.failure.setTabChangesFocus(True)
        self.failure.setPlaceholderText("乙方未按约履行的情形，例如：10 月接派单岗位夜间多次无人值守，累计 14 小时")
        self.deadline = QLabel()
        self.letter_no = letter_no_field()
        self.issued_on.dateChanged.connect(self._show_deadline)
        self._show_deadline()
        form.addRow("函号(&H)：", self.letter_no)
        form.addRow("催告日期：", self.issued_on)
        form.addRow("整改期限：", self.deadline)
        form.addRow("未按约履行的情形：", self.failure)
        self.fields = {"letter_no": self.letter_no, "issued_on": self.issued_on, "failure": self.failure}
        self.layout_.addLayout(form)
        self.finish_layout()
        self.resize(560, 300)

    def _show_deadline(self) -> None:
        from app.consequences import cure_deadline

        self.deadline.setText(f"{cure_deadline(self.issued_on.value()).isoformat()}（催告日期后 15 日）")

    def save(self) -> Any:
        return issue_notice(self.store, {"letter_no": self.letter_no.text(), "issued_on": self.issued_on.value(),
                                         "failure": self.failure.toPlainText()})


def letter_no_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText("公文系统编的发文字号，例如 龙街函〔2026〕12号；空着则打印后手写")
    edit.setToolTip("函号由本单位公文系统编号，程序不代编。空着时信函上印“龙街函〔年份〕　　号”，打印后手写。")
    return edit


class DemandForm(FormDialog):
    """登记发函 before the 更换服务人员通知函 (四.4) is printed the first time: its 函号 and date;
    with `demand`, the correction of what was recorded (e.g. the 函号 written by hand)."""

    def __init__(self, store: Store, worker_id: int, months: tuple[str, str], title: str,
                 parent: QWidget | None = None, demand: Demand | None = None):
        super().__init__("更换服务人员通知函（合同第四条第4款）", parent)
        self.store, self.worker_id, self.months = store, worker_id, months
        if demand is None:
            words = (f"{title}。登记函号和发函日期后打印通知函；之后重印使用登记的函号和日期，"
                     "“月度考核”“概览”“人员”页显示已发函。")
        else:
            words = f"{title}，{demand.describe()}。更正登记的函号或发函日期（记入修改记录），重印使用更正后的。"
        hint = QLabel(words)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form = QFormLayout()
        self.letter_no = letter_no_field()
        self.issued_on = DateField(demand.issued_on if demand else clock.today())
        if demand is not None:
            self.letter_no.setText(demand.letter_no)
        form.addRow("函号(&H)：", self.letter_no)
        form.addRow("发函日期(&D)：", self.issued_on)
        self.fields = {"letter_no": self.letter_no, "issued_on": self.issued_on}
        self.layout_.addWidget(hint)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "登记并打印" if demand is None else "保存更正")
        self.letter_no.setFocus()
        self.resize(560, 0)

    def save(self) -> Any:
        return record_demand(self.store, self.worker_id, self.months,
                             {"letter_no": self.letter_no.text(), "issued_on": self.issued_on.value()})


def letterhead_variant(letter: Any) -> tuple[str, Any]:
    """The preview's option for paper with the red letterhead printed on it already."""
    from app.reports.letter_pdf import render_letter

    return "信纸已印红色版头（不打印发文机关标志和红线）", lambda: render_letter(letter, letterhead=False)


class RegistersDialog(FormDialog):
    """区月考核排名 (七.1) and 催告 (六.1): the two registers behind the termination rights."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__("区月考核排名与催告", parent)
        self.store = store
        self.ranking_model: RecordTableModel[Ranking] = RecordTableModel(RANKING_COLUMNS, parent=self)
        self.notice_model: RecordTableModel[CureNotice] = RecordTableModel(notice_columns(), parent=self)
        self.ranking_view = make_table(self.ranking_model, self)
        self.notice_view = make_table(self.notice_model, self)
        for title, view, actions in (
            ("区月考核排名（合同第七条第1款：因乙方原因连续两月排名后三名的，甲方有权解除协议）", self.ranking_view,
             [("登记排名(&R)…", self.add_ranking)]),
            ("催告（合同第六条第1款：经催告 15 日内仍不能改正的，甲方有权单方面解除协议）", self.notice_view,
             [("发出催告(&N)…", self.add_notice), ("函号(&H)…", self.number_selected),
              ("已整改(&C)…", self.cure_selected), ("打印催告函(&P)…", self.print_selected)]),
        ):
            bar = QHBoxLayout()
            caption = QLabel(title)
            caption.setWordWrap(True)
            bar.addWidget(caption, 1)
            for text, slot in actions:
                button = QPushButton(text)
                button.clicked.connect(slot)
                bar.addWidget(button)
            self.layout_.addLayout(bar)
            self.layout_.addWidget(view)
        self.finish_layout()
        self.buttons.buttons()[1].hide()
        self.buttons.buttons()[0].setText("关闭")
        self.resize(900, 560)
        self.refresh()

    def refresh(self) -> None:
        self.ranking_model.set_rows(list_rankings(self.store))
        self.notice_model.set_rows(list_notices(self.store))

    def add_ranking(self) -> None:
        if RankingForm(self.store, self).exec():
            self.refresh()

    def add_notice(self) -> None:
        if NoticeForm(self.store, self).exec():
            self.refresh()

    def _selected_notice(self) -> CureNotice | None:
        rows = self.notice_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.windowTitle(), "请先在催告表中选择一份催告。")
            return None
        return self.notice_model.row_at(rows[0].row())

    def number_selected(self) -> None:
        """Enter or correct the selected notice's 函号 (e.g. the one written by hand)."""
        notice = self._selected_notice()
        if notice is None:
            return
        number = letter_no_field()
        number.setText(notice.letter_no)
        self._ask_one(f"{notice.issued_on.isoformat()} 催告的函号", "函号(&H)：", "letter_no", number,
                      lambda: set_notice_number(self.store, notice.id, number.text()))

    def cure_selected(self) -> None:
        notice = self._selected_notice()
        if notice is None:
            return
        day = DateField(clock.today())
        self._ask_one(f"催告 {notice.letter_no} 已整改", "整改完成日期：", "cured_on", day,
                      lambda: mark_cured(self.store, notice.id, day.value()))

    def _ask_one(self, title: str, label: str, key: str, field: QWidget, save: Any) -> None:
        """A small form of one field on the selected notice; refreshes the register when saved."""
        dialog = FormDialog(title, self)
        form = QFormLayout()
        form.addRow(label, field)
        dialog.fields = {key: field}
        dialog.layout_.addLayout(form)
        dialog.finish_layout()
        dialog.save = save  # type: ignore[method-assign]
        if dialog.exec():
            self.refresh()

    def print_selected(self) -> None:
        notice = self._selected_notice()
        if notice is None:
            return
        from app.letters import cure_letter
        from app.reports.letter_pdf import render_letter
        from ui.printing import present_pdf

        _, letter = cure_letter(self.store, notice.id)
        present_pdf(self, render_letter(letter), f"催告函-{notice.issued_on.isoformat()}.pdf",
                    variant=letterhead_variant(letter))

    def save(self) -> Any:
        return True



CRITERION_HEADERS = ["考核项目", "考核标准", "分值", "扣分规则", "每缺岗1小时建议扣分", "每缺1个班次建议扣分"]
CRITERION_KEYS = ["name", "standard", "max", "rules", "per_uncovered_hour", "per_absence"]
BAND_HEADERS = ["等级", "起始分（含）", "截止分（不含，最高等级含100）"]


class TemplateDialog(FormDialog):
    """考核标准: criteria, grade bands and pass mark, per post or for all posts. Saving makes a
    new version; months already scored keep theirs (the check is in app.assessment_template)."""

    confirm_discard = True

    def __init__(self, store: Store, parent: QWidget | None = None):
        from PySide6.QtWidgets import QAbstractItemView, QTableWidget

        super().__init__("考核标准", parent)
        self.store = store
        from app.contract import active_contract

        contract = active_contract(store)
        top = QFormLayout()
        self.post = QComboBox()
        self.post.addItem("所有岗位（默认）", "")
        for p in contract.posts:
            self.post.addItem(p.name, p.code)
        self.name = QLineEdit()
        self.pass_mark = QSpinBox()
        self.pass_mark.setRange(0, 100)
        self.note = QLineEdit()
        self.note.setPlaceholderText("这次修改了什么、为什么（记入修改记录）")
        self.version = QLabel()
        self.version.setObjectName("hint")
        top.addRow("适用岗位(&P)：", self.post)
        top.addRow("名称(&M)：", self.name)
        top.addRow("合格分数线(&L)：", self.pass_mark)
        top.addRow("修改说明(&N)：", self.note)
        top.addRow("", self.version)
        self.layout_.addLayout(top)
        self.criteria = QTableWidget(0, len(CRITERION_HEADERS))
        self.criteria.setHorizontalHeaderLabels(CRITERION_HEADERS)
        self.criteria.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.criteria.horizontalHeader().setStretchLastSection(True)
        self.bands = QTableWidget(0, len(BAND_HEADERS))
        self.bands.setHorizontalHeaderLabels(BAND_HEADERS)
        self.bands.horizontalHeader().setStretchLastSection(True)
        self.bands.setMaximumHeight(150)
        self.sum_label = QLabel()
        self.criteria.itemChanged.connect(lambda _i: self._show_sum())
        row = QHBoxLayout()
        add = QPushButton("增加考核项目(&A)")
        remove = QPushButton("删除所选项目(&R)")
        add.clicked.connect(lambda: self.criteria.insertRow(self.criteria.rowCount()))
        remove.clicked.connect(lambda: self.criteria.removeRow(max(0, self.criteria.currentRow())))
        criteria_label = QLabel("考核项目(&X)（各项分值合计应为 100 分）：")
        criteria_label.setBuddy(self.criteria)
        row.addWidget(criteria_label)
        row.addWidget(self.sum_label, 1)
        row.addWidget(add)
        row.addWidget(remove)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.criteria, 1)
        bands_label = QLabel("等级(&G)（从 0 到 100 分，不重叠、不留空档）：")
        bands_label.setBuddy(self.bands)
        self.layout_.addWidget(bands_label)
        self.layout_.addWidget(self.bands)
        self.fields = {"name": self.name, "criteria": self.criteria, "bands": self.bands,
                       "pass_mark": self.pass_mark, "note": self.note}
        self.finish_layout()
        self.buttons.buttons()[0].setText("保存为新版本")
        resize_within_screen(self, 1100, 680)
        self.post.currentIndexChanged.connect(lambda _i: self.load())
        self.load()

    def load(self) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        from app.assessment_template import template_for

        template = template_for(self.store, self.post.currentData())
        own = template.post_code == self.post.currentData()
        self.name.setText(template.name)
        self.pass_mark.setValue(int(template.pass_mark))
        self.version.setText(f"现行：{template.label}" + ("" if own else "（此岗位还没有自己的考核标准，以默认标准为底稿）"))
        self.criteria.blockSignals(True)
        self.criteria.setRowCount(0)
        for c in template.criteria:
            r = self.criteria.rowCount()
            self.criteria.insertRow(r)
            for col, key in enumerate(CRITERION_KEYS):
                self.criteria.setItem(r, col, QTableWidgetItem(str(c.as_json()[key])))
        self.criteria.blockSignals(False)
        self.criteria.resizeColumnsToContents()
        for col in (1, 3):
            self.criteria.setColumnWidth(col, 300)
        self.bands.setRowCount(0)
        for b in template.bands:
            r = self.bands.rowCount()
            self.bands.insertRow(r)
            for col, key in enumerate(("name", "from", "to")):
                self.bands.setItem(r, col, QTableWidgetItem(str(b.as_json()[key])))
        self._show_sum()
        self.mark_unchanged()

    @staticmethod
    def _cells(table: Any, keys: list[str]) -> list[dict[str, str]]:
        rows = []
        for r in range(table.rowCount()):
            values = {k: (table.item(r, c).text().strip() if table.item(r, c) else "") for c, k in enumerate(keys)}
            if any(values.values()):
                rows.append(values)
        return rows

    def _show_sum(self) -> None:
        from decimal import Decimal, InvalidOperation

        total = Decimal(0)
        for row in self._cells(self.criteria, CRITERION_KEYS):
            try:
                total += Decimal(row["max"] or 0)
            except InvalidOperation:
                self.sum_label.setText("分值应为数字")
                return
        self.sum_label.setText(f"现合计 {total.normalize():f} 分" + ("" if total == 100 else "（应为 100 分）"))
        self.sum_label.setStyleSheet("" if total == 100 else "color: #b3261e;")

    def save(self) -> Any:
        from app.assessment_template import save_template

        return save_template(self.store, {
            "name": self.name.text(), "post": self.post.currentData(), "pass_mark": self.pass_mark.value(),
            "note": self.note.text(), "criteria": self._cells(self.criteria, CRITERION_KEYS),
            "bands": self._cells(self.bands, ["name", "from", "to"])})
