"""Dependencies every route uses: the store, a unit of work, and the caller's readable datasets.

Routes declare them with the ``Annotated`` aliases below::

    def get_entity(entity_id: str, uow: Uow, readable: Readable) -> EntityDetail: ...
"""

from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request

from rasid.store import Store, UnitOfWork


def get_store(request: Request) -> Store:
    """The store the app was created with."""
    return cast(Store, request.app.state.store)


def unit_of_work(store: Annotated[Store, Depends(get_store)]) -> Iterator[UnitOfWork]:
    """One transaction for the request: committed when the route returns, rolled back when it
    raises. Routes never commit themselves."""
    with store.uow() as uow:
        yield uow


def readable_datasets() -> frozenset[str] | None:
    """The names of the datasets the caller may read: the one need-to-know decision of the web
    layer. Every route passes its result to every store call it makes.

    Today Rasid has no users or sign-in, so there is no caller to restrict: this returns
    ``None``, which the store reads as *every dataset*. When sign-in and the policy decision
    point arrive (``rasid.access``), this function will identify the caller (session cookie or
    ``Authorization: Bearer`` token) and return the set the policy grants (the datasets of the
    caller's agency plus those shared with it), never None; routes will not change.
    """
    return None


StoreDep = Annotated[Store, Depends(get_store)]
# scope="function": the transaction ends (and the connection returns to the pool) before
# the response is sent.
Uow = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]
Readable = Annotated[frozenset[str] | None, Depends(readable_datasets)]
