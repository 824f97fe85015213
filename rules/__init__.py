"""Rule data files shipped with cleanup (see rules.py for the format)."""
