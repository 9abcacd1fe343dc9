"""`python -m hnsubmit` runs the command line."""

from hnsubmit.cli import main

if __name__ == "__main__":  # pragma: no branch
    main()
