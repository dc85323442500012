// evaluator.js: the evaluator's page (protocol.md v2, "Evaluators"). The Exercise Evaluation
// Guide comes from GET /api/exercises/:id/eeg (polled, and fetched again after each live
// event), the exercise's status from GET /api/exercises/:id, every team's feed and the
// controllers' notes from the evaluator's WebSocket. The token lives in sessionStorage and
// travels in headers only. Every tab is one evaluator: an exercise has as many as it likes.
"use strict";

(() => {
  const { el, $, clear, store, api, onToken, showMode, saveDownload, say, parseDuration, formatClock, formatOffset, channelLabel,
    showStatus, titleOf, capabilityTitle, showConn, liveSocket, simClock, clockChange } = ttx;

  const POLL_MS = 3000;
  const STATUS_TEXT = { waiting: "waiting", pending: "pending", done: "done", late: "late", missed: "missed", not_played: "not played" };

  const state = {
    auth: store.get("evaluator", null), // {token, exercise}
    ex: null,
    teams: {}, // name -> {name, title}
    actions: {},
    decisions: {}, // name -> the decision as put, for its options' labels
    questions: {}, // id -> text
    capabilities: [], // [{name, title}] in the guide's order
    clock: simClock(),
    lastSeq: 0,
    welcomeSeq: 0,
    seen: new Set(),
    pollTimer: null,
    refreshTimer: null,
    loading: false,
    closed: false,
  };

  // ---- the token ----

  function showToken(message) {
    $("#desk").hidden = true;
    $("#token-box").hidden = false;
    say($("#token-status"), message || "", message ? "error" : "");
    $("#token").focus();
  }

  onToken($("#token-status"), (token, who) => {
    if (who.role !== "evaluator" || !who.exercise) {
      say($("#token-status"), "This is a " + who.role + " token: this page needs the exercise's evaluator token" +
        (who.role === "facilitator" ? " (the facilitator observes from the console)." : "."), "error");
      return;
    }
    $("#token").value = "";
    state.auth = { token, exercise: who.exercise };
    store.set("evaluator", state.auth);
    open();
  });

  $("#forget").addEventListener("click", () => {
    live.stop();
    clearTimeout(state.pollTimer);
    store.remove("evaluator");
    location.assign("/");
  });

  function open() {
    $("#token-box").hidden = true;
    $("#desk").hidden = false;
    refresh();
    live.start();
  }

  function path(suffix) {
    return "/api/exercises/" + encodeURIComponent(state.auth.exercise) + (suffix || "");
  }

  function teamTitle(name) {
    return titleOf(state.teams, name);
  }

  // ---- the exercise and its guide over HTTP ----

  async function refresh() {
    clearTimeout(state.pollTimer);
    if (state.loading) {
      state.pollTimer = setTimeout(refresh, 200);
      return;
    }
    state.loading = true;
    try {
      const [ex, eeg] = await Promise.all([api("GET", path(), state.auth.token), api("GET", path("/eeg"), state.auth.token)]);
      showExercise(ex);
      showGuide(eeg);
      if ($("#api-status").dataset.poll === "yes") say($("#api-status"), "");
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        live.stop();
        store.remove("evaluator");
        showToken(err.message);
        state.loading = false;
        return;
      }
      say($("#api-status"), err.message, "error");
      $("#api-status").dataset.poll = "yes";
    }
    state.loading = false;
    state.pollTimer = setTimeout(refresh, POLL_MS);
  }

  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 250);
  }

  function showExercise(ex) {
    state.ex = ex;
    for (const t of ex.teams || []) state.teams[t.name] = Object.assign({}, state.teams[t.name], t);
    document.title = "ttx evaluator: " + (ex.title || ex.id);
    $("#ex-title").textContent = "Evaluator · " + (ex.title || ex.scenario || ex.id);
    setClock(parseDuration(ex.sim_time), ex.speed, ex.status);
    showMode(ex.mode);
    fillTeams(ex.teams_in_play || (ex.teams || []).map((t) => t.name));
  }

  // fillTeams offers the teams in play in the observation form and the feed filter, once.
  function fillTeams(names) {
    for (const select of [$("#obs-team"), $("#feed-team")]) {
      if (select.options.length > 1) continue;
      for (const name of names) select.append(el("option", { value: name }, teamTitle(name)));
    }
  }

  function setClock(simSeconds, speed, status) {
    if (status && state.closed) status = "closed";
    state.clock.set(simSeconds, speed, status);
    if (status) {
      showStatus($("#status"), status, "not started");
      $("#ended").hidden = status !== "ended";
      $("#closed").hidden = status !== "closed";
      $("#observation button[type=submit]").disabled = status === "closed";
    }
    tick();
  }

  function tick() {
    $("#clock").textContent = formatClock(state.clock.now());
  }
  setInterval(tick, 500);

  // showGuide draws the EEG: objectives, their capabilities, each capability's critical tasks
  // with their live status, the evaluators' ratings and the observations so far.
  function showGuide(eeg) {
    const box = clear($("#eeg"));
    const caps = [];
    for (const o of eeg.objectives || []) {
      const section = el("section", { class: "eeg-objective", "data-objective": o.name || "" },
        el("h3", {}, o.title || o.name,
          o.score !== null && o.score !== undefined ? el("span", { class: "meta" }, " score " + o.score.toFixed(1)) : null,
          o.rating ? el("span", { class: "badge rating rating-" + o.rating, title: "Automatic rating of the objective" }, o.rating) : null));
      for (const c of o.capabilities || []) {
        caps.push({ name: c.name, title: c.title });
        section.append(capabilityBlock(c));
      }
      box.append(section);
    }
    $("#eeg-empty").hidden = caps.length > 0;
    fillCapabilities(caps);
  }

  function capabilityBlock(c) {
    const observe = el("button", { type: "button", class: "observe", "data-capability": c.name }, "Observe");
    observe.addEventListener("click", () => {
      $("#obs-capability").value = c.name;
      $("#obs-text").focus();
    });
    const ev = c.evaluators;
    const tasks = el("ul", { class: "tasks" });
    for (const t of c.tasks || []) {
      const when = [];
      if (t.done_at) when.push((t.status === "missed" ? "defaulted at " : "at ") + formatOffset(t.done_at) + (t.by && t.by !== t.team ? " by " + teamTitle(t.by) : ""));
      if (t.deadline && !t.done_at) when.push("by " + formatOffset(t.deadline));
      if (t.answer) when.push("answered " + optionLabel(t.id, t.answer));
      tasks.append(el("li", { class: "task", "data-task": t.kind + ":" + t.id + ":" + t.team, "data-status": t.status },
        el("span", { class: "badge task-st task-" + t.status }, STATUS_TEXT[t.status] || t.status),
        el("span", { class: "task-title" }, t.title || t.id, t.critical ? el("span", { class: "critical", title: "A critical step of the plan" }, " (critical)") : null),
        el("span", { class: "meta task-meta" }, [teamTitle(t.team), t.kind === "decision" ? "decision" : "", ...when].filter(Boolean).join(" · "))));
    }
    if (!(c.tasks || []).length) tasks.append(el("li", { class: "hint" }, "No task of the teams in play."));
    const observations = el("ul", { class: "eeg-observations" });
    for (const o of c.observations || []) {
      observations.append(el("li", { "data-seq": o.seq },
        el("span", { class: "badge rating rating-" + o.rating }, o.rating),
        " ", el("span", { class: "meta" }, formatOffset(o.t) + (o.team ? " · " + teamTitle(o.team) : "") + (o.by ? " · " + o.by : "")),
        " ", el("span", { class: "quote" }, o.text)));
    }
    return el("div", { class: "eeg-capability", "data-capability": c.name },
      el("h4", {}, c.title || c.name,
        el("span", { class: "ratings-side" },
          el("span", { class: "meta" }, "automatic "), c.automatic ? el("span", { class: "badge rating rating-" + c.automatic }, c.automatic) : el("span", { class: "meta" }, "—"),
          el("span", { class: "meta" }, " · evaluators "),
          ev ? el("span", { class: "badge rating rating-" + ev.median, title: ev.P + " P, " + ev.S + " S, " + ev.M + " M, " + ev.U + " U" }, ev.median) : el("span", { class: "meta" }, "—"),
          ev ? el("span", { class: "meta evaluator-counts" }, " (" + ev.P + " P · " + ev.S + " S · " + ev.M + " M · " + ev.U + " U)") : null,
          ev && ev.disagreement ? el("strong", { class: "disagreement" }, " disagreement") : null),
        observe),
      tasks,
      (c.observations || []).length ? observations : null);
  }

  function optionLabel(decision, option) {
    const d = state.decisions[decision];
    const o = d && (d.options || []).find((x) => x.key === option || x.name === option);
    return o ? (o.label || o.text || option) : option;
  }

  // fillCapabilities offers the guide's capabilities in the form, keeping the one chosen.
  function fillCapabilities(caps) {
    const key = caps.map((c) => c.name).join(",");
    if (key === state.capabilities.map((c) => c.name).join(",")) return;
    state.capabilities = caps;
    const select = $("#obs-capability");
    const chosen = select.value;
    clear(select).append(el("option", { value: "" }, "(none)"));
    for (const c of caps) select.append(el("option", { value: c.name }, c.title || c.name));
    select.value = caps.some((c) => c.name === chosen) ? chosen : "";
  }

  // ---- observations ----

  $("#observation").addEventListener("submit", async (e) => {
    e.preventDefault();
    const rating = document.querySelector("input[name=rating]:checked");
    const status = $("#obs-status");
    const body = {
      text: $("#obs-text").value.trim(),
      capability: $("#obs-capability").value,
      team: $("#obs-team").value,
      rating: rating ? rating.value : "",
    };
    say(status, "sending…");
    try {
      await api("POST", path("/observations"), state.auth.token, body);
      say(status, "Observation recorded" + (body.capability ? " under " + $("#obs-capability").selectedOptions[0].textContent : "") + ".", "ok");
      $("#obs-text").value = "";
      if (rating) rating.checked = false;
    } catch (err) {
      say(status, err.message, "error");
    }
    refreshSoon();
  });

  // ---- the report so far ----

  // The downloads are fetched with the token in a header and saved from a Blob, never
  // through a URL that carries the token.
  document.querySelectorAll("button[data-report]").forEach((b) => b.addEventListener("click", () => {
    const [format, table] = b.dataset.report.split("-");
    const query = "?download=1&format=" + format + (table ? "&table=" + table : "");
    return saveDownload(path("/report" + query), state.auth.token, "ttx-report." + format, b, $("#report-status"));
  }));

  // ---- the feeds over the WebSocket ----

  const live = liveSocket(() => ({ type: "hello", token: state.auth.token, exercise: state.auth.exercise, since: state.lastSeq }), receive);

  function receive(msg) {
    if (msg.type === "welcome") {
      live.welcome();
      state.welcomeSeq = msg.seq || 0;
      showConn("live", "ok");
      if (msg.plan) {
        for (const t of msg.plan.teams || []) state.teams[t.name] = Object.assign({}, state.teams[t.name], t);
        for (const a of msg.plan.actions || []) state.actions[a.name] = a;
      }
    } else if (msg.type === "event") {
      showEvent(msg);
    } else if (msg.type === "error") {
      say($("#api-status"), msg.error, "error");
      $("#api-status").dataset.poll = "";
      if (!live.welcomed) {
        live.stop();
        showConn("offline", "bad");
      }
    }
  }

  // teamsOf are the teams an event concerns, for the feed's filter.
  function teamsOf(msg) {
    const teams = new Set();
    if (msg.team) teams.add(msg.team);
    if (msg.to) teams.add(msg.to);
    for (const t of (msg.inject && msg.inject.to) || []) teams.add(t);
    return Array.from(teams);
  }

  function showEvent(msg) {
    if (state.seen.has(msg.seq)) return;
    state.seen.add(msg.seq);
    if (msg.seq > state.lastSeq) state.lastSeq = msg.seq;
    const i = msg.inject || {};
    if (msg.kind === "inject_delivered" && i.decision) state.decisions[i.decision.name] = i.decision;
    for (const q of i.questions || (msg.module && msg.module.questions) || []) state.questions[q.id] = q.text;
    if (msg.kind === "exercise_closed") state.closed = true;
    if (msg.kind === "inject_delivered" && i.notes) showNotes(msg);
    const teams = teamsOf(msg);
    const item = el("li", { class: "log-item k-" + msg.kind, "data-seq": msg.seq, "data-kind": msg.kind, "data-teams": " " + teams.join(" ") + " " },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, msg.kind.replace(/_/g, " ")),
      el("span", { class: "log-text" }, ...describe(msg)));
    filterItem(item);
    $("#feed").prepend(item);
    if (msg.seq > state.welcomeSeq) {
      const change = clockChange(msg);
      if (change) setClock(...change);
      refreshSoon();
    }
  }

  function showNotes(msg) {
    $("#notes-empty").hidden = true;
    const i = msg.inject;
    $("#notes").prepend(el("li", { class: "log-item", "data-inject": i.name },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, (i.to || []).map(teamTitle).join(", ")),
      el("span", { class: "log-text" }, el("strong", {}, i.subject || i.name), el("span", { class: "block notes" }, i.notes))));
  }

  function filterItem(item) {
    const team = $("#feed-team").value;
    item.hidden = team !== "" && !item.dataset.teams.includes(" " + team + " ");
  }

  $("#feed-team").addEventListener("change", () => {
    for (const item of document.querySelectorAll("#feed .log-item")) filterItem(item);
  });

  function by(msg) {
    return [el("strong", {}, teamTitle(msg.team)), msg.name ? " (" + msg.name + ")" : ""];
  }

  function describe(msg) {
    const i = msg.inject || {};
    switch (msg.kind) {
      case "inject_delivered":
        return [channelLabel(i.channel), " to ", (i.to || []).map(teamTitle).join(", "), ": ", el("strong", {}, i.subject || i.name || ""),
          i.notes ? el("span", { class: "meta block notes" }, "Controllers' notes: " + i.notes) : null];
      case "action_triggered":
        return [titleOf(state.actions, msg.action), " for ", teamTitle(msg.team), msg.deadline ? ", by " + formatOffset(msg.deadline) : ""];
      case "action_recorded":
        return [...by(msg), " recorded ", el("strong", {}, titleOf(state.actions, msg.action))];
      case "decision_answered":
        return [...by(msg), " answered ", el("strong", {}, optionLabel(msg.decision, msg.option))];
      case "decision_defaulted":
        return [el("strong", {}, teamTitle(msg.team)), " did not answer in time: ", el("strong", {}, optionLabel(msg.decision, msg.option))];
      case "escalation":
        return [...by(msg), " → ", el("strong", {}, teamTitle(msg.to)), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "note":
        return [...by(msg), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "answer_recorded":
        return [...by(msg), " answered ", el("q", {}, state.questions[msg.question] || msg.question || ""), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "observation":
        return [el("span", { class: "badge rating rating-" + msg.rating }, msg.rating || "?"), " ", msg.by ? msg.by + " " : "",
          msg.team ? "on " + teamTitle(msg.team) + " " : "", msg.capability ? "(" + capabilityTitle(msg.capability) + "): " : ": ",
          el("span", { class: "quote" }, msg.text || "")];
      case "module_started":
        return [el("strong", {}, (msg.module && (msg.module.title || msg.module.name)) || "")];
      case "severity_changed":
        return [(msg.severity && (msg.severity.title || msg.severity.name)) || ""];
      case "clock":
        return [msg.clock || "", msg.clock === "speed" ? " " + msg.speed + "×" : ""];
      case "team_joined":
      case "team_marked_played":
        return [el("strong", {}, teamTitle(msg.team))];
      case "feedback_recorded":
        return [...by(msg), " sent the feedback form"];
      case "inject_skipped":
      case "inject_held":
      case "inject_released":
        return [i.name || "", msg.reason ? ": " + msg.reason : ""];
      default:
        return [msg.reason || ""];
    }
  }

  // ---- start ----

  if (state.auth && state.auth.token && state.auth.exercise) open();
  else showToken("");
})();
