"""Record rules applied to searches through relations.

trytond converts a search domain without access checks, so the record
rules of a relation's target do not limit a clause such as
``('field_jobs.technician', '=', other)`` on mrk.point: a user who reads
every point could count the points of jobs he may not read. The models
with such relations rewrite those clauses so that they only match the
targets the user may read (RelatedRuleMixin)."""
from trytond.pool import Pool
from trytond.tools.domain_inversion import is_leaf
from trytond.transaction import Transaction


def unrestricted(domain):
    "Whether a record rule domain lets every record through"
    if not domain:
        return True
    if is_leaf(domain):
        return False
    if domain[0] == 'OR':
        return any(unrestricted(d) for d in domain[1:])
    if domain[0] == 'AND':
        domain = domain[1:]
    return all(unrestricted(d) for d in domain)


def restrict_related(Model, domain, names):
    """Return domain with its clauses on the relation fields names limited
    to the targets that the read rules let the current user see"""
    if not Transaction().check_access or not Transaction().user:
        return domain
    pool = Pool()
    Rule = pool.get('ir.rule')
    rules = {}

    def rule(name):
        if name not in rules:
            target = Model._fields[name].get_target()
            rule_domain = Rule.domain_get(target.__name__, mode='read')
            rules[name] = (None if unrestricted(rule_domain)
                else rule_domain)
        return rules[name]

    def convert(clause):
        if is_leaf(clause):
            name, operator, value = clause[:3]
            local, _, nested = name.partition('.')
            if local not in names or rule(local) is None:
                return clause
            rule_domain = rule(local)
            if nested:
                return (local, 'where',
                    [(nested, operator, value) + tuple(clause[3:]),
                        rule_domain])
            if operator in {'where', 'not where'}:
                return (local, operator, [value, rule_domain])
            if value is None and operator in {'=', '!='}:
                return (local, 'where' if operator == '!=' else 'not where',
                    rule_domain)
            target = 'rec_name' if isinstance(value, str) else 'id'
            return (local, 'where', [(target, operator, value), rule_domain])
        elif isinstance(clause, str):
            return clause
        return [convert(c) for c in clause]
    return convert(domain)


class RelatedRuleMixin:
    """Limit the clauses on the relations of _related_rule_fields to the
    targets the user may read"""
    __slots__ = ()
    _related_rule_fields = set()

    @classmethod
    def search(cls, domain, *args, **kwargs):
        domain = restrict_related(cls, domain, cls._related_rule_fields)
        return super().search(domain, *args, **kwargs)
