"""The y-websocket wire protocol (lib0 encoding), as spoken by the stock ``y-websocket`` client.

A frame is ``varuint(message type)`` followed by the message:
- sync (0): ``varuint(step)`` + ``varbytes(payload)``; step 1 carries a state vector, step 2 and
  update (2) carry a Yjs update;
- awareness (1): ``varbytes(awareness update)``, itself ``varuint(n)`` + n × (client, clock, JSON state);
- query awareness (3): nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MESSAGE_SYNC = 0
MESSAGE_AWARENESS = 1
MESSAGE_AUTH = 2
MESSAGE_QUERY_AWARENESS = 3

SYNC_STEP1 = 0
SYNC_STEP2 = 1
SYNC_UPDATE = 2


class ProtocolError(ValueError):
    pass


def write_var_uint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtocolError("truncated varuint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def read_var_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    length, pos = read_var_uint(data, pos)
    end = pos + length
    if end > len(data):
        raise ProtocolError("truncated payload")
    return data[pos:end], end


def write_var_bytes(payload: bytes) -> bytes:
    return write_var_uint(len(payload)) + payload


def sync_message(step: int, payload: bytes) -> bytes:
    return bytes((MESSAGE_SYNC, step)) + write_var_bytes(payload)


def awareness_message(update: bytes) -> bytes:
    return bytes((MESSAGE_AWARENESS,)) + write_var_bytes(update)


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: str  # JSON text; "null" when the client is gone


def parse_awareness(update: bytes) -> list[AwarenessEntry]:
    count, pos = read_var_uint(update, 0)
    entries = []
    for _ in range(count):
        client_id, pos = read_var_uint(update, pos)
        clock, pos = read_var_uint(update, pos)
        raw, pos = read_var_bytes(update, pos)
        entries.append(AwarenessEntry(client_id, clock, raw.decode("utf-8")))
    return entries


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    out = bytearray(write_var_uint(len(entries)))
    for entry in entries:
        out += write_var_uint(entry.client_id) + write_var_uint(entry.clock)
        out += write_var_bytes(entry.state.encode("utf-8"))
    return bytes(out)


def awareness_removal(entries: list[AwarenessEntry]) -> bytes:
    """The update telling other clients that these awareness states are gone."""
    return encode_awareness([AwarenessEntry(e.client_id, e.clock + 1, json.dumps(None)) for e in entries])
