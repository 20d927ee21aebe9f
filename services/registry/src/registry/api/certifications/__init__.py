"""The certifications an enterprise holds"""
