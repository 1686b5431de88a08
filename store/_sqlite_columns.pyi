# Types of the C module store/_sqlite_columns.c.

def read_columns(
    path: str, sql: str, params: tuple[object, ...], kinds: str, timeout_ms: int
) -> tuple[int, list[tuple[bytes, ...]]]: ...
