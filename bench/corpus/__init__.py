"""The clean articles shipped with the package (cleanup synth renders them when no checkout is there)."""
