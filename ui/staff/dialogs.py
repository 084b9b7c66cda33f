"""Dialogs of the 人员 tab: a worker's record, leaving, replacement, system accounts (the
Excel import's preview is in ui/staff/excel.py). They collect what the clerk typed and hand
it to the core (app.staff, app.replacements), which decides; a refusal is
shown in the dialog, naming the field, and nothing is saved."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app import clock
from app.contract import Contract
from app.errors import UserError, ValidationError
from app.idcard import mask_phone
from app.labels import field_label
from app.replacements import (ACCOUNT_LABELS, LABELS, Account, Consent, Level, RequestedBy, add_account, list_accounts, notice_for,
                              record_replacement, revoke_account)
from app.staff import (COMPLIANCE_FIELDS, FIELD_LABELS, HoursScheme, Status, Worker, add_worker, can_correct_post,
                       update_worker)
from app.store import Store
from ui.forms import DateField, FormDialog, qdate
from ui.models import Column, RecordTableModel, make_table


class OptionalDate(QWidget):
    """A tick box with a date: 已核验 on 2026-01-05, or not (yet)."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(caption)
        self.date = DateField()
        self.date.setEnabled(False)
        self.check.toggled.connect(self.date.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.date)
        layout.addStretch(1)
        self.setFocusProxy(self.check)

    def value(self) -> dt.date | None:
        return self.date.value() if self.check.isChecked() else None

    def refused_input(self) -> QWidget:
        """The date was refused, not the tick box (FormDialog.show_error)."""
        self.check.setChecked(True)
        return self.date

    def set_value(self, day: dt.date | None) -> None:
        self.check.setChecked(day is not None)
        if day:
            self.date.setDate(qdate(day))


