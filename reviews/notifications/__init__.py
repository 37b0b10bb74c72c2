"""Who is told what, and how: in-app notifications, their e-mails, digests and the settings."""
