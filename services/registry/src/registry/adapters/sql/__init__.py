"""SQL beyond the ORM: the filtered enterprise list, bulk COPY/executemany writes, migrations."""
