# Tests of mrk_field_jobs.
# Run by pytest from the repository's root, or with
#     python -m unittest trytond.modules.mrk_field_jobs.tests


def load_tests(loader, tests, pattern):
    from trytond.modules.mrk_base.tests.tools import load_module_tests
    return load_module_tests(__name__, loader, tests)
