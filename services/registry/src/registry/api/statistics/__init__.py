"""HTTP resource package (routes and schemas)."""
