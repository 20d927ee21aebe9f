"""The profile's shared vocabulary as words people read (profile.md, domain-data.md).

One table per kind of key — GB/T 4754 industries, the district's towns, the high-tech fields,
the profile's keyed choices — so every service names a key alike (pages, exports, notices,
imports that accept the name) and none keeps a second copy.
"""
