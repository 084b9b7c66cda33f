"""Undo and redo of grid edits: each edit, its undo and its redo is one audited action
through the core's batch API (`app.roster.set_cells`; the change history shows all three)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from app.roster import CellChange, CellEdit

Writer = Callable[[list[CellEdit], str], object]


class EditCells(QUndoCommand):
    """Cells changed as `changes` say (each with its before and after, exact times kept).
    The first write happens before the command is pushed, so a refused edit never enters
    the stack; `redo` on push does nothing."""

    def __init__(self, write: Writer, changes: Sequence[CellChange], text: str):
        super().__init__(text)
        self.write, self.changes = write, list(changes)
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.write([(c.worker_id, c.day, list(c.after)) for c in self.changes], f"重做：{self.text()}")

    def undo(self) -> None:
        self.write([(c.worker_id, c.day, list(c.before)) for c in self.changes], f"撤销：{self.text()}")
