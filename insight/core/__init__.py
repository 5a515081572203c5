"""The core every layer shares: the dataset contract, the typed model (thresholds, periods, the
dataset, problems, the selection), geography, the caveat, dates and the formula neutraliser.
Imports nothing else of insight's."""
