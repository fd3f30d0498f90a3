# The exchange with the accounting's 1C (4.1-4.4): see README.md.
