"""概览: the contract at a glance."""
