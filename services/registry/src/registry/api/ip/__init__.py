"""An enterprise's IP assets"""
