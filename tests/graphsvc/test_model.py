from datetime import date

from graphsvc.model import normalise_name, organisation_id, person_id, session_id, slug


def test_slug_folds_case_accents_and_punctuation():
    assert slug("Carers' Trust – Ação & Co.") == "carers-trust-acao-co"


def test_person_ids_are_stable_and_carry_no_personal_data():
    a = person_id("Ann.Lee@Example.org", "Ann Lee", "org:x")
    assert a == person_id(" ann.lee@example.org ", "A. Lee", "org:y")  # email is the key
    assert "ann" not in a and "lee" not in a
    assert person_id(None, "Ann  Lee", "org:x") == person_id(None, "ann lee", "org:x")
    assert person_id(None, "Ann Lee", "org:x") != person_id(None, "Ann Lee", "org:y")


def test_other_ids_follow_their_natural_keys():
    assert organisation_id("Bolton CVS") == organisation_id("bolton  cvs") == "org:bolton-cvs"
    first = session_id("GM peer support", date(2017, 3, 1), "Sharing practice")
    assert first == session_id("GM peer support", date(2017, 3, 1), "sharing  practice")
    assert first != session_id("GM peer support", date(2017, 3, 2), "Sharing practice")
    assert normalise_name("  The  Oak-Trust ") == "the oak trust"
