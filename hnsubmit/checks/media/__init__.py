"""Media tools run as separate processes (ffmpeg), bounded in time and output.
It imports only errors and i18n.
"""
