"""Thin tasks of the reporting app: ids in, scope opened, a service called. Each is safe to run
twice."""
