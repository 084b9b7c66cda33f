"""人员: the vendor's service workers — the tab, its dialogs."""
