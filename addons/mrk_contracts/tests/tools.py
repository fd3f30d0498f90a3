"Shared test helpers of mrk_contracts"
from trytond.modules.mrk_base.tests import tools as base_tools


class DatabaseTestCase(base_tools.DatabaseTestCase):
    "A test case with a fresh database where mrk_contracts is activated"
    modules = ['mrk_contracts']
