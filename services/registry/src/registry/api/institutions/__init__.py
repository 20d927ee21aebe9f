"""An enterprise's R&D institutions"""
