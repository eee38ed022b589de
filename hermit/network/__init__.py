"""Ownership and control networks: the edge table and the OFAC 50% rule.

Core code: it never imports the api, web or cli packages.
"""
