"""The web pages, one module per audience: public, bureau, pipeline, imports, enterprise."""
