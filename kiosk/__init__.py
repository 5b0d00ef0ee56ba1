"""HCC kiosk: guided online public services and digital-skill lessons for a commune service centre."""

__version__ = "0.1.0"
