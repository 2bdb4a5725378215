"""Rules (automations): when something happens, if the home is so, do something.

What a rule is: `model`, `schema`, and the trigger kinds in `triggers` (one module each). Running rules:
`engine` (on top of the hub, which knows rules only as its `RuleBook`: `commands.RuleCommands`),
`runner`, `why`. Saying them: `sentences` and `grammar` (the parser's reader of rule sentences),
`readback`. `docs/rules.md` is the format.
"""
