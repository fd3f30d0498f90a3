# Tests of mrk_1c; test_client.py needs no Tryton nor database, onec_fake.py
# is the fake 1C web service they talk to.
