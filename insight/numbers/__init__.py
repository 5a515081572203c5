"""Numbers: measures, disclosure control and the safe tables made from them (with their
narrative, labour-market, commissioning, place and catalogue tables). Nothing above this layer
sees a raw count: only SafeTables leave it."""
