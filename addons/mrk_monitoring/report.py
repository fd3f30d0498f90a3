"""The two journals as Excel workbooks: the point work journal (7.1) and
the complaints journal (7.5), the selected records or, with none selected,
all of them the user reads."""
from trytond.modules.mrk_base.xlsx import XLSXReport
from trytond.pool import Pool


def _name(record):
    return record.rec_name if record else None


def _stamp(value):
    return value.strftime('%d.%m.%Y %H:%M') if value else None


def _selection(Model, name, value):
    return dict(Model.fields_get([name])[name]['selection']).get(value, value)


class DowntimeJournalXLSX(XLSXReport):
    "Point work journal (7.1) as an Excel workbook"
    __name__ = 'mrk.monitoring.downtime.journal.xlsx'

    model = 'mrk.monitoring.downtime'
    sheet_name = 'Журнал работы точек'
    title_row = True
    columns = [
        ('Не работает с', 17, 'center'),
        ('Работает с', 17, 'center'),
        ('Часов', 9, 'integer'),
        ('Терминал', 24, 'wrap'),
        ('Точка', 26, 'wrap'),
        ('Контрагент', 28, 'wrap'),
        ('Причина', 22, 'wrap'),
        ('Что выяснено', 36, 'wrap'),
        ('Источник', 16, 'wrap'),
        ('Заявка', 22, 'wrap'),
        ('Состояние', 16, 'wrap'),
        ]

    @classmethod
    def get_records(cls, ids):
        Downtime = Pool().get(cls.model)
        if ids:
            return Downtime.browse(ids)
        return Downtime.search([])

    @classmethod
    def row(cls, downtime):
        Downtime = downtime.__class__
        return [
            _stamp(downtime.since), _stamp(downtime.until), downtime.duration,
            _name(downtime.terminal), _name(downtime.point),
            _name(downtime.party), _name(downtime.cause),
            downtime.cause_note,
            _selection(Downtime, 'source', downtime.source),
            _name(downtime.field_job),
            _selection(Downtime, 'state', downtime.state),
            ]


class ComplaintJournalXLSX(XLSXReport):
    "Complaints journal (7.5) as an Excel workbook"
    __name__ = 'mrk.monitoring.complaint.journal.xlsx'

    model = 'mrk.monitoring.complaint'
    sheet_name = 'Журнал обращений'
    title_row = True
    columns = [
        ('№', 14, 'center'),
        ('Дата', 12, 'date'),
        ('Контрагент', 28, 'wrap'),
        ('Канал', 12, 'wrap'),
        ('Тема', 20, 'wrap'),
        ('Суть обращения', 40, 'wrap'),
        ('Срок', 12, 'date'),
        ('Ответ бухгалтерии', 36, 'wrap'),
        ('Контрагенту сообщено', 16, 'wrap'),
        ('Состояние', 18, 'wrap'),
        ]

    @classmethod
    def get_records(cls, ids):
        Complaint = Pool().get(cls.model)
        if ids:
            records = Complaint.browse(ids)
        else:
            records = Complaint.search([])
        return sorted(records, key=lambda c: (c.number or '', c.id))

    @classmethod
    def row(cls, complaint):
        Complaint = complaint.__class__
        return [
            complaint.number, complaint.date, _name(complaint.party),
            _selection(Complaint, 'channel', complaint.channel),
            _name(complaint.topic), complaint.text, complaint.deadline,
            complaint.accounting_answer,
            _selection(Complaint, 'informed', complaint.informed) or None,
            _selection(Complaint, 'state', complaint.state),
            ]
