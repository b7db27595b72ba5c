"""Bytes to text: UTF-8 first, else a checked guess; binary data refused."""

from __future__ import annotations


def decode(data: bytes, name: str, warnings: list[str]) -> str | None:
    """Bytes to text: UTF-8, else the best guess with a warning; None for binary data."""
    if b"\x00" in data[:8192]:
        warnings.append(f"{name}: skipped, looks binary")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    best = results[0] if results else None
    encoding = best.encoding if best is not None else "cp1252"
    ties = [r.encoding for r in results if best and (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    for western in ("cp1252", "latin_1", "iso8859_15"):  # equally plausible: prefer the commonest
        if western in ties:
            encoding = western
            break
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("latin-1")
        encoding = "latin-1"
    if sum(not (c.isprintable() or c.isspace()) for c in text[:4096]) > 40:
        warnings.append(f"{name}: skipped, not text")
        return None
    warnings.append(f"{name}: not UTF-8, decoded as {encoding}")
    return text
