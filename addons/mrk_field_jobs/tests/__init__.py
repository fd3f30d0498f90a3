# Tests of mrk_contracts; test_requisites.py needs no Tryton nor database.
