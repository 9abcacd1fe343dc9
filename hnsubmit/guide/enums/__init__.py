"""Code tables of the office-guide model (GB/T 39046—2020 A.1–A.8 and the national platform).
Plain data: it imports nothing of hnsubmit.
"""
