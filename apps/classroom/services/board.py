"""Whiteboard storage: an append-only log of Yjs updates, folded into one snapshot from time to time.

All functions are synchronous (the board server calls them from a worker thread). Yjs updates commute
and re-applying one changes nothing, so the log may be read while it is written, by several server
processes at once, without losing anything.

A board server folds the log of a live room without merging Yjs updates itself (pycrdt holds the GIL
while it merges, which would stall every room of the process on a large board): it reads what is stored
(``board_stored``), applies it to the document it holds, and writes that document back as the snapshot
(``board_snapshot_replace``), if nobody replaced the snapshot meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pycrdt import Doc, merge_updates

from apps.classroom.models import BoardSnapshot, BoardUpdate


def _merged(parts: list[bytes]) -> bytes:
    if not parts:
        return b""
    return merge_updates(*parts) if len(parts) > 1 else parts[0]


def board_state(*, session_id: int) -> bytes:
    """The whole document: the snapshot and every logged update, merged (empty bytes when new)."""
    return _merged(board_stored(session_id=session_id).updates())


def board_append(*, updates: dict[int, bytes]) -> None:
    """Append one (merged) update for each of the given sessions to the log.

    The board server calls this every ``BOARD_FLUSH_MS`` with every room that changed, so it is on the
    hot path and writes the rows without building model instances: a binary ``COPY`` on PostgreSQL
    (about a tenth of the client CPU of a multi-row ``INSERT``), a parameterised ``executemany`` on SQLite.
    """
    if not updates:
        return
    table = connection.ops.quote_name(BoardUpdate._meta.db_table)
    now = timezone.now()
    rows = [(session_id, update, now) for session_id, update in updates.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} (session_id, data, created_at) FROM STDIN (FORMAT BINARY)"
            with cursor.cursor.copy(statement) as copy:
                copy.set_types(["int8", "bytea", "timestamptz"])
                for row in rows:
                    copy.write_row(row)
        else:
            statement = f"INSERT INTO {table} (session_id, data, created_at) VALUES (%s, %s, %s)"  # noqa: S608
            cursor.executemany(statement, rows)


@dataclass(frozen=True)
class StoredBoard:
    """What storage holds for a board: the snapshot (None when the reader has this version already) and
    the log rows not yet folded into it, as (pk, update)."""

    version: int
    snapshot: bytes | None
    rows: list[tuple[int, bytes]] = field(default_factory=list)

    def updates(self) -> list[bytes]:
        return ([self.snapshot] if self.snapshot else []) + [data for _, data in self.rows]


def board_stored(*, session_id: int, known_version: int | None = None) -> StoredBoard:
    """The snapshot (skipped when its version is ``known_version``) and the log of a board."""
    version, snapshot = 0, None
    current = BoardSnapshot.objects.filter(session_id=session_id).values_list("version", "state").first()
    if current is not None:
        version = current[0]
        snapshot = None if version == known_version else bytes(current[1])
    rows = BoardUpdate.objects.filter(session_id=session_id).order_by("pk").values_list("pk", "data")
    return StoredBoard(version, snapshot, [(pk, bytes(data)) for pk, data in rows])


@transaction.atomic
def board_snapshot_replace(*, session_id: int, state: bytes, version: int, folded: list[int]) -> bool:
    """Store ``state`` (a document holding the snapshot of ``version`` and the ``folded`` log rows) as the
    new snapshot and delete those rows; False, changing nothing, when the snapshot is no longer ``version``.
    """
    replaced = BoardSnapshot.objects.filter(session_id=session_id, version=version).update(
        state=state, version=version + 1, updated_at=timezone.now()
    )
    if not replaced:
        if version != 0:
            return False
        try:
            with transaction.atomic():
                BoardSnapshot.objects.create(session_id=session_id, state=state, version=1)
        except IntegrityError:  # another process stored the first snapshot meanwhile
            return False
    BoardUpdate.objects.filter(pk__in=folded).delete()
    return True


def board_updates_since(*, session_id: int, since: datetime) -> list[bytes]:
    """Updates logged since ``since`` (by any server process), for the periodic resync."""
    rows = BoardUpdate.objects.filter(session_id=session_id, created_at__gte=since).order_by("pk")
    return [bytes(data) for data in rows.values_list("data", flat=True)]


@transaction.atomic
def board_compact(*, session_id: int) -> bytes:
    """Fold the log into the snapshot (after the lesson, outside the board server).

    Only the rows read here are deleted, so an update logged meanwhile by another process survives; the
    new version tells a board server still holding the room that the snapshot changed. Returns the merged
    document (not stored if a board server stored the board's first snapshot meanwhile: the log stays).
    """
    # The snapshot row stays locked until the transaction ends, so no board server replaces it meanwhile.
    list(BoardSnapshot.objects.select_for_update().filter(session_id=session_id).values_list("pk"))
    stored = board_stored(session_id=session_id)
    merged = _merged(stored.updates())
    if merged:
        folded = [pk for pk, _ in stored.rows]
        board_snapshot_replace(session_id=session_id, state=merged, version=stored.version, folded=folded)
    return merged


def board_document(*, session_id: int) -> Doc:
    doc: Doc = Doc()
    state = board_state(session_id=session_id)
    if state:
        doc.apply_update(state)
    return doc
