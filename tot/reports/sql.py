"""SQL pieces the reports need that SQLAlchemy does not write the same way on every database.

A feedback response keeps its answers in one JSON object, {question id: value}. To average the
ratings in the database rather than in Python, a query reads the answer to a question whose id
is a column, which SQLite and PostgreSQL spell differently.
"""

from sqlalchemy import Integer, String, case, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from tot.feedback.answering import RATINGS


class answer_text(FunctionElement):  # named like the SQL functions it stands for
    """answer_text(answers, question_id): the answer as text when it is a number or a string,
    else NULL (a true/false, a list, nothing at all)."""

    type = String()
    name = "answer_text"
    inherit_cache = True


@compiles(answer_text)
def _answer_text_sqlite(element, compiler, **kw) -> str:
    answers, question_id = (compiler.process(clause, **kw) for clause in element.clauses)
    path = f"""('$."' || CAST({question_id} AS TEXT) || '"')"""
    return (
        f"(CASE WHEN json_type({answers}, {path}) IN ('integer', 'text') "
        f"THEN CAST(json_extract({answers}, {path}) AS TEXT) END)"
    )


@compiles(answer_text, "postgresql")
def _answer_text_postgresql(element, compiler, **kw) -> str:
    answers, question_id = (compiler.process(clause, **kw) for clause in element.clauses)
    key = f"CAST({question_id} AS TEXT)"
    return (
        f"(CASE WHEN json_typeof(({answers}) -> {key}) IN ('number', 'string') "
        f"THEN ({answers}) ->> {key} END)"
    )


def rating_answer(answers, question_id) -> ColumnElement:
    """The rating (1 to 5) a response gives the question, or NULL: what `as_rating` accepts."""
    text = func.trim(answer_text(answers, question_id))
    return case((text.in_([str(rating) for rating in RATINGS]), cast(text, Integer)))
