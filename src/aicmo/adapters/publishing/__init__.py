"""Publishing adapters for live-mode campaigns (SPEC §6): each sends one approved item version and
returns the provider's own id, or raises `domain.campaigns.PublishFailed`."""
