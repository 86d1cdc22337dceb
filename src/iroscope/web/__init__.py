"""The IRO workspace: a Django application storing the canonical dataset in its database.

Nothing outside this package imports Django; the command line reaches it through `commands`.
"""
