"""Results built from stores: the Markdown and JSON reports and the plots.

Everything here reads what runs stored (run stores, candidate pools, measured frontiers) and runs
programs only to grade them; nothing calls the model, so a report can be rebuilt at any time.

    files      machine(), command_line(), write_json(), markdown_table(), write_results()
    oracle     every generated candidate's hidden-test result: "no correct candidate" vs "picked wrong"
    versus     one strategy against another on the same problems (exact sign test), in words
    debugging  what the debug rounds did to the candidates
    decisions  how S* reached its picks (elimination, agreement, duels and how the judge voted)
    sstar      the S*-against-baselines results of a run store (JSON entry and Markdown)
    pareto     the accuracy-throughput frontier of a pool (JSON, Markdown, PNG, SVG via plot)
    compare    two runs (or two strategies of one run) paired on their common problems
    arms       arms of one experiment against a baseline arm (bench/debug_variants.py)
    html       the self-contained HTML report of runs and Pareto evaluations (`html_data` reads what it
               shows out of a run store; `browser` drives headless Chromium to test and picture it)

The statistics themselves (intervals, sign test, pass@k, Best-of-k, losses) are `codesieve.stats`.
"""
