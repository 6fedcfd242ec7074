from codesieve.select.layout import BLOCK, GRID, ROW, WORD, read_layout, render, reordered, resized


def kinds(text):
    return [(c.line, c.position, c.kind, c.span) for c in read_layout(text).counts]


def test_counts_are_found_by_what_follows_them():
    assert kinds("3\n1 2 3\n") == [(0, 0, ROW, (1,))]
    assert kinds("5 3\n1 2 3 4 5\n9 9 9 9 9\n") == [(0, 0, ROW, (1, 2))]  # each following line of that length
    assert kinds("4\n1 2\n3 4\n5 6\n7 8\n") == [(0, 0, BLOCK, (1, 2, 3, 4))]
    assert kinds("5\nabcde\n") == [(0, 0, WORD, (1,))]
    assert kinds("2\n1 2\n3 4\n") == [(0, 0, GRID, (1, 2))]


def test_test_cases_of_several_lines_keep_their_own_counts_and_the_first_number_is_free():
    layout = read_layout("2\n3\n1 2 3\n2\n4 5\n")
    assert [(c.line, c.span) for c in layout.counts] == [(1, (2,)), (3, (4,))]
    assert (0, 0) in layout.free


def test_numbers_on_counted_lines_are_data_and_small_numbers_count_nothing():
    layout = read_layout("3\n2 2 2\n1\n7\n")
    assert [c.line for c in layout.counts] == [0]  # the 2s of line 1 are items, and 1 counts nothing
    assert {(1, 0), (2, 0), (3, 0)} <= set(layout.free)


def test_resizing_keeps_each_count_consistent():
    lines = read_layout("3\n1 2 3\n").lines
    count = read_layout("3\n1 2 3\n").counts[0]
    assert render(resized(lines, count, 1)) == "1\n1\n"
    assert render(resized(lines, count, 5)) == "5\n1 2 3 1 2\n"
    grid = read_layout("2\n1 2\n3 4\n")
    assert render(resized(grid.lines, grid.counts[0], 3)) == "3\n1 2 1\n3 4 3\n1 2 1\n"
    word = read_layout("3\nabc\n")
    assert render(resized(word.lines, word.counts[0], 2)) == "2\nab\n"


def test_reordering_keeps_the_layout():
    layout = read_layout("3\n10 2 7\n")
    assert render(reordered(layout.lines, layout.counts[0], "reversed")) == "3\n7 2 10\n"
    assert render(reordered(layout.lines, layout.counts[0], "sorted")) == "3\n2 7 10\n"  # by value, not text
    block = read_layout("2\n3 x\n1 y\n")
    assert render(reordered(block.lines, block.counts[0], "sorted")) == "2\n1 y\n3 x\n"


def test_an_input_too_long_renders_as_none():
    assert render(((("9",) * 3000),)) is None
