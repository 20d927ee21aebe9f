"""Shared views and schemas of the dependent record kinds (IP, awards, institutions,
standards, certifications); each kind's blueprint is in ``api/<kind>/routes.py``."""
