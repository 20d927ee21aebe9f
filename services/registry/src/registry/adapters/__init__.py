"""Everything of the registry that touches the outside world beyond the ORM: ``sql/`` (queries,
bulk writes and migrations) and ``files/`` (XLSX/CSV uploads read, templates and exports written).
"""
