"""The site build: MkDocs hooks, notebook execution and rendering, generated pages."""
