"""The command layer: parse arguments, call the library, render, pick the exit code. Nothing else."""
