"""prcli: a command-line press-release manager."""

__version__ = "0.1.0"
