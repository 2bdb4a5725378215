"""Rules (automations): when something happens, if the home is so, do something.

What a rule is (`model`, `schema`, the trigger kinds in `triggers`) is pure and read by the parser;
running rules (`engine`, `runner`, `commands`, `why`) sits on top of the hub, which knows rules
only as its `RuleBook`.
"""
