"""Export spells (asset group ``spells``) and survival marts (report section 2.4)."""

ASSETS: list = []  # the spells tables and the survival marts
