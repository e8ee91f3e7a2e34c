"""The names prcli gives its files in a repository, in a module that imports nothing (shell
completion reads them on every Tab press)."""

CONFIG_NAME = "prcli.toml"
WORK_FOLDER = ".prcli"  # git-ignored: recovery files, locks, the index cache
CACHE_NAME = "index.sqlite"
