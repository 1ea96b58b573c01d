"""Models follow in their own issue."""
