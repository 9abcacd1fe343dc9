"""`python -m hnsubmit` runs the command line, as the console script does."""

from hnsubmit.cli.entry import main

if __name__ == "__main__":  # pragma: no branch
    main()
