"use strict";
// The report's interactive parts: views by URL hash, the problem list and its filters, a problem's
// view built on demand from its embedded detail (gzip'd JSON in base64), and the Pareto plots' hover.
(() => {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const PACKED = JSON.parse(document.getElementById("report-details").textContent);
  const COLOURS = ["#dbe8ff", "#ffe3c2", "#d9f2dc", "#f7d9f0", "#fff2a8", "#d6f1f5", "#ead9ff", "#f2e0d0"];
  const DECIDED = {
    no_difference: "a draw: no input tells the two programs apart",
    execution: "by execution: on every separating input one side failed",
    judge: "by the judge, shown both programs and their real outputs",
  };
  const state = { run: 0, strategy: null, filter: "all", search: "", problem: null };
  const cache = new Map();

  // ---- small DOM helpers (text goes through textContent: the data is never parsed as HTML)
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false)
      node.append(c instanceof Node ? c : String(c));
    return node;
  }
  const pct = (v, d = 1) => (100 * v).toFixed(d) + "%";
  const pre = (text, cls) => el("pre", { class: cls, text: text });

  // ---- details: inflated on first use
  async function detail(run, id) {
    const key = run + "\u0000" + id;
    if (!cache.has(key)) {
      const b64 = (PACKED[String(run)] || {})[id];
      if (b64 === undefined) throw new Error("no detail for " + id);
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      cache.set(key, new Response(stream).text().then(JSON.parse));
    }
    return cache.get(key);
  }

  // ---- routing: #runs, #problems[/run/strategy/filter], #problem/run/strategy/id, #pareto
  function route() {
    const parts = location.hash.replace(/^#/, "").split("/").map(decodeURIComponent);
    const view = parts[0] || (DATA.runs.length ? "runs" : "pareto");
    if (view === "problems" || view === "problem") {
      if (parts.length > 1) state.run = Math.min(Number(parts[1]) || 0, DATA.runs.length - 1);
      const names = strategyNames();
      if (parts.length > 2 && names.includes(parts[2])) state.strategy = parts[2];
      if (!names.includes(state.strategy)) state.strategy = defaultStrategy(names);
      if (view === "problems" && parts.length > 3) state.filter = parts[3];
      state.problem = view === "problem" ? parts.slice(3).join("/") : state.problem;
      show("problems");
      renderToolbar();
      renderList();
      if (view === "problem") renderProblem();
    } else {
      show(view);
    }
  }
  function show(view) {
    for (const s of document.querySelectorAll("section.view")) s.hidden = s.id !== "view-" + view;
    for (const a of document.querySelectorAll("nav a")) a.classList.toggle("on", a.dataset.view === view);
  }
  const run = () => DATA.runs[state.run];
  const strategyNames = () => run().strategies.map((s) => s.name);
  const defaultStrategy = (names) => names.find((n) => n === "sstar") || names.find((n) => n.startsWith("sstar")) || names[0];
  const problemHash = (id, strategy) => `#problem/${state.run}/${encodeURIComponent(strategy || state.strategy)}/${id.split("/").map(encodeURIComponent).join("/")}`;

  // ---- problem list
  function status(row, strategy) {
    const passed = row.passed[strategy];
    if (passed === undefined) return "none";
    if (passed) return "pass";
    return row.oracle[strategy] === true ? "wrong" : "fail";
  }
  function mark(kind, title) {
    return el("span", { class: "mark " + kind, title: title });
  }
  const MARK_TITLE = { pass: "solved", fail: "failed", wrong: "picked wrong: a correct candidate was there", none: "not run" };
  function keep(row) {
    const s = status(row, state.strategy);
    if (state.search && !row.id.toLowerCase().includes(state.search.toLowerCase())) return false;
    switch (state.filter) {
      case "solved": return s === "pass";
      case "failed": return s === "fail" || s === "wrong";
      case "picked-wrong": return s === "wrong";
      case "no-correct": return s === "fail" && row.oracle[state.strategy] === false;
      default: return true;
    }
  }
  function renderToolbar() {
    document.getElementById("pick-run").value = String(state.run);
    const select = document.getElementById("pick-strategy");
    select.replaceChildren(...strategyNames().map((n) => el("option", { value: n, text: n })));
    select.value = state.strategy;
    for (const b of document.querySelectorAll(".filters button")) b.classList.toggle("on", b.dataset.filter === state.filter);
  }
  function renderList() {
    const names = strategyNames();
    const table = document.getElementById("problem-list");
    table.tHead.replaceChildren(el("tr", {}, el("th", { text: "problem" }),
      ...names.map((n) => el("th", { title: n, class: n === state.strategy ? "on" : null, text: short(n) }))));
    const rows = run().problems.filter(keep);
    table.tBodies[0].replaceChildren(...rows.map((row) => el("tr", {
      "data-problem": row.id, class: row.id === state.problem ? "on" : null,
      onclick: () => { location.hash = problemHash(row.id); },
    }, el("td", { text: row.id }), ...names.map((n) => {
      const s = status(row, n);
      return el("td", { "data-strategy": n, "data-status": s }, mark(s, `${n}: ${MARK_TITLE[s]}`));
    }))));
    document.getElementById("count").textContent = `${rows.length} of ${run().problems.length} problems`;
  }
  const short = (name) => name.replace(/^sstar-(\w)\w*/, "S*$1").replace(/^sstar$/, "S*").replace("majority-vote", "maj").replace("self-debug", "dbg")
    .replace("zero-shot", "0-shot").replace("public-filter", "pub");

  // ---- one problem
  async function renderProblem() {
    const pane = document.getElementById("problem");
    const id = state.problem;
    let d;
    try {
      d = await detail(state.run, id);
    } catch (err) {
      pane.replaceChildren(el("p", { class: "warn", text: `Cannot show ${id}: ${err.message}` }));
      return;
    }
    if (state.problem !== id) return;  // another problem was opened meanwhile
    const pick = d.strategies[state.strategy];
    const names = Object.keys(d.strategies);
    const rows = run().problems.filter(keep);
    const at = rows.findIndex((r) => r.id === id);
    const nav = (k) => rows[k] ? el("a", { href: problemHash(rows[k].id), text: k < at ? "← previous" : "next →" }) : null;
    pane.replaceChildren(
      el("h2", {}, d.id, " ", el("span", { class: "muted", text: d.benchmark })),
      el("p", {}, nav(at - 1), " ", nav(at + 1)),
      el("div", { class: "tabs" }, ...names.map((n) => el("button", {
        class: n === state.strategy ? "on" : null, "data-strategy": n,
        onclick: () => { location.hash = problemHash(id, n); },
      }, mark(status(run().problems.find((r) => r.id === id) || { passed: {}, oracle: {} }, n), ""), " ", n))),
      pick ? verdictBox(d, pick) : el("p", { class: "muted", text: "This strategy did not run on this problem." }),
      statement(d),
      pick && pick.evidence ? evidenceView(d, pick) : pick && pick.cascade ? cascadeView(pick.cascade)
        : pick && pick.trace ? otherTrace(pick) : null,
      pick ? candidatesView(d, pick) : null,
    );
    pane.dataset.shown = `${state.run}/${state.strategy}/${id}`;  // what is on screen, for tests
    for (const tr of document.querySelectorAll("#problem-list tbody tr")) tr.classList.toggle("on", tr.dataset.problem === id);
  }

  function poolOf(d, pick) {
    return d.pools[pick.pool] || d.pools.sampled || Object.values(d.pools)[0] || [];
  }
  function findCandidate(d, pick, cid) {
    for (const lin of poolOf(d, pick)) for (const a of lin) if (a.id === cid) return a;
    return null;
  }
  function hiddenBadge(h) {
    if (!h) return el("span", { class: "badge", text: "not graded" });
    return el("span", { class: "badge " + (h.passed ? "pass" : "fail"), "data-hidden": h.passed ? "pass" : "fail",
      text: h.passed ? `hidden ✓ ${h.total}/${h.total}` : `hidden ✗ ${h.verdict}` + (h.failed_at ? ` on test ${h.failed_at}/${h.total}` : "") });
  }

  function verdictBox(d, pick) {
    const correctInPool = d.correct_in_pool[pick.pool];
    const wrong = !pick.passed && correctInPool === true;
    const winner = pick.winner ? findCandidate(d, pick, pick.winner) : null;
    const good = [];
    for (const lin of poolOf(d, pick)) for (const a of lin) if (a.hidden && a.hidden.passed && !good.includes(a.id)) good.push(a.id);
    const grade = pick.grade;
    const lines = [
      el("p", { "data-testid": "winner" }, el("b", { text: state.strategy }), " picked ",
        el("code", { "data-winner": pick.winner || "", text: pick.winner || "nothing" }),
        winner ? ` (${pick.pool}, round ${winner.round})` : "", ": ",
        el("b", { class: pick.passed ? "pass" : "fail", text: pick.passed ? "correct" : "wrong" }),
        grade ? (grade.passed ? ` on the hidden tests (all ${grade.total} passed).`
          : ` on the hidden tests (${grade.verdict}` + (grade.failed_at ? ` on test ${grade.failed_at} of ${grade.total}).` : ").")) : "."),
      el("p", { "data-testid": "why", text: "Why: " + why(pick) }),
    ];
    if (wrong) lines.push(el("p", { class: "fail", "data-testid": "wrong-pick" }, el("b", { text: "Wrong pick. " }),
      `${good.length} candidate${good.length === 1 ? "" : "s"} of its pool pass${good.length === 1 ? "es" : ""} the hidden tests: `,
      el("code", { text: good.slice(0, 8).join(", ") + (good.length > 8 ? ", …" : "") })));
    else if (!pick.passed && correctInPool === false) lines.push(el("p", { class: "muted", "data-testid": "no-correct",
      text: "No candidate of its pool passes the hidden tests: no selection could have solved it." }));
    if (!pick.passed && grade && grade.failure) lines.push(el("p", { class: "muted", "data-testid": "first-failure" },
      "First failing hidden test: ", grade.failure.input ? [el("code", { text: grade.failure.input }), " "] : null,
      grade.failure.expected ? ["expected ", el("code", { text: grade.failure.expected }), ", "] : null,
      "got ", el("code", { text: outcomeText(grade.failure) || grade.failure.verdict })));
    const cost = pick.cost || {};
    lines.push(el("p", { class: "muted", text: `Cost: ${cost.model_calls || 0} model calls, ` +
      `${(cost.prompt_tokens || 0) + (cost.completion_tokens || 0)} tokens, ${cost.executions || 0} executions, ${(pick.wall_s || 0).toFixed(1)} s.` }));
    return el("div", { class: "verdict " + (pick.passed ? "pass" : "fail") + (wrong ? " wrong-pick" : ""), "data-testid": "verdict" }, ...lines);
  }

  function why(pick) {
    const e = pick.evidence;
    if (!e || !pick.duels) return pick.reason || "(no reason recorded)";
    const n = e.kept.length;
    switch (e.decided_by) {
      case "no_candidates": return "there were no candidates.";
      case "one_kept": return `it was the only candidate with the best public pass rate (${pct(e.public_rate, 0)}).`;
      case "one_group": return `all ${n} candidates kept after the public tests behaved alike on the ${e.inputs.length} generated inputs, so its group's representative won without a duel.`;
      case "tournament": {
        const g = e.winner_group, grp = e.groups[g] || { members: [] };
        const by = {};
        for (const duel of e.duels) if (duel.groups.includes(g)) by[duel.decided_by] = (by[duel.decided_by] || 0) + 1;
        const how = Object.entries(by).map(([k, v]) => `${v} ${k === "no_difference" ? "drawn" : "decided by " + k}`).join(", ");
        return `its group (${grp.members.length} of ${n} kept candidates) won the duels with ${e.points[g]} points (${how}).`;
      }
      case "code_judge": return "no duel decided anything, so the judge picked from the programs alone.";
      case "largest_group": return `no duel decided anything; its group is the largest (${(e.groups[e.winner_group] || { members: [] }).members.length} of ${n}).`;
      case "agreement": return `no duel decided anything; its group's outputs agree most with the other candidates', input by input (size ${(e.groups[e.winner_group] || { members: [] }).members.length} of ${n}).`;
      default: return pick.reason;
    }
  }

  function statement(d) {
    const parts = [el("h3", { text: "Problem" })];
    parts.push(d.statement ? pre(d.statement, "statement") : el("p", { class: "muted", text: "Statement not available (the benchmark could not be loaded when the report was built)." }));
    if (d.public_tests.length) parts.push(el("h4", { text: "Public tests" }), el("ul", {},
      ...d.public_tests.map((t) => el("li", {}, el("code", { text: t.input }), t.expected !== null ? [" → ", el("code", { text: t.expected })] : null))));
    return el("section", {}, ...parts);
  }

  function evidenceView(d, pick) {
    const e = pick.evidence;
    const groupOf = new Map();
    e.groups.forEach((g, i) => g.members.forEach((m) => groupOf.set(m, i)));
    const parts = [el("h3", { text: "Selection evidence" }),
      el("p", { class: "muted", text: `${e.kept.length} candidates kept (best public pass rate ${pct(e.public_rate, 0)}); ` +
        `${e.inputs.length} generated inputs used` + (e.inputs_mutated ? ` (${e.inputs_mutated} mutated public inputs added)` : "") +
        (e.inputs_invalid ? `, ${e.inputs_invalid} unreadable` : "") + (e.inputs_rejected ? `, ${e.inputs_rejected} rejected (no candidate finished on them)` : "") +
        `; ${e.groups.length} group${e.groups.length === 1 ? "" : "s"}, ${e.duels.length} duel${e.duels.length === 1 ? "" : "s"}.` })];
    if (e.behaviour.length && e.inputs.length) parts.push(behaviourTable(d, pick, e, groupOf));
    if (e.groups.length) parts.push(el("h4", { text: "Groups" }), el("table", { class: "groups" },
      el("thead", {}, el("tr", {}, ...["group", "members", "representative", "points"].map((t) => el("th", { text: t })))),
      el("tbody", {}, ...e.groups.map((g, i) => el("tr", { style: `background:${COLOURS[i % COLOURS.length]}`, class: i === e.winner_group ? "won" : null },
        el("td", {}, `G${i}`, i === e.winner_group ? [" ", el("span", { class: "badge winner", text: "won" })] : null),
        el("td", { text: g.members.join(", ") }), el("td", { text: g.representative }),
        el("td", { class: "n", text: e.points.length ? String(e.points[i]) : "–" }))))));
    if (e.duels.length) parts.push(el("h4", { text: "Duels" }), ...e.duels.map((duel) => duelView(d, pick, duel)));
    if (e.code_judgement) parts.push(el("h4", { text: "Judge on the programs alone" }),
      el("p", { text: `points ${e.code_judgement.points.join(", ")}; winner ` + (e.code_judgement.winner_group === null ? "none" : `G${e.code_judgement.winner_group}`) }),
      ...e.code_judgement.duels.map((duel) => duelView(d, pick, duel)));
    if (e.inputs_raw) parts.push(el("details", {}, el("summary", { text: "The model's answer when asked for inputs" }), pre(e.inputs_raw)));
    return el("section", { "data-testid": "evidence" }, ...parts);
  }

  function behaviourTable(d, pick, e, groupOf) {
    const rows = [...e.behaviour].sort((a, b) => (groupOf.get(a.candidate) ?? 99) - (groupOf.get(b.candidate) ?? 99));
    return el("div", {}, el("h4", { text: "Behaviour on the generated inputs" }),
      el("div", { style: "overflow:auto" }, el("table", { class: "behaviour", "data-testid": "behaviour" },
        el("thead", {}, el("tr", {}, el("th", { text: "candidate" }), el("th", { text: "group" }), el("th", { text: "hidden" }),
          ...e.inputs.map((x) => el("th", { title: x }, el("code", { text: x.length > 40 ? x.slice(0, 40) + "…" : x }))))),
        el("tbody", {}, ...rows.map((b) => {
          const g = groupOf.get(b.candidate);
          const c = findCandidate(d, pick, b.candidate);
          return el("tr", { style: g === undefined ? null : `background:${COLOURS[g % COLOURS.length]}`, "data-candidate": b.candidate },
            el("td", {}, b.candidate, b.candidate === pick.winner ? [" ", el("span", { class: "badge winner", text: "picked" })] : null),
            el("td", { text: g === undefined ? "" : `G${g}` }), el("td", {}, c ? hiddenBadge(c.hidden) : ""),
            ...b.outcomes.map((o) => el("td", { class: o.verdict === "ok" ? null : "err", title: o.shown, text: o.shown })));
        })))));
  }

  function duelView(d, pick, duel) {
    const [ga, gb] = duel.groups;
    const ca = findCandidate(d, pick, duel.a), cb = findCandidate(d, pick, duel.b);
    const winner = duel.points[0] > duel.points[1] ? "A" : duel.points[1] > duel.points[0] ? "B" : null;
    const parts = [el("h4", {}, `G${ga} (A: ${duel.a}) vs G${gb} (B: ${duel.b}) — `,
      winner ? el("b", { text: `${winner} wins ${duel.points[0]}:${duel.points[1]}` }) : `draw ${duel.points[0]}:${duel.points[1]}`),
      el("p", { class: "muted" }, "A ", ca ? hiddenBadge(ca.hidden) : "", " · B ", cb ? hiddenBadge(cb.hidden) : "",
        ` · decided ${DECIDED[duel.decided_by] || duel.decided_by}` + (duel.judge ? ` (${duel.judge})` : "") +
        (duel.margin !== null && duel.margin !== undefined ? `; mean log-prob margin A−B ${duel.margin.toFixed(3)}` : "") +
        (duel.levelled ? "; levelled: the judge's lead was too small to make the smaller group win" : ""))];
    if (duel.evidence.length) parts.push(el("table", { class: "separating" },
      el("thead", {}, el("tr", {}, ...["separating input", "A's output", "B's output"].map((t) => el("th", { text: t })))),
      el("tbody", {}, ...duel.evidence.map((s) => el("tr", {}, el("td", {}, el("code", { text: s.input })),
        el("td", {}, el("code", { text: s.a })), el("td", {}, el("code", { text: s.b })))))));
    else if (duel.decided_by === "no_difference") parts.push(el("p", { class: "muted", text: "No separating input was found." }));
    for (const a of duel.answers) parts.push(el("div", { class: "answer" },
      el("p", {}, el("b", { text: `Judge, ${a.swapped ? "programs swapped (its \"A\" is this duel's B)" : "programs in order"}: ` }),
        "vote ", el("b", { text: a.vote || "unreadable" }),
        a.margin !== null && a.margin !== undefined ? ` · margin ${a.margin.toFixed(3)}` : "",
        a.logprobs ? ` · log P(A)=${a.logprobs[0].toFixed(3)}, log P(B)=${a.logprobs[1].toFixed(3)} as shown` : ""),
      pre(a.text || "(empty answer)", "judge-text")));
    if (duel.predictions.length) parts.push(el("table", {}, el("thead", {}, el("tr", {},
      ...["input", "judge predicted", "matches"].map((t) => el("th", { text: t })))),
      el("tbody", {}, ...duel.predictions.map((p) => el("tr", {}, el("td", {}, el("code", { text: p.input })),
        el("td", {}, el("code", { title: p.answer, text: p.predicted === null ? "(unreadable)" : p.predicted })),
        el("td", { text: p.copied ? "no vote (an example's output for another input)" : p.vote || "neither" }))))));
    if (duel.asked) parts.push(el("details", {}, el("summary", { text: `Asked for separating inputs: ${duel.inputs_parsed} read, ${duel.inputs_invalid} unreadable` }), pre(duel.asked)));
    return el("div", { class: "duel", "data-testid": "duel" }, ...parts);
  }

  function cascadeView(c) {
    const pruned = new Map();
    for (const p of c.pruned) pruned.set(p.stage, [...(pruned.get(p.stage) || []), p]);
    return el("section", { "data-testid": "cascade" }, el("h3", {}, "Cascade ", el("code", { text: c.spec })),
      el("table", {}, el("thead", {}, el("tr", {}, ...["stage", "judged", "pruned", "seconds", "pruned candidates (why)"].map((t) => el("th", { text: t })))),
        el("tbody", {}, ...c.stages.map((st) => el("tr", {}, el("td", {}, el("code", { text: st.stage })),
          el("td", { class: "n", text: String(st.judged) }), el("td", { class: "n", text: String(st.pruned) }),
          el("td", { class: "n", text: st.seconds.toFixed(3) }),
          el("td", { text: (pruned.get(st.stage) || []).map((p) => `${p.candidate} (${p.reason})`).join("; ") }))))),
      el("p", { text: "Kept, best first: " + (c.tiers.map((t) => t.join(" = ")).join("  >  ") || "none") }));
  }

  function otherTrace(pick) {
    return el("section", {}, el("h3", { text: "Selection record" }), el("p", { text: pick.reason }),
      el("details", {}, el("summary", { text: "trace" }), pre(JSON.stringify(pick.trace, null, 1))));
  }

  function candidatesView(d, pick) {
    const pool = poolOf(d, pick);
    const parts = [el("h3", { text: `Candidates (${pick.pool || "pool"}: ${pool.length} samples, every debug round)` }),
      el("table", { class: "all-candidates", "data-testid": "candidates" },
        el("thead", {}, el("tr", {}, ...["candidate", "round", "public tests", "hidden tests", ""].map((t) => el("th", { text: t })))),
        el("tbody", {}, ...pool.flat().map((a) => el("tr", { "data-candidate": a.id, class: a.id === pick.winner ? "hl" : null },
          el("td", { text: a.id }), el("td", { class: "n", text: String(a.round) }),
          el("td", { class: "n", text: a.public ? `${a.public.passed}/${a.public.total}` : "–" }),
          el("td", {}, hiddenBadge(a.hidden)),
          el("td", {}, a.id === pick.winner ? el("span", { class: "badge winner", text: "picked" }) : ""))))),
    ];
    pool.forEach((lin) => parts.push(lineageView(lin, pick)));
    return el("section", {}, ...parts);
  }

  function lineageView(lin, pick) {
    const last = lin[lin.length - 1];
    const picked = lin.some((a) => a.id === pick.winner);
    const summary = el("summary", {}, `sample ${lin[0].index}: `,
      lin.map((a) => a.public ? `${a.public.passed}/${a.public.total}` : "–").join(" → "), " public · ",
      hiddenBadge(last.hidden), picked ? [" ", el("span", { class: "badge winner", text: "picked" })] : null);
    const body = el("div", { class: "body" });
    lin.forEach((a, k) => {
      body.append(el("h4", {}, `${a.id} — round ${a.round}${k === 0 ? " (sample)" : " (debug answer)"} `, hiddenBadge(a.hidden)));
      if (k === 0) body.append(pre(a.program, "program"));
      else body.append(a.program === lin[k - 1].program ? el("p", { class: "muted", text: "Same program as the round before." }) : diffView(lin[k - 1].program, a.program));
      if (a.public) body.append(publicTable(a.public));
      if (a.feedback) body.append(el("details", { open: true }, el("summary", { text: "Feedback sent with the debug request" }), pre(a.feedback)));
      body.append(el("details", {}, el("summary", { text: `The model's answer (${a.tokens} tokens)` }), pre(a.raw)));
    });
    return el("details", { class: "cand", open: picked ? true : null, "data-lineage": lin[0].index }, summary, body);
  }

  function publicTable(p) {
    return el("table", { class: "public" }, el("thead", {}, el("tr", {}, el("th", { text: "public test" }), el("th", { text: "result" }))),
      el("tbody", {}, ...p.outcomes.map((o, i) => el("tr", {}, el("td", { text: String(i + 1) }),
        el("td", { class: o.verdict === "passed" ? "pass" : "fail" }, o.verdict, o.output || o.error ? [" ", el("code", { text: outcomeText(o) })] : null)))));
  }
  const outcomeText = (o) => [o.output, o.error].filter(Boolean).join(" · ");

  // line diff (LCS): what a debug round changed
  function diffView(before, after) {
    const a = before.split("\n"), b = after.split("\n");
    const n = a.length, m = b.length;
    const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out = el("pre", { class: "diff", "data-testid": "diff" });
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { out.append(el("span", { class: "same", text: "  " + a[i] })); i++; j++; }
      else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) { out.append(el("span", { class: "add", text: "+ " + b[j] })); j++; }
      else { out.append(el("span", { class: "del", text: "- " + a[i] })); i++; }
    }
    return out;
  }

  // ---- Pareto hover
  function hover() {
    for (const plot of document.querySelectorAll(".plot")) {
      const tip = plot.querySelector(".tip");
      const table = plot.parentElement.querySelector("table.points");
      const showTip = (c) => {
        const d = c.dataset;
        tip.replaceChildren(el("b", { text: d.spec }), el("br"), `Best-of-k ${d.bok}% · ${d.pps} programs/s`, el("br"),
          `${d.speedup}× the reference, ${d.loss} points lost`);
        tip.hidden = false;
        const box = plot.getBoundingClientRect(), at = c.getBoundingClientRect();
        tip.style.left = Math.min(at.left - box.left + 12, box.width - tip.offsetWidth) + "px";
        tip.style.top = (at.top - box.top - tip.offsetHeight - 6) + "px";
        for (const tr of table.tBodies[0].rows) tr.classList.toggle("hl", tr.dataset.n === d.n);
      };
      for (const c of plot.querySelectorAll("circle.point")) {
        c.addEventListener("mouseenter", () => showTip(c));
        c.addEventListener("focus", () => showTip(c));
        c.addEventListener("mouseleave", () => { tip.hidden = true; });
        c.addEventListener("blur", () => { tip.hidden = true; });
      }
    }
  }

  // ---- wiring
  if (DATA.runs.length) {
    document.getElementById("pick-run").addEventListener("change", (ev) => {
      state.run = Number(ev.target.value); state.problem = null;
      location.hash = `#problems/${state.run}`;
    });
    document.getElementById("pick-strategy").addEventListener("change", (ev) => {
      location.hash = state.problem ? problemHash(state.problem, ev.target.value)
        : `#problems/${state.run}/${encodeURIComponent(ev.target.value)}/${state.filter}`;
    });
    for (const b of document.querySelectorAll(".filters button")) b.addEventListener("click", () => {
      state.filter = b.dataset.filter; renderToolbar(); renderList();
    });
    document.getElementById("search").addEventListener("input", (ev) => { state.search = ev.target.value; renderList(); });
  }
  hover();
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.readyMs = performance.now().toFixed(1);  // for bench/html_report.py
})();
