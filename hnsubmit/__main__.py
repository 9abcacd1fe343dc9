"""`python -m hnsubmit` runs the command line."""

from hnsubmit.cli.app import main

if __name__ == "__main__":  # pragma: no branch
    main()
