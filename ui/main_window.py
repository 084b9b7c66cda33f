"""The main window: one tab per part of the contract, one signal for every change.

Tabs follow the small protocol in `ui/tabs.py` (key, title, on_data_changed); a new tab is
added in `__init__` with `self.add_tab(...)`, as 概览 and 人员 are.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import APP_NAME, __version__
from app.contract import active_contract
from app.errors import UserError
from app.store import Changes, Store
from app.store.location import location_warning
from ui.backup_dialogs import RestoreDialog, backup_to_chosen_folder
from ui.errors import show_error
from ui.history import HistoryWindow, RecordHistoryDialog
from ui.ledger.tab import LedgerTab
from ui.overview.tab import OverviewTab
from ui.roster.tab import RosterTab
from ui.staff.tab import StaffTab
from ui.tabs import Tab

def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some contexts
        return ""


class MainWindow(QMainWindow):
    """Screens never call each other: a write in one emits `data_changed`, each screen
    looks at which tables changed and refreshes itself if it shows them. A hidden tab gets
    the notices when it is shown (see ui/tabs.py)."""

    data_changed = Signal(object)  # app.store.Changes

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.pending_restore: Path | None = None  # set by 从备份恢复; ui/__main__ acts on it
        self.history_window: HistoryWindow | None = None
        self.record_histories: dict[tuple[str, str], RecordHistoryDialog] = {}
        contract = active_contract(store)
        self.setWindowTitle(f"{contract.name} — {APP_NAME}")
        self.resize(1180, 760)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.setCentralWidget(self.tabs)
        self._tab_list: list[Tab] = []
        self._pending: dict[str, Changes] = {}  # notices kept for hidden tabs, by key
        self.add_tab(OverviewTab(store))
        self.add_tab(StaffTab(store))
        self.add_tab(RosterTab(store))
        self.add_assessment_tab(store)
        self.add_tab(LedgerTab(store))

        self._build_menus()
        self.location = QLabel()
        self.statusBar().addPermanentWidget(self.location)
        self._show_location()
        warning = location_warning(store.path) if store.path else None
        if warning:
            self.location_warning = QLabel("⚠ 数据文件不在本机硬盘的普通文件夹中（鼠标停在这里可看原因）")
            self.location_warning.setObjectName("warning")
            self.location_warning.setToolTip(warning)
            self.statusBar().addWidget(self.location_warning)
        store.subscribe(self.data_changed.emit)
        self.data_changed.connect(self._on_data_changed)
        self.data_changed.connect(self._tell_tabs)
        self.tabs.currentChanged.connect(self._catch_up)

    def add_assessment_tab(self, store: Store) -> None:
        """月度考核 (issue 11), built on its own module so its imports stay with it."""
        from ui.assessment.tab import AssessmentTab

        self.add_tab(AssessmentTab(store))

    def add_tab(self, tab: Tab) -> None:
        if not isinstance(tab, QWidget) or not isinstance(tab, Tab):
            raise TypeError(f"{tab!r} is not a tab (see ui/tabs.py)")
        self.tabs.addTab(tab, tab.title)
        self._tab_list.append(tab)

    def tab(self, key: str) -> Tab:
        for tab in self._tab_list:
            if tab.key == key:
                return tab
        raise KeyError(key)

    def _tell_tabs(self, changes: Changes) -> None:
        """The shown tab hears at once; a hidden one when it is shown (`_catch_up`)."""
        current = self.tabs.currentWidget()
        for tab in self._tab_list:
            if tab is current:
                tab.on_data_changed(changes)
            else:
                kept = self._pending.get(tab.key)
                self._pending[tab.key] = kept.merged(changes) if kept else changes

    def _catch_up(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, Tab) and tab.key in self._pending:
            tab.on_data_changed(self._pending.pop(tab.key))

    def show_tab(self, key: str) -> None:
        tab = self.tab(key)
        assert isinstance(tab, QWidget)
        self.tabs.setCurrentWidget(tab)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        operator = QAction("设置经办人(&O)…", self)
        operator.triggered.connect(self.ask_operator)
        file_menu.addAction(operator)
        folder = QAction("打开数据文件所在文件夹(&D)", self)
        folder.triggered.connect(self.open_data_folder)
        file_menu.addAction(folder)
        file_menu.addSeparator()
        self.backup_action = QAction("备份到(&B)…", self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.backup_action.setStatusTip("把数据文件的副本（校验后）保存到选择的文件夹，例如U盘")
        self.backup_action.triggered.connect(self.backup_to)
        file_menu.addAction(self.backup_action)
        self.restore_action = QAction("从备份恢复(&R)…", self)
        self.restore_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.restore_action.triggered.connect(self.restore_from_backup)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("查看(&V)")
        for index in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
            self.addAction(action)
        view_menu.addSeparator()
        self.history_action = QAction("全部修改记录(&H)…", self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(self.show_history)
        view_menu.addAction(self.history_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _show_location(self) -> None:
        where = str(self.store.path) if self.store.path else "（内存数据库）"
        self.location.setText(f"经办人：{self.store.operator}    数据文件：{where}")

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.touches("settings"):
            self._show_location()

    def ask_operator(self, *, first_start: bool = False) -> bool:
        """经办人: asked on the first start on this PC, and from 文件 → 设置经办人. The name is
        kept with the PC's settings and in the file, so a restore does not change it."""
        from app.operator_settings import set_operator

        prompt = ("欢迎使用。请填写您的姓名（经办人）：\n它会记入每一条修改记录，以后可在 文件 → 设置经办人 中修改。"
                  if first_start else "经办人姓名（记入每一条修改记录）：")
        suggested = "" if first_start and self.store.operator == _login_name() else self.store.operator
        name, ok = QInputDialog.getText(self, "设置经办人", prompt, text=suggested)
        if not ok:
            return False
        try:
            set_operator(self.store, name)
        except UserError as err:  # on a first start, the next start asks again
            show_error(self, "设置经办人", err)
            return False
        self._show_location()
        return True

    def open_data_folder(self) -> None:
        if self.store.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.path.parent)))

    def backup_to(self) -> None:
        backup_to_chosen_folder(self, self.store.path)

    def restore_from_backup(self) -> None:
        if self.store.path is None:
            return
        dialog = RestoreDialog(self.store.path, self)
        if dialog.exec() and dialog.chosen is not None:
            self.pending_restore = dialog.chosen.path
            self.close()

    def show_history(self) -> HistoryWindow:
        if self.history_window is None:
            self.history_window = HistoryWindow(self.store, self)
            self.data_changed.connect(self.history_window.on_data_changed)
        self.history_window.show()
        self.history_window.raise_()
        self.history_window.activateWindow()
        return self.history_window

    def show_record_history(self, table: str, record_id: object, title: str = "") -> RecordHistoryDialog:
        """One window per record: asking again brings the open one forward."""
        key = (table, str(record_id))
        dialog = self.record_histories.get(key)
        if dialog is None:
            dialog = RecordHistoryDialog(self.store, table, record_id, title, self)
            self.record_histories[key] = dialog
            self.data_changed.connect(dialog.on_data_changed)

            def forget(_result: int, dialog=dialog) -> None:
                self.data_changed.disconnect(dialog.on_data_changed)
                self.record_histories.pop(key, None)
                dialog.deleteLater()

            dialog.finished.connect(forget)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>龙潭街道接诉即办平台盯守服务合同管理。<br>"
            "离线运行，数据只保存在本机的数据文件中。",
        )
