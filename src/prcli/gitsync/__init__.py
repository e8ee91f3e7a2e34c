"""Teams on many machines, with git as the shared engine: the release merge driver, `prcli sync`,
commits of workflow changes, and the scheduled-publishing CI templates. No Typer, no Rich."""
