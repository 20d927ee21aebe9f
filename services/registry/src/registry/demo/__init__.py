"""Deterministic demo data: ~3,000 synthetic Dongchangfu enterprises for ``seed-demo``.

Every code is synthetic (valid check characters, invented bodies); names say 示例 nowhere
because they must look real in a demo, so the README and seed log label the data synthetic.
"""
