"""E-mail adapters: SMTP (the standard library's smtplib)."""
