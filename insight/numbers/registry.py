"""The registry of insights: every table the app can show, declared once.

An insight is one `Insight` declaration (insight.numbers.pipeline) in `INSIGHTS` below. It says

- **what it measures**: `measure(ds, sel, *args) -> Raw | None`, the raw counts
  (insight.numbers.measure); None for insights with no counts of their own (text, or ones made
  from other insights' safe tables);
- **its disclosure rule**: `rule`, a named `Rule` (pipeline.RULES: the options `disclose` takes,
  counts, chains, small LAs, an index, with the rule in plain words); one list, printed by
  `python -m insight rules` and tested as a list (tests/unit/test_registry.py);
- **its narrative**: `narrate(measured) -> SafeTable | frame | list`, the headline, subtitle,
  notes and message, from the safe frame only (insight.numbers.participants,
  .labour_market, .commissioning, .place hold these stages);
- **its chart kind**: `chart` ("bars", "per_la", "index", "lines", "cards", "context", "words");
- **its key and parameters**: `key` is a template ("characteristic.{name}",
  "trend.{kind}.{key}.{freq}"), each parameter with its allowed values or free;
- **where it appears**: `pages` (page scripts, e.g. "participants/barriers"), `slide` (a
  meeting can show it, so the deck and the slide PDF can), `map` (it can be a map slide),
  `pack` (its label and arguments in the briefing pack's list of charts), and its `section`
  and `label` in a running order.

One pipeline (`pipeline.run`) runs measure -> disclose -> narrate for every one of them, so the
disclosure options live in the declarations, not in the builders. The public builders
(`insight.numbers.tables.barriers`, ...) are made from the declarations (`builder`), and the
consumers read the registry: the catalogue of slides (insight.numbers.catalogue), the pack's
charts (insight.outputs.pack), the deck (through the slides), the page view's allow-list
(insight.service.view) and the pages' lists (`on_page`). Adding an insight is one declaration
here and its tests.

Pure: no streamlit import.
"""

from __future__ import annotations
