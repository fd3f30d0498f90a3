# Tests of mrk_rent; test_due.py needs no Tryton nor database.
