"""jibsa for a provider: many homes on NATS JetStream and PostgreSQL.

A home is today's core (hub, state, rules, timers, conversation sessions, adapters). Homes map to a
fixed number of virtual shards (`shards`); workers lease shards and host their homes; stateless gateways
authenticate, resolve the home and route each request to its owning worker over NATS request/reply
(`wire`). Single-home `jibsa serve` does not use this package."""
