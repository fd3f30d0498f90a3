"""Every demo login of the README works over JSON-RPC, in Russian, and
sees the commercial service's menu."""
from trytond.modules.mrk_base.demo import logins


def test_every_demo_user_logs_in(rpc):
    for login, _, role in logins():
        user = rpc(login)
        assert user.user_id, login
        assert user.context['language'] == 'ru', login
        menus = user('model.ir.ui.menu.search_read',
            [('parent', '=', None)], 0, None, None, ['name'])
        assert 'Коммерческая служба' in [m['name'] for m in menus], (
            login, role, menus)
