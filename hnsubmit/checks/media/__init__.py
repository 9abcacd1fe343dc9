"""Media tools run as separate processes (ffmpeg), bounded in time and output."""
