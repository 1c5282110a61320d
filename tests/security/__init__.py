"""The access matrix: every URL pattern and API operation × every stranger's role × an object of another city,
province or institution — refused, silent about the object, and changing nothing."""
