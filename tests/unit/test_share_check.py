"""The "Can I share this?" check: every path ends in a plain answer with its paragraph."""

from __future__ import annotations

import itertools

import pytest

from insight.sharing.share_check import ANSWERS, CONTACT, FIRST, QUESTIONS, VERDICTS, decide, walk


def test_every_question_routes_every_answer_somewhere_real():
    for question in QUESTIONS.values():
        assert set(question.then) == set(ANSWERS), question.id
        assert question.paras and all(p.startswith("para ") for p in question.paras)
        for target in question.then.values():
            if target.startswith("verdict:"):
                assert target.removeprefix("verdict:") in VERDICTS
            else:
                assert target in QUESTIONS


def test_every_combination_of_answers_ends_in_a_verdict():
    reached = set()
    for combo in itertools.product(ANSWERS, repeat=len(QUESTIONS)):
        verdict = decide(dict(zip(QUESTIONS, combo, strict=True)))
        assert verdict is not None
        assert verdict.answer and verdict.reason and verdict.paras
        reached.add(verdict.key)
    assert reached == set(VERDICTS)  # no verdict is unreachable


def test_no_answers_asks_the_first_question():
    path = walk({})
    assert path.verdict is None
    assert path.next_question is QUESTIONS[FIRST]


def test_dwp_performance_information_is_never_shared():
    verdict = decide({"performance": "yes"})
    assert verdict.outcome == "do_not_share"
    assert "para 5" in verdict.paras


def test_personal_data_is_outside_the_guidance():
    verdict = decide({"performance": "no", "personal": "yes"})
    assert verdict.outcome == "do_not_share"
    assert "para 7" in verdict.paras


def test_not_own_information():
    verdict = decide({"performance": "no", "personal": "no", "own_mi": "no"})
    assert verdict.outcome == "do_not_share"
    assert verdict.paras == ("para 3",)


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_not_sure_anywhere_means_ask_the_performance_manager(question):
    answers = {q: "yes" for q in QUESTIONS}
    answers |= {"performance": "no", "personal": "no", "oral": "no", "percentages": "no"}
    answers[question] = "unsure"
    verdict = decide(answers)
    if question in {q.id for q in walk(answers).questions}:
        assert verdict.outcome == "ask"
        assert verdict.paras == ("para 17",)
    assert "Performance Manager" in CONTACT and "para 17" in CONTACT


_OWN = {"performance": "no", "personal": "no", "own_mi": "yes", "purpose": "yes"}


def test_saying_it_is_preferred():
    verdict = decide(_OWN | {"oral": "yes"})
    assert verdict.outcome == "say_it"
    assert "para 13" in verdict.paras


def test_written_percentages_copy_to_the_performance_manager_and_say_not_accredited():
    verdict = decide(_OWN | {"oral": "no", "percentages": "yes"})
    assert verdict.outcome == "share_written"
    assert "percentages" in verdict.answer
    paras = [para for _, para in verdict.conditions]
    assert "para 16" in paras and "para 15" in paras


def test_absolute_numbers_only_where_truly_needed():
    needed = decide(_OWN | {"oral": "no", "percentages": "no", "numbers_needed": "yes"})
    assert needed.outcome == "share_written" and "para 16" in dict(map(reversed, needed.conditions))
    not_needed = decide(_OWN | {"oral": "no", "percentages": "no", "numbers_needed": "no"})
    assert not_needed.key == "numbers_not_needed"
    assert "para 13" in not_needed.paras


def test_a_changed_earlier_answer_drops_later_ones_off_the_path():
    answers = _OWN | {"oral": "no", "percentages": "yes"}
    answers["performance"] = "yes"
    path = walk(answers)
    assert [q.id for q in path.questions] == ["performance"]
    assert path.verdict.key == "performance"


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError):
        walk({"performance": "maybe"})
