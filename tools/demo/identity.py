"""Phone numbers and resident ID numbers that look real and pass the ID checksum."""

from __future__ import annotations

import numpy as np

from tools.demo.dates import date_texts

# Mobile prefixes of the three carriers.
PHONE_PREFIXES = np.array(
    [
        130,
        131,
        132,
        133,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        153,
        155,
        156,
        157,
        158,
        159,
        166,
        173,
        177,
        180,
        181,
        182,
        183,
        185,
        186,
        187,
        188,
        189,
        191,
        198,
        199,
    ],
    dtype=np.int64,
)

# Administrative division codes (first six ID digits): mostly the bank's own province (Zhejiang),
# the rest from provinces people often move from.
REGION_CODES = np.array(
    [
        "330102",
        "330105",
        "330106",
        "330108",
        "330109",
        "330110",
        "330203",
        "330302",
        "330402",
        "330602",
        "330702",
        "331002",
        "320102",
        "340102",
        "360102",
        "410102",
        "420102",
        "430102",
        "510104",
        "370102",
        "350102",
        "110101",
        "310101",
        "440103",
        "362430",
        "412721",
        "341221",
    ],
    dtype=object,
)
REGION_WEIGHTS = np.array(
    [9, 8, 9, 7, 6, 6, 3, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 2], dtype=np.float64
)

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = np.array(list("10X98765432"), dtype=object)
_THREE_DIGITS = np.array([f"{i:03d}" for i in range(1000)], dtype=object)


def sample_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = PHONE_PREFIXES[rng.integers(0, len(PHONE_PREFIXES), n)]
    numbers = prefix * 100_000_000 + rng.integers(0, 100_000_000, n)
    return numbers.astype(str).astype(object)


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS.tolist()))
    return "10X98765432"[total % 11]


def sample_id_numbers(rng: np.random.Generator, birth_ordinals: np.ndarray, female: np.ndarray) -> np.ndarray:
    """18-character ID numbers: region, birth date, sequence (odd for men), check character."""
    n = len(birth_ordinals)
    region = REGION_CODES[rng.choice(len(REGION_CODES), size=n, p=REGION_WEIGHTS / REGION_WEIGHTS.sum())]
    birth = np.char.replace(date_texts(birth_ordinals).astype(str), "-", "").astype(object)
    seq = rng.integers(0, 500, n) * 2 + np.where(female, 0, 1)  # 17th digit parity is the sex
    body = region + birth + _THREE_DIGITS[seq]
    digits = np.frombuffer("".join(body.tolist()).encode("ascii"), dtype=np.uint8).reshape(n, 17) - ord("0")
    check = CHECK_CHARS[(digits.astype(np.int64) @ ID_WEIGHTS) % 11]
    return body + check
