"""The wsgi-server checks need no fixtures of their own: the harness gives `serve`, `run_lab`,
`markers`, `lab` and `code_dir`, and the kit (onthewire.labs.kit) the clients."""
