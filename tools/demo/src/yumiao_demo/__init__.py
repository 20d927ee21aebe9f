"""Deterministic demo data: ~3,000 synthetic Dongchangfu enterprises loaded into the registry.

A tool, not part of the registry's runtime package: the registry never imports it. Installed, it
adds ``flask --app registry.app seed-demo`` (a Flask plugin command, ``cli.py``), which writes
straight into the registry's database in one transaction.

Every code is synthetic (valid check characters, invented bodies); names say 示例 nowhere
because they must look real in a demo, so the README and seed log label the data synthetic.
"""
