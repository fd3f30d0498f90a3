# Tests of mrk_contracts; test_requisites.py needs no Tryton nor database.
# Run by pytest from the repository's root, or with
#     python -m unittest trytond.modules.mrk_contracts.tests


def load_tests(loader, tests, pattern):
    from trytond.modules.mrk_base.tests.tools import load_module_tests
    return load_module_tests(__name__, loader, tests)