class WorkerDialog(FormDialog):
    """Add or edit a service worker, fields in the order of the paper form."""

    confirm_discard = True

    def __init__(self, store: Store, contract: Contract, worker: Worker | None = None,
                 parent: QWidget | None = None):
        super().__init__("编辑服务人员" if worker else "新增服务人员", parent)
        self.store, self.contract, self.worker = store, contract, worker
        self.setMinimumWidth(520)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = QLineEdit()
        self.gender = QComboBox()
        self.gender.addItem("（按身份证号）", "")
        self.gender.addItem("男", "男")
        self.gender.addItem("女", "女")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，最后一位可为X")
        self.id_number.setMaxLength(40)
        self.reveal_id = QPushButton("显示")
        self.reveal_id.setToolTip("显示完整身份证号和手机号以便修改（记入修改记录）")
        self.reveal_id.clicked.connect(self.show_full_id)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_number, 1)
        id_row.addWidget(self.reveal_id)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("11位手机号")
        self.post = QComboBox()
        for post in contract.posts:
            self.post.addItem(f"{post.name}（{post.headcount}人）", post.code)
        self.move_button = QPushButton("调岗…")
        self.move_button.setToolTip("从某日起调到另一岗位；此前的服务仍记在原岗位")
        self.move_button.clicked.connect(self.change_post)
        post_row = QHBoxLayout()
        post_row.addWidget(self.post, 1)
        post_row.addWidget(self.move_button)
        self.post_history = QLabel()
        self.post_history.setObjectName("hint")
        self.post_history.setWordWrap(True)
        self.start_date = DateField(max(contract.start_date, min(clock.today(), contract.end_date)))
        self.planned_end = OptionalDate("有计划离场日期")
        self.hours_scheme = QComboBox()
        for scheme in HoursScheme:
            self.hours_scheme.addItem(scheme.label, scheme.value)
        self.emergency_contact = QLineEdit()
        self.emergency_contact.setPlaceholderText("姓名（关系）")
        self.emergency_phone = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setTabChangesFocus(True)

        rows: list[tuple[str, Any]] = [
            ("name", self.name), ("gender", self.gender), ("id_number", id_row), ("phone", self.phone),
            ("post", post_row), ("start_date", self.start_date), ("planned_end", self.planned_end),
            ("hours_scheme", self.hours_scheme), ("emergency_contact", self.emergency_contact),
            ("emergency_phone", self.emergency_phone),
        ]
        for field, widget in rows:  # captions from the one catalogue, as in the list and the history
            form.addRow(FIELD_LABELS[field] + "：", widget)
            self.fields[field] = {"id_number": self.id_number, "post": self.post}.get(field, widget)
            if field == "post":
                form.addRow("", self.post_history)
        if worker and worker.left_on:
            left = QLabel(f"{worker.left_on.isoformat()}（已办理离场，资料保留）")
            left.setObjectName("hint")
            form.addRow(FIELD_LABELS["left_on"] + "：", left)
        self.layout_.addLayout(form)
        box = QGroupBox("乙方承诺的核验（合同第五条第6、7款），勾选并填写甲方核验的日期")
        box_form = QFormLayout(box)
        self.compliance: dict[str, OptionalDate] = {}
        for field in COMPLIANCE_FIELDS:
            widget = OptionalDate("已核验")
            self.compliance[field] = widget
            self.fields[field] = widget
            box_form.addRow(FIELD_LABELS[field] + "：", widget)
        self.layout_.addWidget(box)
        notes_form = QFormLayout()
        notes_form.addRow("备注：", self.notes)
        self.fields["notes"] = self.notes
        self.layout_.addLayout(notes_form)
        self.finish_layout()
        order = [self.name, self.gender, self.id_number, self.reveal_id, self.phone, self.post, self.move_button,
                 self.start_date,
                 self.planned_end.check, self.planned_end.date, self.hours_scheme, self.emergency_contact,
                 self.emergency_phone]
        for widget in self.compliance.values():
            order += [widget.check, widget.date]
        order += [self.notes, self.buttons]
        for first, second in zip(order, order[1:]):
            self.setTabOrder(first, second)
        self.reveal_id.setVisible(worker is not None)
        self.move_button.setVisible(worker is not None)
        self.post_history.hide()
        if worker:
            self.load(worker)
        self.name.setFocus()

    def load(self, w: Worker) -> None:
        self.name.setText(w.name)
        self.gender.setCurrentIndex(max(0, self.gender.findData(w.gender)))
        self.id_number.setText(w.masked_id)
        self.id_number.setReadOnly(True)
        self.phone.setText(w.masked_phone)
        self.phone.setReadOnly(True)
        self.post.setCurrentIndex(max(0, self.post.findData(w.post_code)))
        self.show_post_history(w)
        self.start_date.setDate(qdate(w.start_date))
        self.planned_end.set_value(w.planned_end)
        self.hours_scheme.setCurrentIndex(max(0, self.hours_scheme.findData(w.hours_scheme.value)))
        self.emergency_contact.setText(w.emergency_contact)
        self.emergency_phone.setText(mask_phone(w.emergency_phone))
        self.emergency_phone.setReadOnly(bool(w.emergency_phone))
        for field, widget in self.compliance.items():
            widget.set_value(getattr(w, field))
        self.notes.setPlainText(w.notes)

    def show_post_history(self, w: Worker) -> None:
        """Once the worker has served, the post changes only from a date (调岗)."""
        fixed = not can_correct_post(w)
        self.post.setEnabled(not fixed)
        self.post.setToolTip("已开始服务：岗位变动请点“调岗…”，此前的服务仍记在原岗位。" if fixed else "")
        lines = [f"{s.start:%Y年%m月%d日}起：{s.post_name}" + (f"（{s.reason}）" if s.reason else "")
                 for s in w.stretches]
        self.post_history.setText("岗位记录：" + "；".join(lines) if len(w.stretches) > 1 else "")
        self.post_history.setVisible(len(w.stretches) > 1)

    def change_post(self) -> None:
        if self.worker is None:
            return
        if PostChangeDialog(self.store, self.contract, self.worker, parent=self).exec():
            from app.staff import get_worker

            self.worker = get_worker(self.store, self.worker.id)
            self.post.setCurrentIndex(max(0, self.post.findData(self.worker.post_code)))
            self.show_post_history(self.worker)
            self.mark_unchanged(self.post)

    def show_full_id(self) -> None:
        if self.worker and self.id_number.isReadOnly():
            self.store.note("reveal", "workers", self.worker.id, f"显示身份证号和手机号：{self.worker.name}")
            self.id_number.setText(self.worker.id_number)
            self.id_number.setReadOnly(False)
            self.phone.setText(self.worker.phone)
            self.phone.setReadOnly(False)
            self.emergency_phone.setText(self.worker.emergency_phone)
            self.emergency_phone.setReadOnly(False)
            self.reveal_id.setEnabled(False)
            self.mark_unchanged(self.id_number, self.phone, self.emergency_phone)  # shown, not typed
            self.id_number.setFocus()

    def data(self) -> dict[str, Any]:
        # A field still showing its masked value is read-only and means "unchanged"; a field the
        # clerk can type in (revealed, or empty when loaded) is taken as typed. Each field is
        # judged by its own state: an emergency phone typed into an empty field must not be lost
        # because the ID number is still masked.
        def typed_or_stored(widget: QLineEdit, stored: str) -> str:
            return stored if self.worker and widget.isReadOnly() else widget.text()

        w = self.worker
        id_number = typed_or_stored(self.id_number, w.id_number if w else "")
        phone = typed_or_stored(self.phone, w.phone if w else "")
        other = typed_or_stored(self.emergency_phone, w.emergency_phone if w else "")
        return {
            "name": self.name.text(), "gender": self.gender.currentData(), "id_number": id_number,
            "phone": phone, "post": self.post.currentData(), "start_date": self.start_date.value(),
            "planned_end": self.planned_end.value(), "hours_scheme": self.hours_scheme.currentData(),
            "emergency_contact": self.emergency_contact.text(), "emergency_phone": other,
            **{field: widget.value() for field, widget in self.compliance.items()},
            "notes": self.notes.toPlainText(),
        }

    def save(self) -> Any:
        if self.worker:
            return update_worker(self.store, self.worker.id, self.data())
        return add_worker(self.store, self.data())


