# Tests are discovered by pytest (see the root pyproject.toml) and by
# "python -m unittest discover -s addons/mrk_base/tests".
