"""The handover act of terminals (2.6): the company hands terminals over to
the counterparty for placement at its point (installation), or takes them
back (removal).

As for the contracts' documents, everything the text needs is computed here
into ``doc``; the template prints one act per ``doc`` of ``acts``. The data
builder ``HandoverAct.get_document`` takes plain values, so that the field
jobs print the same act from a job.
"""
from itertools import groupby
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.modules.mrk_contracts.amount import (
    count_with_words, format_date, format_date_long)
from trytond.modules.mrk_contracts.report import (
    LESSEE, LESSOR, DocumentReport, side)
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from .exceptions import TerminalError

INSTALL, REMOVAL = 'install', 'removal'
VARIANTS = {INSTALL, REMOVAL}
BLANK = '_' * 20
BLANK_DATE = '«___» ____________ 20___ г.'
BLANK_NAME = '_' * 24


def _name(value):
    "The name of a user, a party or a string"
    if value is None:
        return ''
    if isinstance(value, str):
        return value
    return getattr(value, 'name', None) or value.rec_name


def _blank_side(role):
    return SimpleNamespace(
        role=role, name=BLANK_NAME, short_name=BLANK_NAME, acting='',
        lines=[], position='', signer=BLANK, stamp='')


class HandoverAct(Report):
    """Handover act of terminals (2.6), printed from placements.

    The variant comes from the action: «Handover Act (installation)» prints
    the act of the installation dated when the terminals were installed,
    «Handover Act (removal)» the act of the removal dated when they were
    removed. The selected placements at the same point on the same date
    under the same contract make one act; several acts follow each other in
    one document."""
    __name__ = 'mrk.terminal.handover_act'

    # The report action whose template prints the act, and the variant of
    # each action of this report
    template = 'mrk_terminals.report_handover_act_install'
    variant_actions = {
        'report_handover_act_install': INSTALL,
        'report_handover_act_removal': REMOVAL,
        }

    @classmethod
    def get_template_action(cls):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        ModelData = pool.get('ir.model.data')
        module, fs_id = cls.template.split('.')
        return ActionReport(ModelData.get_id(module, fs_id))

    @classmethod
    def get_variant(cls, action):
        "The variant of the act that the report action prints"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        for fs_id, variant in cls.variant_actions.items():
            if ModelData.get_id('mrk_terminals', fs_id) == action.id:
                return variant
        return INSTALL

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        acts = header.get('acts')
        context['acts'] = acts
        context['doc'] = acts[0] if acts else None
        return context

    @classmethod
    def render(cls, report, report_context):
        """Render the acts with the one template: without acts given, those
        of the placements printed, in the variant of the report action
        (installation or removal)"""
        if report_context.get('acts') is None:
            acts = cls.get_placement_documents(
                report_context['records'], cls.get_variant(report))
            report_context = dict(report_context,
                acts=acts, doc=acts[0] if acts else None)
        return super().render(cls.get_template_action(), report_context)

    @classmethod
    def render_acts(cls, acts):
        "Render the acts (namespaces of get_document) as one ODT document"
        with Transaction().set_context(Transaction().context):
            report_context = cls.get_context([], {'acts': acts}, {})
            return cls.render(cls.get_template_action(), report_context)

    @classmethod
    def render_documents(cls, acts, action=None):
        """Render the acts (namespaces of get_document) into one file
        converted as action says (by default as the template's action,
        to PDF): returns its extension (odt when the conversion failed)
        and its content."""
        return cls.convert(action or cls.get_template_action(),
            cls.render_acts(acts))

    # -- data -----------------------------------------------------------------

    @classmethod
    def _act_key(cls, placement, variant):
        date = (placement.installed_on if variant == INSTALL
            else placement.removed_on)
        return (placement.point.id, date,
            placement.contract.id if placement.contract else -1)

    @classmethod
    def get_placement_documents(cls, placements, variant):
        """One act per point, date and contract of the placements, in the
        order of the dates"""
        if variant == REMOVAL:
            for placement in placements:
                if not placement.removed_on:
                    raise TerminalError(gettext(
                            'mrk_terminals.msg_handover_act_not_removed',
                            terminal=placement.terminal.rec_name,
                            point=placement.point.rec_name))
        placements = sorted(placements, key=lambda p: (
                cls._act_key(p, variant)[1], p.point.name,
                cls._act_key(p, variant), p.terminal.serial_number))
        acts = []
        for key, group in groupby(placements,
                key=lambda p: cls._act_key(p, variant)):
            group = list(group)
            acts.append(cls.get_document(variant, key[1],
                    point=group[0].point,
                    contract=group[0].contract,
                    terminals=[p.terminal for p in group],
                    **cls.get_placement_values(group, variant)))
        return acts

    @classmethod
    def get_placement_values(cls, placements, variant):
        """Other values of the act of the placements: number, technician,
        company (the field jobs give the job's number and technician)"""
        values = {}
        contract = placements[0].contract
        if contract:
            values['company'] = contract.company
        return values

    @classmethod
    def get_document(cls, variant, date=None, number=None, point=None,
            party=None, contract=None, terminals=(), technician=None,
            company=None):
        """The strings of the act (2.6) from plain values.

        variant is 'install' (the company hands the terminals over for
        placement at the point) or 'removal' (the counterparty returns
        them); date is the date of the act; number, the job's journal
        number if any; party defaults to the point's counterparty and
        company to the contract's or the context's; technician is a user or
        a name."""
        pool = Pool()
        Company = pool.get('company.company')
        assert variant in VARIANTS, variant
        if party is None and point is not None:
            party = point.party
        if company is None and contract is not None:
            company = contract.company
        if company is None and Transaction().context.get('company'):
            company = Company(Transaction().context['company'])
        terminals = list(terminals)
        several = len(terminals) > 1

        doc = SimpleNamespace()
        doc.variant = variant
        doc.number = number or ''
        doc.title = ('АКТ ПРИЁМА-ПЕРЕДАЧИ '
            + ('ТЕРМИНАЛОВ' if several else 'ТЕРМИНАЛА'))
        if number:
            doc.title += ' № %s' % number
        what = 'терминалов' if several else 'терминала'
        doc.subtitle = ('(установка %s на точке)' if variant == INSTALL
            else '(снятие %s с точки)') % what
        doc.date = format_date(date)
        doc.date_long = format_date_long(date) if date else BLANK_DATE
        doc.city = (DocumentReport.get_city(company) if company
            else 'г. ' + BLANK)

        doc.lessee = (side(company.party, LESSEE) if company
            else _blank_side(LESSEE))
        doc.lessor = side(party, LESSOR) if party else _blank_side(LESSOR)
        if variant == INSTALL:
            doc.giver, doc.receiver = doc.lessee, doc.lessor
        else:
            doc.giver, doc.receiver = doc.lessor, doc.lessee

        doc.point_name = point.name if point else BLANK
        doc.point_address = (point.full_address if point else '') or BLANK
        doc.opening_hours = (
            point.opening_hours if point else '') or BLANK
        doc.point_lines = [
            SimpleNamespace(label='Точка:', value=doc.point_name),
            SimpleNamespace(label='Адрес:', value=doc.point_address),
            SimpleNamespace(label='Режим работы:', value=doc.opening_hours),
            ]
        if contract:
            doc.contract = '№ %s от %s' % (
                contract.number or BLANK, format_date_long(contract.date))
            doc.point_lines.append(SimpleNamespace(
                    label='Договор аренды:', value=doc.contract))
            basis = 'В соответствии с договором аренды %s ' % doc.contract
        else:
            doc.contract = ''
            basis = ''

        doc.preamble = ('%s (далее — «Арендатор»)%s, с одной стороны, и '
            '%s (далее — «Арендодатель»)%s, с другой стороны, далее '
            'совместно именуемые «Стороны», составили настоящий акт о '
            'нижеследующем:' % (
                doc.lessee.name, doc.lessee.acting,
                doc.lessor.name, doc.lessor.acting))
        where = 'точки «%s» по адресу: %s' % (
            doc.point_name, doc.point_address)
        if variant == INSTALL:
            handover = ('%sАрендатор передал, а Арендодатель принял для '
                'размещения в помещении %s следующее оборудование (далее — '
                '«Оборудование»):' % (basis, where))
        else:
            handover = ('%sв связи со снятием с %s, Арендодатель передал '
                '(возвратил), а Арендатор принял следующее оборудование '
                '(далее — «Оборудование»):' % (basis, where))
        doc.handover = '1. ' + handover[:1].upper() + handover[1:]

        doc.terminals = [SimpleNamespace(
                index=str(i),
                model=terminal.model.name if terminal.model else '',
                serial_number=terminal.serial_number or '',
                inventory_number=terminal.inventory_number or '—',
                ) for i, terminal in enumerate(terminals, 1)]
        doc.total = 'Всего: %s.' % count_with_words(
            len(terminals), 'терминал', 'терминала', 'терминалов')

        state = ('2. Оборудование передано в рабочем (исправном) '
            'состоянии, в полной комплектации, без видимых повреждений.')
        if variant == INSTALL:
            keep = ('3. Арендодатель обеспечивает доступ к Оборудованию в '
                'часы работы точки (%s), его сохранность и подключение к '
                'электросети.' % doc.opening_hours)
        else:
            keep = ('3. Стороны не имеют друг к другу претензий по '
                'состоянию и комплектности Оборудования.')
        doc.technician = _name(technician) or BLANK_NAME
        work = 'установке' if variant == INSTALL else 'снятию'
        doc.statements = [
            state,
            keep,
            '4. Работы по %s Оборудования выполнил техник Арендатора: %s.'
            % (work, doc.technician),
            '5. Настоящий акт составлен в двух экземплярах, имеющих равную '
            'юридическую силу, по одному для каждой из Сторон.',
            ]
        return doc
