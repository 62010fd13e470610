"""courtpath: tools for defending servicemen in military-absence cases."""

__version__ = "0.2.0"
