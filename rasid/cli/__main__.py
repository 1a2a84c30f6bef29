"""`python -m rasid.cli` runs the `rasid` command."""

from rasid.cli.main import app

app()
