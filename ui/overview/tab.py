"""概览: the contract at a glance — parties, period, fee, and the posts with their cover."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.contract import Contract, DayType, Party, Post, active_contract
from app.money import format_yuan
from app.store import Changes, Store
from app.workcalendar import WEEKDAYS, Override, WorkCalendar, load_overrides
from ui.models import Column, RecordTableModel, make_table
from ui.tabs import show_record_history

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

POST_COLUMNS: list[Column[Post]] = [
    Column("岗位", lambda p: p.name),
    Column("人数", lambda p: str(p.headcount), lambda p: p.headcount, CENTER),
    Column("工作日", lambda p: p.rule_for(DayType.WORKING).describe()),
    Column("节假日", lambda p: p.rule_for(DayType.NONWORKING).describe()),
    Column("合同原文", lambda p: p.description, tooltip=lambda p: p.description),
]


def _label(text: str = "", *, name: str | None = None, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PartyBox(QGroupBox):
    def __init__(self, role: str, parent: QWidget | None = None):
        super().__init__(role, parent)
        form = QFormLayout(self)
        self.name, self.representative, self.address, self.phone = (_label() for _ in range(4))
        form.addRow("名称：", self.name)
        form.addRow("法定代表人：", self.representative)
        form.addRow("地址：", self.address)
        form.addRow("联系电话：", self.phone)

    def show_party(self, party: Party) -> None:
        self.name.setText(party.name)
        self.representative.setText(party.legal_representative)
        self.address.setText(party.address)
        self.phone.setText(party.phone)


class OverviewTab(QWidget):
    key = "overview"
    title = "概览"

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        # Scrolls rather than making the window taller than a 1366×768 laptop at 125 %.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        scroll.setWidget(content)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        self.heading = _label(name="pageTitle")
        layout.addWidget(self.heading)
        # 月度考核 (issue 11): the contract's consequence rules that have fired, shown first.
        self.rules = _label(name="rules")
        self.rules.setStyleSheet("color: #8c1d17; background: #fdf0ee; border: 1px solid #f0c9c4; padding: 6px;")
        self.rules.hide()
        layout.addWidget(self.rules)

        parties = QHBoxLayout()
        self.client_box = PartyBox("甲方")
        self.vendor_box = PartyBox("乙方")
        parties.addWidget(self.client_box)
        parties.addWidget(self.vendor_box)
        layout.addLayout(parties)

        terms = QGroupBox("服务期限与费用")
        grid = QGridLayout(terms)
        self.period = _label()
        self.progress_text = _label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.today = _label()
        self.total = _label()
        self.total_words = _label(name="amountWords")
        self.payment_terms = _label(name="hint")
        rows = [
            ("服务期限：", self.period), ("履约进度：", self.progress_text), ("", self.progress),
            ("今天：", self.today), ("服务费用：", self.total), ("大写：", self.total_words),
            ("付款方式：", self.payment_terms),
        ]
        for row, (caption, widget) in enumerate(rows):
            grid.addWidget(QLabel(caption), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addWidget(terms)

        posts = QGroupBox("岗位及服务时间（合同第四条第2款）")
        posts_layout = QVBoxLayout(posts)
        self.posts_model: RecordTableModel[Post] = RecordTableModel(POST_COLUMNS, parent=self)
        self.posts_view = make_table(self.posts_model)
        self.posts_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.posts_view.customContextMenuRequested.connect(self._post_menu)
        self.posts_view.doubleClicked.connect(lambda index: self.show_post_history(index.row()))
        posts_layout.addWidget(self.posts_view)
        self.posts_summary = _label(name="hint")
        posts_layout.addWidget(self.posts_summary)
        layout.addWidget(posts, 1)
        self.refresh()

    def _post_menu(self, pos) -> None:
        index = self.posts_view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction("历史记录…", lambda: self.show_post_history(index.row()))
        menu.exec(self.posts_view.viewport().mapToGlobal(pos))

    def show_post_history(self, row: int):
        """历史记录 of one post (who changed its rules, when)."""
        post = self.posts_model.row_at(row)
        if post.id is None:
            return None
        return show_record_history(self, "posts", post.id, f"岗位：{post.name}")

    def on_data_changed(self, changes: Changes) -> None:
        if changes.touches("contracts", "parties", "posts", "post_rules", "calendar_overrides"):
            self.refresh()
        elif changes.touches("assessment_months", "assessment_scores", "assessment_deductions",
                             "district_rankings", "cure_notices", "replacement_demands", "workers"):
            self.show_rules()

    def show_rules(self) -> None:
        """The rules of 四.4, 七.1 and 六.1 that have fired (app.consequences), after the first
        paint: reading every scored month is not the daily start's business."""
        from app.consequences import fired_rules

        fired = fired_rules(self.store)
        self.rules.setText("\n".join(f"【合同{f.clause_text}】{f.title}：{f.detail}" for f in fired)
                           + ("\n详见“月度考核”页，可在那里打印通知函、催告函。" if fired else ""))
        self.rules.setVisible(bool(fired))

    def refresh(self) -> None:
        contract = active_contract(self.store)
        self.show_contract(contract)

    def show_today_kind(self, overrides: dict[dt.date, Override]) -> None:
        today = clock.today()
        day = WorkCalendar(overrides).day(today)
        name = f"（{day.name}）" if day.name and day.name != day.kind.label else ""
        self.today.setText(f"{today:%Y年%m月%d日} {day.weekday_label} · {day.kind.label}{name}")

    def show_contract(self, contract: Contract) -> None:
        today = clock.today()
        self.heading.setText(contract.name)
        self.client_box.show_party(contract.client)
        self.vendor_box.show_party(contract.vendor)
        progress = contract.progress(today)
        self.period.setText(
            f"{contract.start_date:%Y年%m月%d日} 至 {contract.end_date:%Y年%m月%d日}（共 {progress.total_days} 天）"
        )
        if today < contract.start_date:
            state = f"尚未开始，距开始还有 {(contract.start_date - today).days} 天"
        elif today > contract.end_date:
            state = f"服务期限已于 {contract.end_date:%Y年%m月%d日} 届满"
        else:
            state = f"已履行 {progress.elapsed_days} 天，剩余 {progress.remaining_days} 天"
        self.progress_text.setText(state)
        self.progress.setRange(0, progress.total_days)
        self.progress.setValue(progress.elapsed_days)
        self.progress.setFormat(f"{progress.elapsed_days} / {progress.total_days} 天")
        self.today.setText(f"{today:%Y年%m月%d日} 星期{WEEKDAYS[today.weekday()]}")
        # The working calendar's first use loads the holidays package (~150 ms): let the
        # window paint first, then say what kind of day today is. The clerk's overrides are
        # read now, so a damaged record is met while the window is built, not later.
        overrides = load_overrides(self.store)
        QTimer.singleShot(0, lambda: self.show_today_kind(overrides))
        QTimer.singleShot(0, self.show_rules)
        self.total.setText(format_yuan(contract.total))
        self.total_words.setText(contract.total_words)
        self.payment_terms.setText(contract.payment_terms)
        self.posts_model.set_rows(contract.posts)
        self.posts_summary.setText(
            f"共 {len(contract.posts)} 个岗位、{contract.total_headcount} 人。"
            "上述岗位为服务事项对应的工作要求，不构成甲方对乙方服务人员的岗位任命或用工安排。"
        )
