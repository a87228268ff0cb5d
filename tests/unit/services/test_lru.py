"""The process's small caches: least recently used goes first, a read counts as a use."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aicmo.services.lru import LruCache


def test_the_least_recently_used_entry_goes_first_and_a_read_counts_as_a_use() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 6)), max_size=60), st.integers(1, 4))
def test_it_behaves_like_a_list_ordered_by_last_use(ops: list[tuple[bool, int]], size: int) -> None:
    cache: LruCache[int, int] = LruCache(size)
    model: list[int] = []  # keys, least recently used first
    for is_put, key in ops:
        if is_put:
            cache.put(key, key * 10)
            model = [k for k in model if k != key] + [key]
            model = model[-size:]
        else:
            assert cache.get(key) == (key * 10 if key in model else None)
            if key in model:
                model = [k for k in model if k != key] + [key]
