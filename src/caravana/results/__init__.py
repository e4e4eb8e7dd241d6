"""What a run produces, in memory and on disk."""
