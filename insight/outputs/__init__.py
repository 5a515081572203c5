"""Outputs: figures, map data, chart images, the briefing pack, the About text and meeting slides,
all drawn from safe tables. The top of insight/; only the CLI and benchmarks stand above it."""
