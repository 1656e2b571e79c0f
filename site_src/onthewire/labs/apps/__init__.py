"""What the checks' apps share across labs: they run inside the server under test (started by
the harness's `serve`), so they may import this package by its full name."""
