"""Transfer writes: partners, applications and steps, the outbox and inbox, the relay."""
