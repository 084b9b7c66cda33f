"""盯守台账 window: PySide6 widgets over the core in `app/`. No business rule lives here."""
