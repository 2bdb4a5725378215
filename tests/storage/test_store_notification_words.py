"""Notifications keep a words key and its fields: one made while the home speaks Korean reads in English
later, and rows stored before keys (their Korean and English sentences) still read as written."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from jibsa.domain.said import Said
from jibsa.storage import SqlStore, open_store
from jibsa.storage.migrate import alembic_config
from jibsa.words import say


async def test_a_notification_is_kept_as_its_key_and_read_in_either_language(store: SqlStore) -> None:
    await store.add_notification(
        "home", "엄마", Said("notification.timer_finished_after", {"seconds": 600}), at=1.0, rule_id=""
    )
    [kept] = await store.notifications("home", "엄마")
    assert kept.said == Said("notification.timer_finished_after", {"seconds": 600})
    assert say(kept.said, "ko") == "10분 타이머가 끝났어요."
    assert say(kept.said, "en") == "The timer for 10 minutes is done."


async def test_notifications_stored_before_keys_still_read_as_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    before = sa.create_engine(f"sqlite:///{data / 'jibsa.db'}")
    with before.begin() as connection:
        command.upgrade(alembic_config(connection), "0004_energy")  # the schema before notification words
        connection.execute(
            sa.text(
                "INSERT INTO notifications (home_id, person, text, text_en, at, read, rule_id) "
                "VALUES ('home', '', '세탁이 끝났어요.', 'The wash is done.', 5.0, 0, 'r1')"
            )
        )
    before.dispose()
    async with await open_store(str(data)) as store:  # migrates to the present schema
        [old] = await store.notifications("home", "아빠")
        assert (say(old.said, "ko"), say(old.said, "en")) == ("세탁이 끝났어요.", "The wash is done.")
        assert (old.at, old.rule_id, old.read) == (5.0, "r1", False)
