"""Rules and notifications in the store (implements `jibsa.rules.store.RuleStore`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from jibsa.domain.said import Said
from jibsa.hub.notification_store import Notification, PushSubscription, as_written
from jibsa.rules.store import StoredRule
from jibsa.storage.base import StoreBase
from jibsa.storage.schema import notification_reads, notifications, push_subscriptions, rules


class RuleRecords(StoreBase):
    async def save_rule(self, home_id: str, rule_id: str, data: Mapping[str, Any]) -> None:
        """Keep the rule's JSON form (replacing one with the same id), keeping when it last fired."""
        upsert = self._upsert(rules, ("home_id", "id"))

        def write(connection: Connection) -> None:
            fired = connection.scalar(
                sa.select(rules.c.last_fired).where(rules.c.home_id == home_id, rules.c.id == rule_id)
            )
            row = {"home_id": home_id, "id": rule_id, "data": dict(data), "last_fired": fired}
            connection.execute(upsert, [row])

        await self._write(write)

    async def delete_rule(self, home_id: str, rule_id: str) -> None:
        await self._execute(sa.delete(rules).where(rules.c.home_id == home_id, rules.c.id == rule_id))

    async def load_rules(self, home_id: str) -> list[StoredRule]:
        query = sa.select(rules).where(rules.c.home_id == home_id).order_by(rules.c.id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [StoredRule(r.id, dict(r.data), r.last_fired) for r in rows]

    async def rule_fired(self, home_id: str, rule_id: str, at: float) -> None:
        query = sa.update(rules).where(rules.c.home_id == home_id, rules.c.id == rule_id).values(last_fired=at)
        await self._execute(query)

    async def add_notification(self, home_id: str, person: str, said: Said, *, at: float, rule_id: str) -> Notification:
        row = {
            "home_id": home_id,
            "person": person,
            "text": "",
            "text_en": "",
            "said_key": said.key,
            "said_fields": dict(said.fields),
            "at": at,
            "read": False,
            "rule_id": rule_id,
        }
        query = sa.insert(notifications).returning(notifications.c.id)
        new_id = await self._write(lambda connection: connection.execute(query, [row]).scalar_one())
        return Notification(int(new_id), person, said, at, False, rule_id)

    async def notifications(
        self, home_id: str, person: str | None, *, unread_only: bool = False, limit: int = 100, resolved: bool = False
    ) -> list[Notification]:
        """`person`'s notifications and everyone's (all when None), newest first; a notification sent to
        everyone is read or unread for each person on their own. Resolved ones only when `resolved`."""
        t = notifications
        read = t.c.read if person is None else sa.case((t.c.person == "", _read_by(person)), else_=t.c.read)
        query = sa.select(t, read.label("seen")).where(t.c.home_id == home_id)
        if person is not None:
            query = query.where(t.c.person.in_((person, "")))
        if unread_only:
            query = query.where(sa.not_(read))
        if not resolved:
            query = query.where(t.c.resolved_at.is_(None))
        query = query.order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [Notification(r.id, r.person, _said(r), r.at, bool(r.seen), r.rule_id, r.resolved_at) for r in rows]

    async def resolve_notifications(self, home_id: str, rule_id: str, *, at: float) -> list[int]:
        """Mark the rule's notifications not yet resolved as resolved at `at`; their ids."""
        t = notifications
        current = (t.c.home_id == home_id, t.c.rule_id == rule_id, t.c.resolved_at.is_(None))

        def resolve(connection: sa.Connection) -> list[int]:
            ids = [int(i) for i in connection.execute(sa.select(t.c.id).where(*current)).scalars()]
            if ids:
                connection.execute(sa.update(t).where(t.c.id.in_(ids)).values(resolved_at=at))
            return ids

        return await self._write(resolve)

    async def mark_read(self, home_id: str, person: str | None, ids: list[int] | None) -> int:
        """Mark `ids` (None: all) read for `person` (for everyone when None); how many changed for them."""
        t = notifications
        own = sa.update(t).where(t.c.home_id == home_id, t.c.read.is_(False)).values(read=True)
        if ids is not None:
            own = own.where(t.c.id.in_(ids))
        if person is None:
            return await self._execute(own)
        own = own.where(t.c.person == person)
        shared = sa.select(t.c.id).where(t.c.home_id == home_id, t.c.person == "", sa.not_(_read_by(person)))
        if ids is not None:
            shared = shared.where(t.c.id.in_(ids))
        insert = self._insert_new(notification_reads, ("home_id", "notification_id", "person"))

        def mark(connection: sa.Connection) -> int:
            changed = connection.execute(own).rowcount
            rows = [
                {"home_id": home_id, "notification_id": i, "person": person}
                for i in connection.execute(shared).scalars()
            ]
            if rows:
                connection.execute(insert, rows)
            return int(changed) + len(rows)

        return await self._write(mark)

    async def save_push_subscription(self, home_id: str, subscription: PushSubscription) -> None:
        """Keep a browser's push subscription for `person` (the same endpoint again replaces it)."""
        row = {
            "home_id": home_id,
            "endpoint": subscription.endpoint,
            "person": subscription.person,
            "p256dh": subscription.p256dh,
            "auth": subscription.auth,
            "created": self._now(),
        }
        await self._execute(self._upsert(push_subscriptions, ("home_id", "endpoint")), [row])

    async def push_subscriptions(self, home_id: str, person: str | None) -> list[PushSubscription]:
        """`person`'s subscriptions (everyone's when None)."""
        t = push_subscriptions
        query = sa.select(t).where(t.c.home_id == home_id)
        if person is not None:
            query = query.where(t.c.person == person)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query.order_by(t.c.created))).all()
        return [PushSubscription(r.endpoint, r.person, r.p256dh, r.auth) for r in rows]

    async def delete_push_subscription(self, home_id: str, endpoint: str) -> None:
        t = push_subscriptions
        await self._execute(sa.delete(t).where(t.c.home_id == home_id, t.c.endpoint == endpoint))


def _said(row: Any) -> Said:
    """What a stored notification says: its key and fields, or the sentences of a row from before keys."""
    if row.said_key:
        return Said(row.said_key, dict(row.said_fields or {}))
    return as_written(row.text, row.text_en)


def _read_by(person: str) -> sa.ColumnElement[bool]:
    """Whether `person` has read the (everyone's) notification of the row."""
    r, t = notification_reads, notifications
    return sa.exists().where(r.c.home_id == t.c.home_id, r.c.notification_id == t.c.id, r.c.person == person)
