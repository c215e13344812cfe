"""Voucher codes: unguessable, grouped for people, read forgivingly, typos caught."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hallobot.vouchers.codes import ALPHABET, check_symbol, grouped, new_code, normalise


def test_a_code_has_80_random_bits_and_a_check_symbol():
    code = new_code()
    assert len(code) == 17 and set(code) <= set(ALPHABET)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", grouped(code))
    assert len({new_code() for _ in range(2000)}) == 2000
    # every symbol position varies (the bits are spread over all 16 symbols)
    many = [new_code() for _ in range(400)]
    assert all(len({c[i] for c in many}) > 16 for i in range(16))


def test_reading_is_forgiving():
    code = new_code()
    typed = grouped(code).lower().replace("0", "o").replace("1", "l")
    assert normalise(typed) == code
    assert normalise(" ".join(code)) == code
    assert normalise(code.replace("1", "I")) == code


@given(st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_every_single_typo_is_caught(position, symbol):
    code = new_code()
    typo = code[:position] + symbol + code[position + 1 :]
    assert (normalise(typo) is not None) == (typo == code)


def test_swapped_neighbours_are_caught():
    code = "K7QF9MZX2HDAPW3R"
    code += check_symbol(code)
    for i in range(16):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if swapped != code and {code[i], code[i + 1]} != {"0", "Z"}:
            assert normalise(swapped) is None, i


def test_what_cannot_be_a_code():
    for typed in ("", "K7QF-9MZX", "K7QF-9MZX-2HDA-PW3R-UU", "K7QF-9MZX-2HDA-PW3R-*", None):
        assert normalise(typed) is None
