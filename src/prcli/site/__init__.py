"""The newsroom site: `prcli export --format html -o FOLDER` builds it (see `build.build`)."""
