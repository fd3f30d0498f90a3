"""Helpers for the models of the MRK modules."""

__all__ = ['rec_name_domain']


def rec_name_domain(clause, names):
    """The domain of a search_rec_name over several fields: a record
    matches when one of them does, or, for a negative operator ("not
    ilike", "!="), when none does."""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(name, operator, operand, *extra) for name in names]
