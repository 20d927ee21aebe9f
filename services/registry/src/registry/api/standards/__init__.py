"""The standards an enterprise led"""
