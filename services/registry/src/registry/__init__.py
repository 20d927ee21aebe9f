"""Yumiao registry: the district's enterprises, their figures, titles and cultivation pipeline."""
