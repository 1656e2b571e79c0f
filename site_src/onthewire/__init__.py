"""On the Wire: the course's one Python package (site build, labs, shared serving helpers)."""
