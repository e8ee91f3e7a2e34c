"""Media lists: journalists and outlets with language, beat, lists and consent.

Personal data: kept in the private folder (see prcli.privatefolder), never in the release history.
No Typer, no Rich.
"""
