"""Intake: reading files within limits, the bans' guards and the free-text screen, the contract's
checks, validation, metadata, loading, and preparing a raw MI extract (recipe, value mapping,
templates). Stands on core only."""
