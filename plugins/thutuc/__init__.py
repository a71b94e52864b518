"""thutuc: turn administrative procedures written as YAML into a static public-service catalogue."""

__version__ = "0.1.0"
