"""Scenarios: the validated description of a world (schema, files, checks). Imports no engine or behaviour."""
