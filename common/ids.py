"""Database ids read from forms and query strings."""

# The largest id a database key holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def is_id(value: str) -> bool:
    """Whether `value` is a database id: ASCII digits only (not "²" or "٣", which
    Python's int() and isdigit() accept) and small enough for the key column."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_ID
