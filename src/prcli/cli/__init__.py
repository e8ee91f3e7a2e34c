"""The Typer layer: parses the command line, calls the core, and renders results."""
