from ruche_vault.domain import is_valid_identifier, new_identifier


def test_identifiers_are_12_digits_with_a_valid_check() -> None:
    identifiers = {new_identifier() for _ in range(1000)}
    assert len(identifiers) == 1000
    assert all(len(i) == 12 and i.isdigit() and is_valid_identifier(i) for i in identifiers)


def test_a_mistyped_identifier_is_caught() -> None:
    identifier = new_identifier()
    swapped = identifier[1] + identifier[0] + identifier[2:]
    changed = identifier[:5] + str((int(identifier[5]) + 1) % 10) + identifier[6:]
    assert not is_valid_identifier(changed)
    assert swapped == identifier or not is_valid_identifier(swapped)
    assert not is_valid_identifier("12345")
