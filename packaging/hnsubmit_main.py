"""The standalone build's script: the same console-script entry a pip install gets."""

from hnsubmit.cli.entry import main

if __name__ == "__main__":
    main()
