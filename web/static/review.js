// review.js: the continuity manager's pages. The finished exercises a reviewer or admin token
// may read, one exercise's after-action report, a plan's readiness over time and its proposed
// revision. Every number shown is taken from the server's JSON as is; every text is inserted
// as text. The token stays in sessionStorage and goes only into Authorization headers: the
// downloads are fetched with it and saved from a Blob, never through a URL that carries it.
"use strict";

(() => {
  const { el, $, clear, store, api, ApiError, whoami, say, saveDownload, saveBlob, formatOffset, parseDuration, humanDuration } = ttx;
  const SVG = "http://www.w3.org/2000/svg";

  const ratingNames = {
    P: "performed without challenges",
    S: "performed with some challenges",
    M: "performed with major challenges",
    U: "unable to perform",
  };
  const gapNames = {
    missed: "missed",
    late: "late",
    wrong_owner: "wrong owner",
    out_of_order: "out of order",
    wrong_choice: "wrong choice",
    prompted: "prompted",
    partial: "partial credit",
  };
  const gapStatusNames = { recurred: "recurred", closed: "closed", not_tested: "not tested" };

  const state = {
    token: null,
    source: null, // the sessionStorage key the token came from
    role: null,
    list: null, // GET /api/review/exercises
  };
  const status = $("#status");

  // ---------------------------------------------------------------- token

  function savedToken() {
    const own = store.get("review", null);
    if (own) return { token: own, source: "review" };
    // The landing page keeps the admin token, and a reviewer token pasted there or handed out
    // with a new exercise; the admin's reads every plan, so it goes first.
    const admin = store.get("admin", null);
    if (admin) return { token: admin, source: "admin" };
    // A report's address names its exercise: that exercise's own reviewer token, kept per
    // exercise, so that a newer exercise's never stands in for it.
    const [, view, id] = (location.hash || "#/").split("/").map((p) => decodeURIComponent(p || ""));
    const kept = view === "report" && id ? store.get("tokens." + id, null) : null;
    if (kept && kept.reviewer) return { token: kept.reviewer, source: "reviewer" };
    const reviewer = store.get("reviewer", null);
    if (reviewer && reviewer.token) return { token: reviewer.token, source: "reviewer" };
    return null;
  }

  function showLogin(message) {
    state.token = null;
    for (const v of document.querySelectorAll(".view")) v.hidden = true;
    $("#nav").hidden = true;
    $("#login").hidden = false;
    if (message) say(status, message, "error");
    $("#token").focus();
  }

  $("#token-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = $("#token").value.trim();
    if (!token) return;
    $("#token").value = ""; // a refused token is pasted again, not edited
    say(status, "Checking the token…");
    if (await useToken(token, "review")) {
      store.set("review", token);
      say(status, "");
      route();
    }
  });

  // useToken asks the server who token is and keeps it when it may review.
  async function useToken(token, source) {
    let who;
    try {
      who = await whoami(token);
    } catch (err) {
      if (err.status === 401) store.remove(source);
      showLogin(err.message);
      return false;
    }
    if (who.role !== "reviewer" && who.role !== "admin") {
      showLogin("This is a " + who.role + " token. Reviewing needs the exercise's reviewer token, or the admin token.");
      return false;
    }
    state.token = token;
    state.source = source;
    state.role = who.role;
    $("#login").hidden = true;
    $("#nav").hidden = false;
    $("#who").textContent = who.role === "admin" ? "Admin: every plan" : "Reviewer";
    return true;
  }

  $("#forget").addEventListener("click", () => {
    store.remove("review");
    store.remove("reviewer");
    if (state.source === "admin") store.remove("admin");
    state.list = null;
    showLogin("");
    say(status, "The token is forgotten in this tab.", "ok");
  });

  // call is api() with the token; a 401 sends the reviewer back to the token form.
  async function call(path) {
    try {
      return await api("GET", path, state.token);
    } catch (err) {
      if (err.status === 401) {
        store.remove(state.source);
        showLogin("The server no longer accepts this token: paste it again.");
      }
      throw err;
    }
  }

  // ---------------------------------------------------------------- routing

  // The view is in the URL's fragment (#/report/ID, #/readiness/PLAN, #/revision/PLAN), which
  // names exercises and plans but never carries the token.
  window.addEventListener("hashchange", route);

  async function route() {
    if (!state.token) {
      const saved = savedToken();
      if (!saved) return showLogin("");
      if (!(await useToken(saved.token, saved.source))) return;
    }
    const [, view, arg] = (location.hash || "#/").split("/").map((p) => decodeURIComponent(p || ""));
    for (const v of document.querySelectorAll(".view")) v.hidden = true;
    say(status, "");
    try {
      switch (arg ? view : "") {
        case "report":
          await showReport(arg);
          break;
        case "readiness":
          await showReadiness(arg);
          break;
        case "revision":
          await showRevisionForm(arg);
          break;
        default:
          await showList();
      }
    } catch (err) {
      for (const n of document.querySelectorAll(".loading")) n.remove();
      if (err.status !== 401) say(status, err.message, "error");
    }
  }

  // ---------------------------------------------------------------- helpers

  // modeOf names an exercise's mode (protocol.md v2), from its report or the review list.
  function modeOf(ex) {
    const listed = (state.list || []).find((x) => x.id === ex.id);
    const mode = ex.mode || (listed && listed.mode) || "";
    return mode === "evaluation" ? "Evaluation" : mode === "training" ? "Training" : "—";
  }

  function fmtScore(v) {
    return typeof v === "number" ? v.toFixed(1) : "–";
  }

  function ratingBadge(r, label) {
    if (!r) return el("span", { class: "rating r-none", title: "nothing scored" }, "–");
    return el("span", { class: "rating r-" + r, title: ratingNames[r] || r, "aria-label": (label || "rating") + " " + r + ": " + (ratingNames[r] || r) }, r);
  }

  function wallDate(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function wallTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return wallDate(iso) + " " + String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function section(title, ...children) {
    return el("section", { class: "panel report-section" }, el("h3", {}, title), ...children);
  }

  function scroll(table) {
    return el("div", { class: "scroll" }, table);
  }

  function table(head, rows, cls) {
    return scroll(el("table", { class: "grid " + (cls || "") },
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
  }

  function exerciseHref(id) {
    return "#/report/" + encodeURIComponent(id);
  }

  // ---------------------------------------------------------------- downloads

  // download fetches path with the reviewer's token and saves the answer (common.js).
  function download(path, fallback, button) {
    return saveDownload(path, state.token, fallback, button, status);
  }

  // ---------------------------------------------------------------- the list

  async function loadList() {
    if (!state.list) state.list = await reviewList();
    return state.list;
  }

  // The review list comes in pages (limit, offset; the API's default page is 100): the page
  // filters it here, so it reads every page, a thousand at a time.
  async function reviewList() {
    const all = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await call("/api/review/exercises?limit=1000&offset=" + offset);
      all.push(...page);
      if (page.length < 1000) return all;
    }
  }

  async function showList() {
    $("#view-list").hidden = false;
    const list = await loadList();
    const select = $("#f-plan");
    const chosen = select.value;
    clear(select).append(el("option", { value: "" }, "Every plan"));
    const plans = [...new Set(list.map((x) => x.plan))].sort();
    for (const p of plans) {
      const title = (list.find((x) => x.plan === p) || {}).plan_title;
      select.append(el("option", { value: p }, title ? title + " (" + p + ")" : p));
    }
    select.value = plans.includes(chosen) ? chosen : "";
    if (plans.length === 1) select.value = plans[0];
    renderList();
  }

  function startedOn(x) {
    return wallDate(x.started_at || x.created_at);
  }

  function renderList() {
    const list = state.list || [];
    const plan = $("#f-plan").value;
    const from = $("#f-from").value;
    const to = $("#f-to").value;
    const shown = list.filter((x) => {
      const day = startedOn(x);
      return (!plan || x.plan === plan) && (!from || day >= from) && (!to || day <= to);
    });
    const body = clear($("#exercises tbody"));
    for (const x of shown) {
      body.append(el("tr", { dataset: { id: x.id, plan: x.plan } },
        el("td", { class: "date" }, startedOn(x)),
        el("td", {}, el("a", { href: exerciseHref(x.id) }, x.scenario_title || x.scenario),
          el("div", { class: "meta" }, x.scenario + " · " + x.id + (x.mode ? " · " + x.mode + " mode" : ""))),
        el("td", {}, x.plan, x.plan_version ? el("span", { class: "meta" }, " v" + x.plan_version) : null),
        el("td", { class: "num score" }, fmtScore(x.overall)),
        el("td", {}, ratingBadge(x.rating, "overall rating")),
        el("td", { class: "num" }, String(x.gaps)),
        el("td", {}, el("a", { href: exerciseHref(x.id), class: "button small" }, "Report"))));
    }
    if (shown.length === 0) {
      body.append(el("tr", {}, el("td", { colspan: "7", class: "hint" },
        list.length === 0 ? "No exercise this token may review has finished yet." : "No finished exercise matches these filters.")));
    }
    $("#list-count").textContent = shown.length + " of " + list.length + " finished exercise" + (list.length === 1 ? "" : "s") + " shown.";

    const links = clear($("#plan-links"));
    const plans = plan ? [plan] : [...new Set(list.map((x) => x.plan))].sort();
    for (const p of plans) {
      links.append(el("p", { class: "plan-link" }, el("strong", {}, p), ": ",
        el("a", { href: "#/readiness/" + encodeURIComponent(p) }, "readiness over time"), " · ",
        el("a", { href: "#/revision/" + encodeURIComponent(p) }, "propose the next version of the plan")));
    }
  }

  $("#f-plan").addEventListener("change", renderList);
  for (const id of ["#f-from", "#f-to"]) {
    $(id).addEventListener("change", () => {
      pressQuick(null);
      renderList();
    });
  }

  // pressQuick marks which quick date range is in force, if any.
  function pressQuick(button) {
    for (const b of document.querySelectorAll(".filter.quick button")) b.setAttribute("aria-pressed", String(b === button));
  }
  $("#filters").addEventListener("submit", (e) => e.preventDefault());

  function isoDay(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function setDates(from, to, button) {
    $("#f-from").value = from ? isoDay(from) : "";
    $("#f-to").value = to ? isoDay(to) : "";
    pressQuick(button);
    renderList();
  }

  $("#q-last-quarter").addEventListener("click", (e) => {
    const now = new Date();
    const q = Math.floor(now.getMonth() / 3); // this quarter, 0-3
    const start = new Date(now.getFullYear(), (q - 1) * 3, 1); // months < 0 roll back a year
    const end = new Date(now.getFullYear(), q * 3, 0); // the day before this quarter
    setDates(start, end, e.currentTarget);
  });
  $("#q-this-quarter").addEventListener("click", (e) => {
    const now = new Date();
    const q = Math.floor(now.getMonth() / 3);
    setDates(new Date(now.getFullYear(), q * 3, 1), new Date(now.getFullYear(), q * 3 + 3, 0), e.currentTarget);
  });
  $("#q-year").addEventListener("click", (e) => {
    const now = new Date();
    setDates(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1), now, e.currentTarget);
  });
  $("#q-all").addEventListener("click", (e) => setDates(null, null, e.currentTarget));
  pressQuick($("#q-all"));

  // ---------------------------------------------------------------- charts

  // serverChart shows a chart the server drew (scoring's ScoreChart and ReadinessChart; the
  // page draws none of its own): fetched with the
  // token, parsed as SVG and placed in the page, so that its points keep their data-
  // attributes. The server escapes every text it draws; a parsed document runs no script,
  // and any script element is dropped all the same.
  async function serverChart(path) {
    const box = el("div", { class: "scroll" });
    try {
      const response = await fetch(path, { headers: { Authorization: "Bearer " + state.token }, cache: "no-store" });
      if (!response.ok) throw new Error("status " + response.status);
      const root = new DOMParser().parseFromString(await response.text(), "image/svg+xml").documentElement;
      if (root.namespaceURI !== SVG || root.localName !== "svg") throw new Error("not an SVG");
      for (const bad of root.querySelectorAll("script, foreignObject")) bad.remove();
      box.append(document.importNode(root, true));
    } catch (_) {
      box.append(el("p", { class: "status error" }, "The chart could not be loaded."));
    }
    return box;
  }

  // timelineChart shows the server's drawing of the simulated clock as an image: fetched with
  // the token, shown from a data: URL, so it is inert whatever it holds.
  async function timelineChart(id) {
    const figure = el("figure", { class: "timeline-chart" },
      el("figcaption", { class: "meta" }, "The simulated clock: injects, severity steps, and for each item when it was triggered, its deadline (and the late band up to twice the deadline), and when it was done, coloured by credit."));
    try {
      const response = await fetch("/api/exercises/" + encodeURIComponent(id) + "/charts/timeline", {
        headers: { Authorization: "Bearer " + state.token }, cache: "no-store",
      });
      if (!response.ok) throw new Error("status " + response.status);
      const text = await response.text();
      const img = el("img", { alt: "Timeline chart of the exercise on the simulated clock", class: "chart-img" });
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
      figure.prepend(el("div", { class: "scroll" }, img));
    } catch (_) {
      figure.prepend(el("p", { class: "status error" }, "The timeline chart could not be loaded."));
    }
    return figure;
  }

  // ---------------------------------------------------------------- the report

  async function showReport(id) {
    const view = $("#view-report");
    const root = clear($("#report"));
    view.hidden = false;
    root.append(el("p", { class: "hint loading" }, "Loading the report…"));
    const r = await call("/api/exercises/" + encodeURIComponent(id) + "/report?format=json");
    if (!state.list) {
      try {
        state.list = await reviewList();
      } catch (err) {
        state.list = null; // the mode then comes from the report alone
      }
    }
    clear(root);
    const ex = r.exercise;
    $("#report-title").textContent = "After-action report: " + (ex.scenario_title || ex.scenario);
    document.title = "ttx: " + (ex.scenario_title || ex.scenario) + " – after-action report";
    const bySeq = new Map((r.timeline || []).map((t) => [t.seq, t]));
    const teamTitle = new Map((ex.teams || []).map((t) => [t.name, t.title || t.name]));

    // Summary
    const overall = r.score.overall;
    const overallRating = r.ratings.overall;
    root.append(el("section", { class: "panel summary", "aria-label": "Summary" },
      el("div", { class: "overall" },
        el("div", { class: "overall-score", "data-value": fmtScore(overall) }, fmtScore(overall)),
        ratingBadge(overallRating, "overall rating"),
        el("div", { class: "meta" }, overallRating ? ratingNames[overallRating] : "nothing was scored")),
      el("dl", { class: "facts" },
        el("dt", {}, "Scenario"), el("dd", {}, (ex.scenario_title || ex.scenario) + " (" + ex.scenario + ")"),
        el("dt", {}, "Plan"), el("dd", {}, (ex.plan_title || ex.plan) + " (" + ex.plan + ")" + (ex.plan_version ? ", version " + ex.plan_version : "")),
        el("dt", {}, "Exercise"), el("dd", {}, ex.id + (ex.status === "ended" || ex.status === "closed" ? "" : " (still in progress)")),
        el("dt", {}, "Mode"), el("dd", { class: "mode" }, modeOf(ex)),
        el("dt", {}, "Started"), el("dd", {}, wallTime(ex.started_at) || "not started"),
        el("dt", {}, "Ended"), el("dd", {}, wallTime(ex.ended_at) || "not ended"),
        el("dt", {}, "Simulated time"), el("dd", {}, humanDuration(parseDuration(ex.elapsed)) + " of " + humanDuration(parseDuration(ex.duration)) + " planned"),
        el("dt", {}, "Teams"), el("dd", {}, (ex.teams || []).map((t) => t.title || t.name).join(", "))),
      ex.summary ? el("p", { class: "scenario-summary" }, ex.summary) : null));

    // Downloads
    const base = "/api/exercises/" + encodeURIComponent(ex.id) + "/report?download=1&format=";
    const stem = "ttx-" + ex.scenario + "-" + ex.id;
    const dl = (label, format, fallback) => {
      const b = el("button", { type: "button", class: "download", dataset: { format } }, label);
      b.addEventListener("click", () => download(base + format, stem + fallback, b));
      return b;
    };
    const printButton = el("button", { type: "button" }, "Print or save as PDF");
    printButton.addEventListener("click", () => window.print());
    root.append(el("div", { class: "downloads no-print", role: "group", "aria-label": "Download the report" },
      dl("HTML (prints to PDF)", "html", "-report.html"),
      dl("Word (AAR/IP)", "docx", "-report.docx"),
      dl("Markdown", "md", "-report.md"),
      dl("JSON", "json", "-report.json"),
      dl("CSV: items", "csv", "-items.csv"),
      dl("CSV: timeline", "csv-timeline", "-timeline.csv"),
      printButton));

    // Scores
    const chartPath = (kind) => "/api/exercises/" + encodeURIComponent(ex.id) + "/charts/" + kind;
    const charts = el("div", { class: "charts" },
      ...(await Promise.all(["capability", "team", "phase"].map((kind) => serverChart(chartPath(kind))))));
    root.append(section("Scores", charts,
      el("p", { class: "hint" }, "Weighted means of the credits of the scored items, ×100. A group with no scored item is left out.")));

    root.append(section("Timeline", await timelineChart(ex.id)));

    const evidence = (seqs) => {
      const list = (seqs || []).map((s) => bySeq.get(s)).filter(Boolean);
      if (list.length === 0) return null;
      return el("ul", { class: "evidence" }, list.map((t) =>
        el("li", { dataset: { seq: t.seq } }, el("span", { class: "when" }, "#" + t.seq + " " + formatOffset(t.t)), " ", t.summary)));
    };

    // Strengths
    root.append(section("Strengths",
      (r.strengths || []).length === 0 ? el("p", { class: "hint" }, "No item was done exactly as the plan expects.") :
        el("ul", { class: "findings" }, r.strengths.map((s) =>
          el("li", { class: "strength" },
            el("strong", {}, s.item), " · ", teamTitle.get(s.team) || s.team, s.capability ? " · " + s.capability : "",
            el("p", {}, s.detail), evidence(s.evidence))))));

    // Areas for improvement
    root.append(section("Areas for improvement",
      (r.gaps || []).length === 0 ? el("p", { class: "hint" }, "No gap: every scored item was done as the plan expects.") :
        el("ul", { class: "findings" }, r.gaps.map((g) =>
          el("li", { class: "gap", dataset: { item: g.item, kind: g.kind } },
            el("span", { class: "gap-kind k-" + g.kind }, gapNames[g.kind] || g.kind), " ",
            el("strong", {}, g.item), " · ", teamTitle.get(g.team) || g.team, g.capability ? " · " + g.capability : "",
            el("p", {}, g.detail), evidence(g.evidence))))));

    // Improvement plan
    root.append(section("Improvement plan",
      (r.improvement_plan || []).length === 0 ? el("p", { class: "hint" }, "Nothing to correct.") :
        table(["Capability", "Area for improvement", "Corrective action", "Element", "Responsible", "Due"],
          r.improvement_plan.map((c) => el("tr", {},
            el("td", {}, c.capability || ""), el("td", {}, c.area), el("td", {}, c.action),
            el("td", {}, c.element), el("td", {}, teamTitle.get(c.responsible) || c.responsible),
            el("td", { class: c.due ? "" : "hint" }, c.due || "to set"))), "plan-table")));

    // Observations and notes
    const observations = (r.observations || []).map((o) =>
      el("li", { class: "observation" }, el("span", { class: "when" }, formatOffset(o.t)), " ",
        o.rating ? ratingBadge(o.rating, "observation rating") : null, " ",
        o.capability ? el("span", { class: "meta" }, o.capability + ": ") : null, o.text));
    const notes = (r.notes || []).map((n) =>
      el("li", { class: "note-line" }, el("span", { class: "when" }, formatOffset(n.t)), " ",
        el("strong", {}, teamTitle.get(n.team) || n.team), n.name ? " (" + n.name + ")" : "", ": ", n.text));
    root.append(section("Observations and notes",
      el("div", { class: "two" },
        el("div", {}, el("h4", {}, "Facilitator observations"),
          observations.length ? el("ul", { class: "plain" }, observations) : el("p", { class: "hint" }, "No observation recorded.")),
        el("div", {}, el("h4", {}, "Team notes"),
          notes.length ? el("ul", { class: "plain" }, notes) : el("p", { class: "hint" }, "No note written.")))));

    // Items, not in play, open
    root.append(section("Items",
      table(["Item", "Team", "Capability", "Triggered", "Deadline", "Done", "By or answer", "Credit", "Weight", "Gaps"],
        (r.items || []).map((it) => el("tr", { dataset: { item: it.id } },
          el("td", {}, it.id, it.kind === "decision" ? el("span", { class: "meta" }, " (decision)") : null),
          el("td", {}, it.team), el("td", {}, it.capability || ""),
          el("td", { class: "when" }, formatOffset(it.triggered_at)),
          el("td", { class: "when" }, it.deadline ? formatOffset(it.deadline) : ""),
          el("td", { class: "when" }, it.done_at ? formatOffset(it.done_at) : ""),
          el("td", {}, it.kind === "decision"
            ? (it.answer ? it.answer + (it.expected && it.answer !== it.expected ? " (expected " + it.expected + ")" : "") : "no answer")
            : it.by || ""),
          el("td", { class: "num" }, it.credit === null || it.credit === undefined ? "open" : String(it.credit)),
          el("td", { class: "num" }, String(it.weight)),
          el("td", {}, (it.gaps || []).map((g) => gapNames[g] || g).join(", "))))),
      el("div", { class: "two" },
        el("div", {}, el("h4", {}, "Not in play"),
          (r.not_in_play || []).length ? el("ul", { class: "plain", id: "not-in-play" }, r.not_in_play.map((n) => el("li", {}, n)))
            : el("p", { class: "hint" }, "Every action of the plan was triggered.")),
        el("div", {}, el("h4", {}, "Open"),
          (r.open || []).length ? el("ul", { class: "plain", id: "open-items" }, r.open.map((n) => el("li", {}, n)))
            : el("p", { class: "hint" }, "No item was left open."))),
      el("p", { class: "hint" }, "Not in play: never triggered, so not scored. Open: not done, and the exercise ended before its deadline. Neither counts as success.")));

    // The log
    root.append(section("Event log",
      el("details", { class: "log-details" }, el("summary", {}, "Every event of the exercise (" + (r.timeline || []).length + ")"),
        table(["#", "Simulated", "Wall", "Kind", "What"], (r.timeline || []).map((t) => el("tr", {},
          el("td", { class: "num" }, String(t.seq)), el("td", { class: "when" }, formatOffset(t.t)),
          el("td", { class: "when" }, wallTime(t.wall)), el("td", {}, t.kind), el("td", {}, t.summary)))))));

    root.append(el("p", { class: "no-print" },
      el("a", { href: "#/readiness/" + encodeURIComponent(ex.plan) }, "Readiness of " + ex.plan + " over time"), " · ",
      el("a", { href: "#/revision/" + encodeURIComponent(ex.plan) }, "Propose the next version of the plan")));
    $("#report-title").focus();
  }

  // ---------------------------------------------------------------- readiness

  async function showReadiness(plan) {
    const view = $("#view-readiness");
    const root = clear($("#readiness"));
    view.hidden = false;
    $("#readiness-title").textContent = "Readiness of " + plan;
    root.append(el("p", { class: "hint loading" }, "Loading…"));
    const path = "/api/plans/" + encodeURIComponent(plan) + "/readiness";
    const [trend, chart] = await Promise.all([call(path), serverChart(path + "?format=svg")]);
    clear(root);
    const left = trend.left_out || {};
    const leftOut = [left.rehearsals ? left.rehearsals + " rehearsal" + (left.rehearsals === 1 ? "" : "s") : "",
      left.training ? left.training + " training exercise" + (left.training === 1 ? "" : "s") : ""].filter(Boolean);
    root.append(section("Scores over time", el("div", { class: "charts" }, chart),
      el("p", { class: "hint left-out" }, "Readiness counts live exercises played in evaluation mode" +
        (leftOut.length ? "; left out: " + leftOut.join(" and ") + "." : ".")),
      el("p", { class: "hint" }, "Overall large, each capability below it on the same axes, per finished exercise, oldest on the left. The dashed lines are the lower edges of the M, S and P bands.")));

    const caps = trend.capabilities;
    const rows = trend.exercises.map((p, i) => {
      const prev = i > 0 ? trend.exercises[i - 1] : null;
      const delta = (v, before) => {
        if (typeof v !== "number" || typeof before !== "number") return null;
        const d = Math.round((v - before) * 10) / 10;
        if (d < 0) return el("span", { class: "delta fell", title: "fell by " + (-d).toFixed(1) }, " ▼" + (-d).toFixed(1));
        if (d > 0) return el("span", { class: "delta rose", title: "rose by " + d.toFixed(1) }, " ▲" + d.toFixed(1));
        return null;
      };
      return el("tr", { dataset: { id: p.id } },
        el("td", { class: "date" }, wallDate(p.started_at)),
        el("td", {}, el("a", { href: exerciseHref(p.id) }, p.scenario_title || p.scenario), el("div", { class: "meta" }, p.id)),
        el("td", {}, p.plan_version || ""),
        el("td", { class: "num score", "data-value": fmtScore(p.overall) }, fmtScore(p.overall), delta(p.overall, prev && prev.overall)),
        el("td", {}, ratingBadge(p.rating, "overall rating")),
        caps.map((c) => el("td", { class: "num", "data-capability": c },
          typeof p.by_capability[c] === "number" ? fmtScore(p.by_capability[c]) : "–",
          delta(p.by_capability[c], prev && prev.by_capability[c]))),
        el("td", { class: "num" }, String(p.gaps)));
    });
    root.append(section("By exercise",
      table(["Started", "Scenario", "Plan version", "Overall", "Rating", ...caps, "Gaps"], rows, "trend-table"),
      el("p", { class: "hint" }, "▼ marks where readiness fell since the exercise before, ▲ where it rose.")));

    const gapBlocks = trend.exercises.filter((p) => p.previous_gaps && p.previous_gaps.length).map((p) => {
      const i = trend.exercises.indexOf(p);
      const prev = trend.exercises[i - 1];
      return el("div", { class: "gap-changes", dataset: { id: p.id } },
        el("h4", {}, "Gaps of " + (wallDate(prev.started_at) || prev.id) + " (" + prev.id + ") in " + (wallDate(p.started_at) || p.id) + " (" + p.id + ")"),
        table(["Item", "Team", "Gap", "Now"], p.previous_gaps.map((g) => el("tr", { dataset: { item: g.item, kind: g.kind, status: g.status } },
          el("td", {}, g.item), el("td", {}, g.team), el("td", {}, gapNames[g.kind] || g.kind),
          el("td", {}, el("span", { class: "gap-status s-" + g.status }, gapStatusNames[g.status] || g.status))))));
    });
    root.append(section("Did the gaps close?",
      gapBlocks.length ? gapBlocks : el("p", { class: "hint" }, trend.exercises.length < 2
        ? "One finished exercise so far: the next one shows which of its gaps recurred or closed."
        : "The earlier exercises had no gap."),
      el("p", { class: "hint" }, "Recurred: the same gap on the same item and team. Closed: scored without it. Not tested: not scored in the next exercise, so nothing is known.")));
    root.append(el("p", { class: "no-print" }, el("a", { href: "#/revision/" + encodeURIComponent(plan) }, "Propose the next version of " + plan)));
    $("#readiness-title").focus();
  }

  // ---------------------------------------------------------------- revision

  async function showRevisionForm(plan) {
    const view = $("#view-revision");
    view.hidden = false;
    view.dataset.plan = plan;
    $("#revision-title").textContent = "Next version of " + plan;
    clear($("#revision"));
    const list = (await loadList()).filter((x) => x.plan === plan).slice().reverse(); // oldest first
    const box = clear($("#revision-exercises"));
    if (list.length === 0) {
      box.append(el("p", { class: "hint" }, "No finished exercise of this plan yet."));
      return;
    }
    for (const x of list) {
      const id = "rx-" + x.id;
      box.append(el("div", { class: "option" },
        el("input", { type: "checkbox", id, value: x.id, checked: true }),
        el("label", { for: id }, startedOn(x) + " · " + (x.scenario_title || x.scenario) + " · v" + (x.plan_version || "?") + " · " + fmtScore(x.overall) + " ",
          ratingBadge(x.rating), el("span", { class: "meta" }, " " + x.id))));
    }
    await proposeRevision();
    $("#revision-title").focus();
  }

  $("#revision-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await proposeRevision();
    } catch (err) {
      for (const n of document.querySelectorAll(".loading")) n.remove();
      if (err.status !== 401) say(status, err.message, "error");
    }
  });

  async function proposeRevision() {
    const plan = $("#view-revision").dataset.plan;
    const ids = Array.from(document.querySelectorAll("#revision-exercises input:checked"), (i) => i.value);
    const root = clear($("#revision"));
    if (ids.length === 0) {
      root.append(el("p", { class: "status error" }, "Choose at least one exercise."));
      return;
    }
    root.append(el("p", { class: "hint loading" }, "Working out the revision…"));
    const rv = await call("/api/plans/" + encodeURIComponent(plan) + "/revision?exercises=" + ids.map(encodeURIComponent).join(","));
    clear(root);
    const base = (rv.file || "plan.hcl").split("/").pop();
    const save = el("button", { type: "button", class: "primary", id: "download-hcl" }, "Download the revised " + base);
    save.addEventListener("click", () => {
      saveBlob(new Blob([rv.revised], { type: "text/plain;charset=utf-8" }), base);
      say(status, "Downloaded " + base + " (version " + rv.version_to + ").", "ok");
    });
    root.append(el("section", { class: "panel revision-summary" },
      el("p", {}, rv.changed
        ? "Version " + rv.version_from + " → " + rv.version_to + " of " + rv.file + ", from " + rv.exercises.length + " exercise" + (rv.exercises.length === 1 ? "" : "s") + ": " + rv.changes.length + " change" + (rv.changes.length === 1 ? "" : "s") + "."
        : "No change to version " + rv.version_from + " follows from these exercises."),
      rv.changed ? el("div", { class: "no-print" }, save) : null));

    if (rv.changes.length) {
      root.append(section("Changes and their evidence", el("ol", { class: "changes" }, rv.changes.map((c) =>
        el("li", { class: "change", dataset: { action: c.action || "", attribute: c.attribute } },
          el("p", {}, el("strong", {}, c.action ? "action " + c.action + ", " + c.attribute : c.attribute), ": ",
            el("code", { class: "old" }, c.old || "(none)"), " → ", el("code", { class: "new" }, c.new)),
          el("p", { class: "reason" }, c.reason),
          (c.evidence || []).length ? evidenceTable(c.evidence) : null)))));
    }
    if (rv.recommendations.length) {
      root.append(section("Corrective actions instead of edits", el("ul", { class: "findings" }, rv.recommendations.map((r) =>
        el("li", { class: "recommendation", dataset: { action: r.action, rule: r.rule } },
          el("span", { class: "gap-kind k-" + r.rule }, gapNames[r.rule] || r.rule), " ", el("strong", {}, r.action),
          el("span", { class: "meta" }, " · " + r.element), el("p", {}, r.text),
          r.why ? el("p", { class: "why meta" }, r.why) : null, evidenceTable(r.evidence))))));
    }
    if (rv.diff) root.append(section("Diff", diffView(rv.diff)));
  }

  function evidenceTable(ev) {
    const started = new Map((state.list || []).map((x) => [x.id, startedOn(x)]));
    return table(["Exercise", "Triggered", "Done", "By", "Gaps"], (ev || []).map((e) => el("tr", {},
      el("td", {}, started.get(e.exercise) ? started.get(e.exercise) + " " : "", el("a", { href: exerciseHref(e.exercise) }, e.exercise)),
      el("td", { class: "when" }, formatOffset(e.triggered_at)),
      el("td", { class: "when" }, e.done_at ? formatOffset(e.done_at) : "not done"),
      el("td", {}, e.by || ""),
      el("td", {}, (e.gaps || []).map((g) => gapNames[g] || g).join(", ")))), "evidence-table");
  }

  // diffView shows a unified diff line by line, added and removed lines marked (and not by
  // colour alone: the + and - stay).
  function diffView(diff) {
    const pre = el("pre", { class: "diff", id: "diff" });
    const lines = diff.replace(/\n$/, "").split("\n");
    for (const line of lines) {
      let cls = "ctx";
      if (line.startsWith("+++") || line.startsWith("---")) cls = "head";
      else if (line.startsWith("@@")) cls = "hunk";
      else if (line.startsWith("+")) cls = "add";
      else if (line.startsWith("-")) cls = "del";
      pre.append(el("span", { class: "dl " + cls }, line), "\n");
    }
    return scroll(pre);
  }

  // Printing opens the folded parts so the paper holds everything.
  window.addEventListener("beforeprint", () => {
    for (const d of document.querySelectorAll("details")) d.open = true;
  });

  route();
})();
