"""Names vulture cannot see being used, each with the reason; CI runs
`vulture src tests bench scripts/vulture_allowlist.py --min-confidence 60`. Anything else it reports is dead
code: delete it rather than adding it here."""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

# FastAPI calls the route functions it was given by decorator.
service_worker, converse, list_devices, get_device, send_command, list_discovered, get_home, list_rooms
list_scenes, run_scene, cancel_job, local_say, local_status, local_rules, list_notifications, push_key, list_rules
switch_rule, remove_rule, get_presence, set_presence, logout, add_user, remove_user
page_words
matter_status, commission_progress, name_device, remove_device
healthz  # the provider gateway
list_members  # the provider gateway: GET /api/members
list_voices, forget_voice, forget_sample
get_weather_setup, put_weather_setup
# pydantic reads a model's configuration; a response field the dashboard alone reads (sheet.js).
model_config
asks_confirmation
key_set, key_page
# Alembic reads a migration's revision chain and calls downgrade.
revision, down_revision, branch_labels, depends_on, downgrade
# SQLAlchemy calls event hooks registered by decorator, and reads the DBAPI connection's isolation level.
_on_connect, _on_begin
_.isolation_level
# __aexit__'s third parameter; the type checks that SqlStore satisfies HubStore and RuleStore.
trace
_is_a_hub_store, _is_a_rule_store, _is_an_energy_store
# Libraries read these: paho (pending_calls_threshold), PyAV (an audio frame's sample_rate), uvicorn
# (capture_signals, overridden), wyoming (handle_event, called for each event).
_.pending_calls_threshold
_.sample_rate
_.capture_signals
_.handle_event
# logging's Formatter reads a record's exc_text (jibsa.redaction sets it, cleaned).
_.exc_text
# Public API of partner skills (docs/skills.md, examples/jibsa-skill-recycling).
_.from_package
# Fields of what a source reports, kept in the JSON of /api/weather and of answers.
wind_ms, rain_mm, measured_at
# Home Assistant's discovery key, parsed and kept; jibsa follows the latest availability message only.
availability_mode
# pytest reads a module's marks and runs autouse fixtures; uvicorn's server reads its exit flags.
pytestmark, _pending_jobs
_.should_exit, _.force_exit
# Enum members reached by value from data files and settings: Voltage("high"), Season("other"),
# Rounding("half_up_won") (jibsa.energy.tariff).
HIGH, OTHER, HALF_UP_WON
# onnxruntime's session options, read by onnxruntime (jibsa.voice.speaker.encoder).
_.intra_op_num_threads, _.inter_op_num_threads
# argparse calls its formatter's _split_lines and reads its groups' titles (cli/help_words.py).
_split_lines, title
DataclassInstance  # a TypeVar's bound, named in a string (provider/settings.py)
# prometheus_client calls a custom collector's collect when it is scraped (provider/metrics.py).
collect
