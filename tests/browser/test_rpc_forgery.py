"""An approval cannot be forged over the web client's JSON-RPC (issue 11,
item 1): the demo's client manager writes the state and the approver of a
non-standard contract waiting for the head, as sao would save a form, and
is refused; the contract is still waiting. No browser is needed."""
import pytest


def test_manager_cannot_approve_by_writing(rpc):
    manager = rpc('manager')
    head = rpc('head')
    waiting = manager('model.mrk.contract.search_read',
        [('kind', '=', 'non_standard'), ('state', '=', 'approval')],
        0, 1, None, ['number', 'state', 'approved_by'])
    assert waiting, "the demo has a non-standard contract to approve"
    contract, = waiting

    # The fixture's RPCError: conftest is not imported by the tests
    with pytest.raises(Exception) as info:
        manager('model.mrk.contract.write', [contract['id']], {
                'state': 'active',
                'approved_by': head.user_id,
                })
    assert type(info.value).__name__ == 'RPCError', info.value
    error = str(info.value)
    assert 'UserError' in error or 'AccessError' in error, error
    assert contract['number'] in error, error

    with pytest.raises(Exception, match='UserError'):
        manager('model.mrk.contract.write', [contract['id']], {
                'kind': 'standard',
                })

    after, = manager('model.mrk.contract.read', [contract['id']],
        ['state', 'approved_by', 'kind'])
    assert (after['state'], after['approved_by'], after['kind']) == (
        'approval', None, 'non_standard')
