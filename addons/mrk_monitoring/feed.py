"""Reading the statuses of the monitoring system (7.1).

The monitoring system sends, for each terminal, either the time it was
last seen working, or that it is offline and since when::

    [{"serial": "SN-1001", "last_seen": "2026-03-10T09:15:00+03:00"},
     {"serial": "SN-1002", "online": false, "since": "2026-03-10T06:00:00"}]

The same columns come in its CSV/XLSX export (serial, last_seen, online,
since). A time without offset is UTC, as Tryton stores it.
"""
import datetime

from trytond.i18n import gettext

from .exceptions import FeedError

__all__ = ['parse_timestamp', 'parse_status', 'parse_statuses']

FALSE = {False, 0, '0', 'false', 'no', 'нет', 'offline', 'off'}
TRUE = {True, 1, '1', 'true', 'yes', 'да', 'online', 'on'}


def parse_timestamp(value, where, field):
    "A naive UTC datetime from an ISO 8601 text or a datetime"
    if isinstance(value, datetime.datetime):
        stamp = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(('Z', 'z')):
            text = text[:-1] + '+00:00'
        try:
            stamp = datetime.datetime.fromisoformat(text)
        except ValueError:
            try:
                stamp = datetime.datetime.strptime(text, '%d.%m.%Y %H:%M')
            except ValueError:
                raise FeedError(gettext(
                        'mrk_monitoring.msg_feed_bad_time',
                        where=where, field=field, value=value))
    else:
        raise FeedError(gettext('mrk_monitoring.msg_feed_bad_time',
                where=where, field=field, value=value))
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    if not (datetime.datetime(1990, 1, 1) <= stamp
            <= datetime.datetime(2100, 12, 31)):
        raise FeedError(gettext('mrk_monitoring.msg_feed_bad_time',
                where=where, field=field, value=value))
    return stamp.replace(microsecond=0)


def parse_status(item, where):
    """(serial, last seen, silent since) of one status; where names it in
    the errors (the item of the list, the row of the file)"""
    if not isinstance(item, dict):
        raise FeedError(gettext('mrk_monitoring.msg_feed_not_object',
                where=where))
    serial = item.get('serial')
    if isinstance(serial, (int, float)) and not isinstance(serial, bool):
        serial = str(serial)
    if not isinstance(serial, str) or not serial.strip():
        raise FeedError(gettext('mrk_monitoring.msg_feed_no_serial',
                where=where))
    serial = serial.strip()
    if len(serial) > 64:
        raise FeedError(gettext('mrk_monitoring.msg_feed_bad_serial',
                where=where))
    online = item.get('online')
    if isinstance(online, str):
        online = online.strip().lower()
    if online in (None, ''):
        online = None
    elif online in TRUE:
        online = True
    elif online in FALSE:
        online = False
    else:
        raise FeedError(gettext('mrk_monitoring.msg_feed_bad_online',
                where=where, value=item.get('online')))
    if online is False:
        since = parse_timestamp(item.get('since'), where, 'since')
        return serial, None, since
    if item.get('last_seen') in (None, ''):
        raise FeedError(gettext('mrk_monitoring.msg_feed_no_time',
                where=where))
    seen = parse_timestamp(item.get('last_seen'), where, 'last_seen')
    return serial, seen, None


def parse_statuses(data, label):
    """The statuses of a decoded JSON body (a list of objects, or one
    object); label(index) names an item in the errors"""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedError(gettext('mrk_monitoring.msg_feed_not_list'))
    return [parse_status(item, label(i)) for i, item in enumerate(data, 1)]
