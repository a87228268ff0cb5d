"""The publishing adapters configured in settings (bootstrap's one call)."""

from __future__ import annotations

from aicmo.config import Settings
from aicmo.domain.campaigns import Channel, Publisher, RetryPolicy
from aicmo.services.publishing import Publishing


def build_publishing(settings: Settings) -> Publishing:
    """A webhook publisher once the signing secret is set, an e-mail one once SMTP and a From address
    are: a campaign with its own destination needs no default URL or recipient; one without fails
    its jobs with what to set (the publishing service checks)."""
    publishers: dict[Channel, Publisher] = {}
    public_key = ""
    secret = settings.publish_webhook_secret.get_secret_value() if settings.publish_webhook_secret else ""
    if secret:
        from aicmo.adapters.publishing.webhook import WebhookPublisher

        webhook = WebhookPublisher(
            settings.publish_webhook_url, secret, private_destinations=settings.publish_private_destinations
        )
        publishers[Channel.WEBHOOK], public_key = webhook, webhook.public_key
    if settings.smtp_host and settings.mail_from:
        from aicmo.adapters.email.smtp import SmtpConfig, SmtpSender
        from aicmo.adapters.publishing.email import EmailPublisher

        config = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            tls=settings.smtp_tls,
            # one attempt stays within the publish timeout, so below half the lease
            timeout_s=min(settings.smtp_timeout_s, settings.publish_timeout_s),
            ca_file=settings.smtp_ca_file,
        )
        publishers[Channel.EMAIL] = EmailPublisher(
            SmtpSender(config), settings.mail_from, settings.publish_email_to
        )
    return Publishing(
        publishers=publishers,
        retry=RetryPolicy(
            attempts=settings.publish_max_attempts,
            base_s=settings.publish_retry_base_s,
            cap_s=settings.publish_retry_cap_s,
        ),
        timeout_s=settings.publish_timeout_s,
        lease_s=settings.publish_lease_s,
        webhook_public_key=public_key,
    )
