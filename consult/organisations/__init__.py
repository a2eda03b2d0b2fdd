"""Civil society organisations registered on the platform."""
