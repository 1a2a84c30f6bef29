"""The `rasid` command (Typer). Thin: every command calls the same services as the API."""
