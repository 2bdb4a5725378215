"""The `jibsa` command: one module per sub-command group, each with a `register(subparsers, words)`."""
