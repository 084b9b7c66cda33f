"""趋势图: each worker's (or each post's) monthly total across the contract's months, with the
pass mark. QtCharts is imported here only, when the dialog opens."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.assessment_template import fmt_points
from app.consequences import Trend, trend
from app.store import Store


class TrendDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        from PySide6.QtCharts import QChart, QChartView

        self.setWindowTitle("考核得分趋势")
        self.resize(900, 560)
        self.data: Trend = trend(store)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem("按服务人员", "worker")
        self.kind.addItem("按岗位（月平均）", "post")
        self.which = QComboBox()
        self.which.setMinimumWidth(240)
        bar.addWidget(QLabel("查看："))
        bar.addWidget(self.kind)
        bar.addWidget(self.which)
        bar.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout.addLayout(bar)
        self.chart = QChart()
        # One name a row on the right: fourteen names in one row at the bottom were cut to 赵... 钱...
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        layout.addWidget(self.view, 1)
        self.note = QLabel()
        self.note.setObjectName("hint")
        layout.addWidget(self.note)
        self.kind.currentIndexChanged.connect(self._fill_choices)
        self.which.currentIndexChanged.connect(self.draw)
        self._fill_choices()

    def _series_source(self) -> dict:
        return self.data.by_worker if self.kind.currentData() == "worker" else self.data.by_post

    def _fill_choices(self) -> None:
        self.which.blockSignals(True)
        self.which.clear()
        self.which.addItem("全部", "")
        for name in self._series_source():
            self.which.addItem(name, name)
        self.which.blockSignals(False)
        self.draw()

    def draw(self) -> None:
        from PySide6.QtCharts import QCategoryAxis, QLineSeries, QValueAxis

        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()  # a removed axis left alive kept drawing its labels beside the new one
        months = self.data.months
        if not months:
            chart.setTitle("还没有考核得分")
            return
        source = self._series_source()
        chosen = self.which.currentData()
        names = [chosen] if chosen else list(source)
        axis_x = QCategoryAxis()
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, key in enumerate(months):  # a month still in draft says so: its totals may change
            axis_x.append(f"{int(key[5:])}月" + ("*" if key in self.data.drafts else ""), i)
        axis_x.setRange(0, max(1, len(months) - 1))
        axis_y = QValueAxis()
        low = min([min(v.values()) for v in source.values() if v] + [self.data.pass_mark])
        bottom = max(0, (low // 10) * 10 - 10)
        axis_y.setRange(float(bottom), 100.0)
        axis_y.setTickCount(int((100 - bottom) // 10) + 1)  # a line every 10 points
        axis_y.setLabelFormat("%d")
        axis_y.setTitleText("得分")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for name in names:
            series = QLineSeries()
            series.setName(name)
            series.setPointsVisible(True)
            for i, key in enumerate(months):
                if key in source[name]:
                    series.append(QPointF(i, float(source[name][key])))
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        mark = QLineSeries()
        mark.setName(f"合格分数线 {fmt_points(self.data.pass_mark)}")
        mark.setPen(QPen(QColor("#b3261e"), 1.5, Qt.PenStyle.DashLine))
        mark.append(QPointF(0, float(self.data.pass_mark)))
        mark.append(QPointF(max(1, len(months) - 1), float(self.data.pass_mark)))
        chart.addSeries(mark)
        mark.attachAxis(axis_x)
        mark.attachAxis(axis_y)
        chart.setTitle(("服务人员" if self.kind.currentData() == "worker" else "岗位") + "逐月考核得分")
        self.note.setText(("带 * 的月份尚未定稿，得分还可能改变。" if self.data.drafts else "")
                          + "考核结果仅作为判断乙方是否按约履行服务义务的依据（合同第四条第4款）。")
