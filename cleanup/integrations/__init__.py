"""Adapters for running cleanup inside other data tools."""
