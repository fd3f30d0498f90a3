# This module is registered through tryton.cfg; see README.md.