class PostChangeDialog(FormDialog):
    """调岗: from a date the worker serves on another post; the days before stay where they were."""

    confirm_discard = True

    def __init__(self, store: Store, contract: Contract, worker: Worker, parent: QWidget | None = None):
        super().__init__(f"调岗：{worker.name}", parent)
        self.store, self.worker = store, worker
        self.setMinimumWidth(460)
        form = QFormLayout()
        now = QLabel("；".join(f"{s.start:%Y年%m月%d日}起 {s.post_name}" for s in worker.stretches))
        now.setWordWrap(True)
        self.post = QComboBox()
        for post in contract.posts:
            self.post.addItem(f"{post.name}（{post.headcount}人）", post.code)
        others = [i for i in range(self.post.count()) if self.post.itemData(i) != worker.post_code]
        self.post.setCurrentIndex(others[0] if others else 0)
        self.from_day = DateField(max(worker.start_date, clock.today()))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：乙方调整岗位、接替他人")
        form.addRow("岗位记录：", now)
        form.addRow(FIELD_LABELS["post"] + "：", self.post)
        form.addRow(FIELD_LABELS["post_from"] + "：", self.from_day)
        form.addRow(FIELD_LABELS["post_reason"] + "：", self.reason)
        self.fields = {"post": self.post, "post_from": self.from_day, "post_reason": self.reason}
        self.layout_.addLayout(form)
        hint = QLabel("调岗日期是在新岗位服务的第一天，此前的服务仍记在原岗位（排班核对和考核按此计算）。"
                      "调岗日期填某段岗位的开始日期，即更正该段的岗位。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.finish_layout()
        self.post.setFocus()

    def save(self) -> Any:
        from app.staff import change_post

        return change_post(self.store, self.worker.id, self.post.currentData(), self.from_day.value(),
                           self.reason.text())


class LeaveDialog(FormDialog):
    """离场, or for someone whose departure is recorded, a correction of its date (with a reason)."""

    confirm_discard = True

    def __init__(self, store: Store, worker: Worker, parent: QWidget | None = None):
        correcting = worker.left_on is not None
        super().__init__(f"更正离场日期：{worker.name}" if correcting else f"办理离场：{worker.name}", parent)
        self.store, self.worker = store, worker
        self.setMinimumWidth(420)
        form = QFormLayout()
        self.last_day = DateField(worker.left_on or clock.today())
        self.reason = QLineEdit()
        if correcting:
            assert worker.left_on is not None
            recorded = QLabel(f"{worker.left_on:%Y年%m月%d日}（已登记）")
            recorded.setObjectName("recordedLeave")
            form.addRow("已登记的离场日期：", recorded)
            self.reason.setPlaceholderText("必填，例如：乙方通知的日期有误")
        else:
            self.reason.setPlaceholderText("例如：合同期满、乙方调回")
        form.addRow("更正为：" if correcting else "最后服务日：", self.last_day)
        form.addRow("更正原因：" if correcting else "原因：", self.reason)
        self.fields = {"left_on": self.last_day, "notes": self.reason}
        self.layout_.addLayout(form)
        hint = QLabel("更正会记入修改记录和备注，原日期保留在记录中。" if correcting else
                      "离场后人员资料和历史记录保留，不会删除。人员更换请用“人员更换”。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.finish_layout()
        if correcting:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存更正")

    def save(self) -> Any:
        from app.staff import leave_worker

        return leave_worker(self.store, self.worker.id, self.last_day.value(), self.reason.text())


class ReplacementDialog(FormDialog):
    """人员更换: 五.4 (vendor, a week's notice, office consent) or 四.4 (office demand)."""

    confirm_discard = True

    def __init__(self, store: Store, workers: list[Worker], leaving: Worker | None = None,
                 parent: QWidget | None = None):
        super().__init__("人员更换", parent)
        self.store = store
        self.setMinimumWidth(560)
        today = clock.today()
        form = QFormLayout()
        self.leaving = QComboBox()
        self.incoming = QComboBox()
        self.incoming.addItem("（尚未确定）", None)
        for w in workers:
            if w.status(today) is not Status.LEFT:
                label = f"{w.name} — {w.post_name}（{w.status(today).value}）"
                self.leaving.addItem(label, w.id)
                self.incoming.addItem(label, w.id)
        if leaving:
            self.leaving.setCurrentIndex(max(0, self.leaving.findData(leaving.id)))
        self.requested_by = QComboBox()
        for by in RequestedBy:
            self.requested_by.addItem(by.label, by.value)
        self.notified_on = DateField(today)
        self.effective_on = DateField(today + dt.timedelta(days=7))
        self.notice = QLabel()
        self.consent = QComboBox()
        for consent in Consent:
            self.consent.addItem(consent.label, consent.value)
        self.consent_on = DateField(today)
        self.reason = QLineEdit()
        self.grounds = QLineEdit()
        self.grounds.setPlaceholderText("例如：2026年9月、10月服务考核连续不合格（月度考核上线后关联）")
        rows = [(field, LABELS[field] + "：" if field else "", widget) for field, widget in (
            ("leaving", self.leaving), ("requested_by", self.requested_by), ("notified_on", self.notified_on),
            ("effective_on", self.effective_on), ("", self.notice), ("incoming", self.incoming),
            ("consent", self.consent), ("consent_on", self.consent_on), ("reason", self.reason),
            ("grounds", self.grounds))]
        self.captions: dict[str, QLabel] = {}
        for field, caption, widget in rows:
            label = QLabel(caption)
            self.captions[field] = label
            form.addRow(label, widget)
            if field:
                self.fields[field] = widget
        self.layout_.addLayout(form)
        hint = QLabel("生效日期为接替人员的第一个服务日，被更换人员的最后服务日为其前一天。"
                      "乙方申请在甲方同意后生效；甲方要求更换立即生效。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.finish_layout()
        # 甲方要求 takes effect on the day it is made, so the date field follows 告知日期 then;
        # the date the clerk typed for 乙方申请 is kept here and comes back on switching back.
        self._vendor_effective: QDate | None = None
        self._was_office = False
        for signal in (self.requested_by.currentIndexChanged, self.notified_on.dateChanged,
                       self.effective_on.dateChanged, self.consent.currentIndexChanged):
            signal.connect(self.update_form)
        self.update_form()

    def update_form(self) -> None:
        office = self.requested_by.currentData() == RequestedBy.OFFICE.value
        was_office, self._was_office = self._was_office, office
        if office and not was_office:
            self._vendor_effective = self.effective_on.date()
        elif was_office and not office and self._vendor_effective is not None:
            self.effective_on.setDate(self._vendor_effective)  # re-enters update_form, now settled
        self.captions["notified_on"].setText(LABELS["notified_on"] + ("（甲方提出）：" if office else "（乙方告知）："))
        for widget in (self.consent, self.consent_on, self.captions["consent"], self.captions["consent_on"]):
            widget.setVisible(not office)
        self.consent_on.setEnabled(self.consent.currentData() != Consent.PENDING.value)
        self.grounds.setEnabled(office)
        effective = self.notified_on.value() if office else self.effective_on.value()
        self.effective_on.setEnabled(not office)
        if office:
            self.effective_on.setDate(self.notified_on.date())
        notice = notice_for(self.requested_by.currentData(), self.notified_on.value(), effective)
        self.notice.setText(notice.text)
        self.notice.setStyleSheet("color: #b3261e; font-weight: bold;" if notice.level is Level.WARNING
                                  else "color: #666666;")

    def data(self) -> dict[str, Any]:
        return {
            "leaving": self.leaving.currentData(), "incoming": self.incoming.currentData(),
            "requested_by": self.requested_by.currentData(), "notified_on": self.notified_on.value(),
            "effective_on": self.effective_on.value(), "consent": self.consent.currentData(),
            "consent_on": self.consent_on.value() if self.consent_on.isEnabled() else None,
            "reason": self.reason.text(), "grounds": self.grounds.text() if self.grounds.isEnabled() else "",
        }

    def save(self) -> Any:
        return record_replacement(self.store, self.data())


ACCOUNT_COLUMNS: list[Column[Account]] = [
    Column(field_label("system_accounts", "worker_id"), lambda a: a.worker_name),
    Column(ACCOUNT_LABELS["platform"], lambda a: a.platform),
    Column(ACCOUNT_LABELS["account_name"], lambda a: a.account_name),
    Column(ACCOUNT_LABELS["granted_on"], lambda a: a.granted_on.isoformat()),
    Column(ACCOUNT_LABELS["revoked_on"], lambda a: a.revoked_on.isoformat() if a.revoked_on else "未注销"),
]
PLATFORMS = ("接诉即办工作平台", "城市管理网格平台", "12345知识库")


class AccountsDialog(FormDialog):
    """系统账号 of one worker (四.6): grant and revoke, each with its own date. A worker who
    has left gets no new account; revoking one defaults to their last day of service."""

    def __init__(self, store: Store, worker: Worker, parent: QWidget | None = None):
        super().__init__(f"系统账号：{worker.name}", parent)
        self.store, self.worker = store, worker
        self.setMinimumWidth(560)
        self.model: RecordTableModel[Account] = RecordTableModel(ACCOUNT_COLUMNS, parent=self)
        self.view = make_table(self.model, self)
        self.layout_.addWidget(self.view)
        revoke_row = QHBoxLayout()
        self.revoke_day = DateField(min(worker.end_date, clock.today()) if worker.end_date else clock.today())
        self.revoke_button = QPushButton("注销所选账号")
        self.revoke_button.clicked.connect(self.revoke_selected)
        revoke_row.addWidget(QLabel(ACCOUNT_LABELS["revoked_on"] + "："))
        revoke_row.addWidget(self.revoke_day)
        revoke_row.addWidget(self.revoke_button)
        revoke_row.addStretch(1)
        self.new_box = QGroupBox("登记新账号（甲方提供的系统权限仅用于本合同服务，第四条第6款）")
        form = QFormLayout(self.new_box)
        self.platform = QComboBox()
        self.platform.setEditable(True)
        self.platform.addItems(PLATFORMS)
        self.account_name = QLineEdit()
        self.day = DateField(clock.today())
        form.addRow(ACCOUNT_LABELS["platform"] + "：", self.platform)
        form.addRow(ACCOUNT_LABELS["account_name"] + "：", self.account_name)
        form.addRow(ACCOUNT_LABELS["granted_on"] + "：", self.day)
        self.fields = {"platform": self.platform, "account_name": self.account_name, "granted_on": self.day,
                       "revoked_on": self.revoke_day}
        self.layout_.addLayout(revoke_row)
        self.layout_.addWidget(self.new_box)
        self.left_note = QLabel()
        self.left_note.setObjectName("hint")
        self.left_note.setWordWrap(True)
        self.layout_.addWidget(self.left_note)
        self.finish_layout()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登记账号")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        has_left = worker.status(clock.today()) is Status.LEFT
        self.new_box.setEnabled(not has_left)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setVisible(not has_left)
        if has_left:
            assert worker.end_date is not None
            self.left_note.setText(f"{worker.name}已于 {worker.end_date.isoformat()} 离场，不能再登记新账号；"
                                   "仍未注销的账号请选中后注销。")
        self.left_note.setVisible(has_left)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_revoke())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(list_accounts(self.store, self.worker.id))
        open_rows = [r for r in range(self.model.rowCount()) if self.model.row_at(r).is_open]
        if open_rows:
            self.view.selectRow(open_rows[0])
        self._update_revoke()

    def _update_revoke(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        self.revoke_button.setEnabled(bool(rows) and self.model.row_at(rows[0].row()).is_open)

    def try_accept(self) -> None:  # registering keeps the dialog open for the next one
        if not self.new_box.isEnabled():
            return
        try:
            add_account(self.store, self.worker.id, {"platform": self.platform.currentText(),
                                                     "account_name": self.account_name.text(),
                                                     "granted_on": self.day.value()})
        except UserError as err:
            self.show_error(err)
            return
        self.error.hide()
        self.account_name.clear()
        self.refresh()

    def revoke_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.show_error(ValidationError("请先在上面的表格中选择要注销的账号。"))
            return
        account = self.model.row_at(rows[0].row())
        try:
            revoke_account(self.store, account.id, self.revoke_day.value())
        except UserError as err:
            self.show_error(err)
            return
        self.error.hide()
        self.refresh()
