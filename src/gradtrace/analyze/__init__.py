"""Turn what was recorded into findings."""
