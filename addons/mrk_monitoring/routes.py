"""The HTTP endpoint of the monitoring system's feed (7.1).

POST /<database>/mrk_monitoring/feed with the key of a validated user
application «Мониторинг терминалов» (res.user.application) as a bearer
token, and a JSON body (see feed.py). The answer lists the downtimes opened
and closed and the serials the system does not know; a body that is not
such JSON gets HTTP 400 with the reason and changes nothing."""
import json
from http import HTTPStatus

from trytond.i18n import gettext
from trytond.pool import PoolMeta
from trytond.protocols.wrappers import (
    Response, allow_null_origin, user_application, with_pool,
    with_transaction)
from trytond.wsgi import app

from .exceptions import FeedError
from .feed import parse_statuses

APPLICATION = 'mrk_monitoring'
# A body larger than this is refused before it is read
MAX_BYTES = 20 * 1024 * 1024

monitoring_application = user_application(APPLICATION)


class UserApplication(metaclass=PoolMeta):
    __name__ = 'res.user.application'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.application.selection.append(
            (APPLICATION, "Terminal Monitoring"))

    @classmethod
    def default_state(cls):
        # The administrator validates the key he gives the monitoring
        # system: a new key is only requested
        return 'requested'


def bad_request(reason):
    return Response(
        json.dumps({'error': reason}, ensure_ascii=False),
        status=HTTPStatus.BAD_REQUEST,
        content_type='application/json; charset=utf-8')


@app.route('/<database_name>/mrk_monitoring/feed', methods=['POST'])
@allow_null_origin
@with_pool
@with_transaction()
@monitoring_application
def feed(request, pool):
    "Apply the statuses of the monitoring system to the downtimes (7.1)"
    Downtime = pool.get('mrk.monitoring.downtime')
    if (request.content_length or 0) > MAX_BYTES:
        return bad_request(gettext('mrk_monitoring.msg_feed_too_large',
                size=MAX_BYTES // (1024 * 1024)))
    # Cached: the transaction is retried when the feed locks its table
    body = request.get_data()
    try:
        data = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as exception:
        return bad_request(gettext('mrk_monitoring.msg_feed_bad_json',
                reason=str(exception)))
    try:
        statuses = parse_statuses(data, lambda i: gettext(
                'mrk_monitoring.msg_feed_item', index=i))
    except FeedError as exception:
        return bad_request(exception.message)
    return Downtime.feed(statuses)
