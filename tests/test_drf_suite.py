"""``benchmarks/drf_suite.py`` sorts DRF's failures by what they assert (on texts pytest really wrote)."""

import pytest

from benchmarks.drf_suite import BODY_SHAPE_REASON, Failure

DETAIL = """tests/test_decorators.py:221: in test_metadata_class
    assert response.data == {'detail': 'Method "OPTIONS" not allowed.'}
E   assert {'code': 'met...lowed.'], ...} == {'detail': 'M...not allowed.'}"""
RENDERED = """tests/test_validation.py:161: in test_max_value_validation_fail
    assert response.content == b'{"number_value":["Ensure this value is less than or equal to 100."]}'
E   assert b'{"code":"va...max_value"}]}' == b'{"number_va...al to 100."]}'"""
READ_EARLIER = """tests/test_permissions.py:531: in test_permission_denied_with_custom_detail
    self.assertEqual(detail, self.custom_message)
E   AssertionError: None != 'Custom: You cannot access this resource'"""
READ_EARLIER_SOURCE = """def test_permission_denied_with_custom_detail(self):
    response = denied_view(request, pk=1)
    detail = response.data.get('detail')
    self.assertEqual(detail, self.custom_message)"""
NOT_RAISED = """tests/test_generics.py:700: in test_guarded_queryset
    with pytest.raises(RuntimeError):
E   Failed: DID NOT RAISE RuntimeError"""
FORM = """tests/test_generics.py:169: in test_post_error_root_view
    assert expected_error in response.rendered_content.decode()
E   assert '<span class="help-block">Ensure this field has no more than 100 characters.</span>' in '<html>'"""
STATUS = """tests/test_permissions.py:90: in test_does_not_have_create_permissions
    assert response.status_code == status.HTTP_403_FORBIDDEN
E   assert 500 == 403
E    +  where 500 = <Response status_code=500>.status_code"""
HEADER = """tests/test_throttling.py:120: in test_seconds_fields
    assert response['Retry-After'] == '1'
E   AssertionError: assert '2' == '1'"""
UNRELATED = """tests/test_fields.py:10: in test_something
    assert value == 3
E   assert 2 == 3"""


@pytest.mark.parametrize(
    ("text", "source", "reason"),
    [
        (DETAIL, "", BODY_SHAPE_REASON),
        (RENDERED, "", BODY_SHAPE_REASON),
        (READ_EARLIER, READ_EARLIER_SOURCE, BODY_SHAPE_REASON),
        (NOT_RAISED, "", "an exception no longer reaches the test client"),
        (FORM, "", "an HTML form no longer shows its field errors"),
        (STATUS, "detail = response.data['detail']", "the status code differs"),
        (HEADER, "", "a header differs"),
        (UNRELATED, "", "other"),
    ],
    ids=["detail", "rendered", "read-earlier", "not-raised", "form", "status", "header", "unrelated"],
)
def test_each_failure_is_sorted_by_what_it_asserts(text, source, reason):
    assert Failure("tests.x::test", text, source).reason == reason
