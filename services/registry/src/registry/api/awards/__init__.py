"""An enterprise's awards"""
