"""Check digits of organisation codes, credit codes and resident ID numbers."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from portal import codes
from portal.models import Organization, OrganizationKind
from portal.validators import validate_index_pattern_strict, validate_organization_code

# Worked examples printed in the standards themselves (they illustrate the
# algorithm; they are not real bodies or people).
GB11714_EXAMPLE = "D2143569-X"  # GB 11714-1997
GB32100_EXAMPLE = "91350100M000100Y43"  # GB 32100-2015, appendix
GB11643_EXAMPLE = "11010519491231002X"  # GB 11643-1999


def test_published_examples_are_valid():
    assert codes.is_valid_org_code(GB11714_EXAMPLE)
    assert codes.is_valid_uscc(GB32100_EXAMPLE)
    assert codes.is_valid_resident_id(GB11643_EXAMPLE)


def test_helpers_compute_the_published_check_characters():
    assert codes.make_org_code("D2143569") == "D2143569X"
    assert codes.make_uscc(GB32100_EXAMPLE[:17]) == GB32100_EXAMPLE
    assert codes.make_resident_id(GB11643_EXAMPLE[:17]) == GB11643_EXAMPLE
    # The credit code embeds a valid GB 11714 organisation code (characters 9-17).
    assert codes.is_valid_org_code(GB32100_EXAMPLE[8:17])


def test_check_character_zero_and_x_cases():
    # GB 11714: 11 - (sum mod 11) gives 11 → "0" and 10 → "X".
    bodies = {codes.org_code_check_char(f"{n:08d}") for n in range(2000)}
    assert {"0", "X"} <= bodies
    ids = {codes.resident_id_check_char(f"{n:017d}") for n in range(200)}
    assert "X" in ids


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("d2143569-x", "D2143569X"),
        (" D214 3569 X ", "D2143569X"),
        ("9135 0100 M000 100Y 43", GB32100_EXAMPLE),
        ("91350100m000100y43", GB32100_EXAMPLE),
        ("９１３５０１００Ｍ０００１００Ｙ４３", GB32100_EXAMPLE),  # full-width, typed with an IME on
        ("110105-19491231-002x", GB11643_EXAMPLE),
        ("D2143569—X", "D2143569X"),
    ],
)
def test_normalisation(typed, expected):
    assert codes.normalize(typed) == expected


def test_validity_after_normalisation():
    assert codes.is_valid_org_code("d2143569-x")
    assert codes.is_valid_uscc("9135 0100 m000 100y 43")
    assert codes.is_valid_resident_id("110105 19491231 002x")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "D2143569",  # too short
        "D2143569Y",  # check character must be a digit or X
        "913501000000100Y43",  # wrong check character
        "91350100I000100Y43",  # I is not in the credit-code alphabet
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # non-ASCII digits
        "11010519491231002Y",
    ],
)
def test_malformed_codes_are_rejected(bad):
    assert not codes.is_valid_org_code(bad)
    assert not codes.is_valid_uscc(bad)
    assert not codes.is_valid_resident_id(bad)


org_bodies = st.text(alphabet=codes.ORG_CODE_ALPHABET, min_size=8, max_size=8)
uscc_bodies = st.text(alphabet=codes.USCC_ALPHABET, min_size=17, max_size=17)
id_bodies = st.text(alphabet="0123456789", min_size=17, max_size=17)


def _corrupt(code, position, char):
    return code[:position] + char + code[position + 1 :]


@given(uscc_bodies, st.integers(0, 17), st.sampled_from(codes.USCC_ALPHABET))
def test_uscc_detects_every_single_character_change(body, position, char):
    code = codes.make_uscc(body)
    assume(code[position] != char)
    assert codes.is_valid_uscc(code)
    assert not codes.is_valid_uscc(_corrupt(code, position, char))


@given(id_bodies, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_resident_id_detects_every_single_character_change(body, position, char):
    number = codes.make_resident_id(body)
    assume(number[position] != char)
    assert codes.is_valid_resident_id(number)
    assert not codes.is_valid_resident_id(_corrupt(number, position, char))


@given(org_bodies, st.integers(0, 8), st.sampled_from(codes.ORG_CODE_ALPHABET))
def test_org_code_detects_single_character_changes(body, position, char):
    code = codes.make_org_code(body)
    assume(code[position] != char)
    if position < 8:
        # GB 11714 works modulo 11 over a 36-character alphabet: two characters
        # whose values differ by 11, 22 or 33 (0 and B, say) carry the same
        # weight, which the standard cannot detect.
        value = codes.ORG_CODE_ALPHABET.index
        assume((value(char) - value(code[position])) % 11 != 0)
    assert codes.is_valid_org_code(code)
    assert not codes.is_valid_org_code(_corrupt(code, position, char))


@given(uscc_bodies)
def test_valid_codes_pass_the_model_validator(body):
    validate_organization_code(codes.make_uscc(body))


def _org(code, **extra):
    return Organization(name="测试乡人民政府", short_name="测试乡", kind=OrganizationKind.TOWNSHIP, code=code, **extra)


def _messages(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,words",
    [
        ("913501000000100Y43", "统一社会信用代码"),
        ("D21435691", "组织机构代码"),
        ("91350100I000100Y43", "不允许的字符"),
        ("12345", "9位组织机构代码或18位统一社会信用代码"),
    ],
)
def test_full_clean_rejects_a_bad_code_in_chinese(code, words):
    with pytest.raises(ValidationError) as exc_info:
        _org(code).full_clean()
    message = _messages(exc_info, "code")
    assert words in message
    if len(codes.normalize(code)) in (9, 18) and "字符" not in words:
        assert "校验位不正确" in message


@pytest.mark.django_db
def test_full_clean_accepts_a_good_code_and_save_normalises_it():
    org = _org("91350100m000100y43")
    org.full_clean()
    org.save()
    assert Organization.objects.get(pk=org.pk).code == GB32100_EXAMPLE


@pytest.mark.django_db
def test_the_admin_form_accepts_spaced_codes_and_catches_duplicates_written_differently():
    from portal.forms import OrganizationAdminForm

    data = {
        "name": "测试乡人民政府",
        "short_name": "测试乡",
        "kind": OrganizationKind.TOWNSHIP,
        "code": "9135 0100 m000 100y 43",
        "index_pattern": "{code}/{year}-{serial:05d}",
        "sort_order": 0,
    }
    form = OrganizationAdminForm(data=data)
    assert form.is_valid(), form.errors
    form.save()
    assert Organization.objects.get().code == GB32100_EXAMPLE

    again = OrganizationAdminForm(data={**data, "code": "91350100m000100y43"})
    assert not again.is_valid()
    assert "机构代码" in " ".join(again.errors["code"])
    assert Organization.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pattern,words",
    [
        ("{code}-{year}", "{serial}"),
        ("{code}/{month}/{serial}", "不可用"),
        ("{0}{serial}", "不可用"),
    ],
)
def test_index_pattern_is_validated_by_the_model(pattern, words):
    with pytest.raises(ValidationError) as exc_info:
        _org(GB32100_EXAMPLE, index_pattern=pattern).full_clean()
    assert words in _messages(exc_info, "index_pattern")


@pytest.mark.django_db
def test_a_valid_index_pattern_formats_index_numbers():
    org = _org(GB32100_EXAMPLE, index_pattern="{code}/{year}-{serial:05d}")
    org.full_clean()
    assert org.format_index_number(2026, 7) == f"{GB32100_EXAMPLE}/2026-00007"


@pytest.mark.parametrize(
    "pattern",
    [
        "{code.__class__}-{serial}",  # attribute access
        "{code!r}-{serial}",  # conversion
        "{code}-{serial:999999999}",  # a gigabyte-wide index number
        "{code}-{serial:s}",  # fails only when the first item is published
        "{code:>40}-{serial}",
        "{code}-{serial",  # unbalanced brace
        "{code}-{year}",
    ],
)
def test_the_admin_refuses_patterns_that_would_break_publishing(pattern):
    with pytest.raises(ValidationError):
        validate_index_pattern_strict(pattern)


@pytest.mark.parametrize("pattern", ["{code}/{year}-{serial:05d}", "{code}-{year}-{serial}", "SFX{year}{serial:04d}"])
def test_the_admin_accepts_ordinary_patterns(pattern):
    validate_index_pattern_strict(pattern)
