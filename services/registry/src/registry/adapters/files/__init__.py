"""XLSX/CSV files: reading uploads under limits, cells and columns of the import sheet, the
import template and the export workbook."""
