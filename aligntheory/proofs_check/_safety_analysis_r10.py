"""Round-10 claims of issue 11 (being written)."""
