"""Publish government open data as a static, trustworthy catalogue."""

__version__ = "0.1.0"
