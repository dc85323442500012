// console.js: the facilitator console. The exercise's state comes from GET /api/exercises/:id
// (polled, and fetched again after each command and each live event); the live log comes
// from the facilitator's WebSocket. Every command is an HTTP call whose error is shown as the
// server's own sentence.
"use strict";

(() => {
  const { el, $, clear, store, api, onToken, showMode, saveDownload, say, parseDuration, formatClock, formatOffset, humanDuration, severityClass, secret, channels, channelLabel,
    showSeverity, showStatus, titleOf, capabilityTitle, showConn, liveSocket, simClock, clockChange, spokenDuration, agoText } = ttx;

  const POLL_MS = 3000;
  const RESPONSES = new Set(["action_recorded", "decision_answered", "escalation", "note", "answer_recorded", "feedback_recorded"]);

  // The console runs the exercise its address names (/console?exercise=ID) with the token
  // this tab keeps for it: its facilitator token, else the admin token, which runs any.
  // Tokens are kept per exercise, so that creating another never loses this one's.
  const wanted = new URLSearchParams(location.search).get("exercise");

  function authFor(id) {
    const tokens = store.get("tokens." + id, null);
    if (tokens && tokens.facilitator) return { token: tokens.facilitator, exercise: id };
    const admin = store.get("admin", null);
    if (admin) return { token: admin, exercise: id, admin: true };
    return null;
  }

  const state = {
    auth: wanted ? authFor(wanted) : store.get("facilitator", null), // {token, exercise, admin}
    ex: null, // the last GET /api/exercises/:id
    plan: null,
    teams: {}, // name -> {name, title, tier}
    actions: {}, // name -> {title}
    severities: {},
    decisions: {}, // name -> {name, prompt, options}, from the injects that put them
    clock: simClock(),
    lastSeq: 0,
    welcomeSeq: 0,
    seen: new Set(),
    pollTimer: null,
    refreshTimer: null,
    loading: false,
    pollError: "", // the last polling error shown, cleared by the next success
    adhocBuilt: false,
    questions: {}, // question id -> text, from the modules and injects that put them
    joined: new Set(), // teams with a participant (team_joined)
    played: new Set(), // teams the facilitator marked played
    closed: false, // the hot wash is over
  };

  // ---- the token ----

  function showToken(message) {
    $("#desk").hidden = true;
    $("#token-box").hidden = false;
    say($("#token-status"), message || "", message ? "error" : "");
    $("#token").focus();
  }

  onToken($("#token-status"), (token, who) => {
    if (who.role === "admin" && wanted) {
      $("#token").value = "";
      store.set("admin", token);
      state.auth = { token, exercise: wanted, admin: true };
      open();
      return;
    }
    if (who.role !== "facilitator" || !who.exercise) {
      say($("#token-status"), who.role === "admin"
        ? "This is the admin token: choose an exercise from the list on the home page and open its console there."
        : "This is a " + who.role + " token: the console needs the exercise's facilitator token.", "error");
      return;
    }
    $("#token").value = "";
    state.auth = { token, exercise: who.exercise };
    store.set("tokens." + who.exercise, Object.assign({}, store.get("tokens." + who.exercise, {}), { facilitator: token }));
    store.set("facilitator", state.auth);
    open();
  });

  $("#forget").addEventListener("click", () => {
    stopLive();
    clearTimeout(state.pollTimer);
    const saved = store.get("tokens." + state.auth.exercise, null);
    if (saved) store.set("tokens." + state.auth.exercise, Object.assign({}, saved, { facilitator: undefined }));
    const last = store.get("facilitator", null);
    if (last && last.exercise === state.auth.exercise) store.remove("facilitator");
    location.assign("/");
  });

  function open() {
    $("#token-box").hidden = true;
    $("#desk").hidden = false;
    showCodes();
    refresh();
    live.start();
  }

  // showCodes shows the join codes again, from the server, which keeps them, with the link
  // to the printable handout.
  async function showCodes() {
    let codes;
    try {
      codes = await api("GET", path("/codes"), state.auth.token);
    } catch (_) {
      return; // the poll says what is wrong with the connection or the token
    }
    const list = clear($("#codes"));
    for (const t of codes.teams || []) {
      list.append(el("li", {}, secret((t.title || t.team) + (t.external ? " (external, for control)" : ""), t.code, "code")));
    }
    $("#join-page").textContent = codes.join_page || location.origin + "/";
    $("#handout-link").href = "/handout?exercise=" + encodeURIComponent(state.auth.exercise);
    $("#codes-box").hidden = false;
  }

  // ---- the exercise state over HTTP ----

  function path(suffix) {
    return "/api/exercises/" + encodeURIComponent(state.auth.exercise) + (suffix || "");
  }

  // The MSEL downloads: fetched with the token in a header and saved from a Blob, never
  // through a URL that carries the token.
  document.querySelectorAll("button[data-msel]").forEach((b) => b.addEventListener("click", () =>
    saveDownload(path("/msel?format=" + b.dataset.msel), state.auth.token, "ttx-msel." + b.dataset.msel, b, $("#msel-status"))));

  async function refresh() {
    clearTimeout(state.pollTimer);
    if (state.loading) {
      state.pollTimer = setTimeout(refresh, 200);
      return;
    }
    state.loading = true;
    try {
      const ex = await api("GET", path(), state.auth.token);
      render(ex);
      if (state.pollError && $("#api-status").textContent === state.pollError) say($("#api-status"), "");
      state.pollError = "";
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        stopLive();
        store.remove("facilitator");
        showToken(err.message);
        state.loading = false;
        return;
      }
      state.pollError = err.message;
      say($("#api-status"), err.message, "error");
    }
    state.loading = false;
    state.pollTimer = setTimeout(refresh, POLL_MS);
  }

  // refreshSoon coalesces the refreshes asked for by a burst of live events.
  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 250);
  }

  function render(ex) {
    state.ex = ex;
    document.dispatchEvent(new CustomEvent("ttx:exercise", { detail: ex })); // console-modules.js
    for (const t of ex.teams || []) state.teams[t.name] = t;
    document.title = "ttx console: " + (ex.title || ex.id);
    $("#ex-title").textContent = ex.title || ex.scenario || ex.id;
    setClock(parseDuration(ex.sim_time), ex.speed, ex.status);
    $("#duration").textContent = ex.duration ? " of " + humanDuration(parseDuration(ex.duration)) : "";
    const sev = state.severities[ex.severity] || { name: ex.severity, title: ex.severity, level: ex.severity_level };
    setSeverity({ name: sev.name, title: sev.title || ex.severity, level: ex.severity_level || sev.level });
    if (document.activeElement !== $("#speed")) $("#speed").value = ex.speed;
    $("#speed-now").textContent = "speed " + ex.speed + "×";
    showMode(ex.mode);
    showRestart(ex);
    renderUpcoming(ex.upcoming || []);
    renderProgress(ex.progress || {});
    if (!$("#msel-panel").hidden) loadMSEL();
    buildAdhoc(ex.teams || []);
  }

  // showRestart says when the server, not the facilitator, paused the exercise.
  function showRestart(ex) {
    const byServer = ex.status === "paused" && (ex.pause_reason === "server restarted" || ex.pause_reason === "server stopped");
    $("#restart").hidden = !byServer;
    if (byServer) $("#restart-text").textContent = "The server restarted; the exercise is paused at " + formatOffset(ex.sim_time) + ". ";
  }

  function teamTitle(name) {
    return titleOf(state.teams, name);
  }

  function actionTitle(name) {
    return titleOf(state.actions, name);
  }

  function renderUpcoming(upcoming) {
    const body = clear($("#upcoming"));
    $("#upcoming-empty").hidden = upcoming.length > 0;
    $("#upcoming-table").hidden = upcoming.length === 0;
    for (const u of upcoming) {
      const due = parseDuration(u.due);
      const dueText = isFinite(due) ? formatClock(due) : u.after ? "after " + u.after : "—";
      const holdButton = el("button", { type: "button", "data-inject": u.name, class: "hold" }, u.held ? "Release" : "Hold");
      holdButton.addEventListener("click", () => command("/injects/" + encodeURIComponent(u.name) + "/hold", { held: !u.held }, holdButton));
      const sendButton = el("button", { type: "button", "data-inject": u.name, class: "trigger" }, "Send now");
      sendButton.addEventListener("click", () => command("/injects/" + encodeURIComponent(u.name) + "/trigger", undefined, sendButton));
      if (!state.ex || state.ex.status !== "running" && state.ex.status !== "paused") {
        for (const b of [sendButton, holdButton]) {
          b.disabled = true;
          b.title = state.ex && (state.ex.status === "ended" || state.ex.status === "closed") ? "The exercise has ended." : "Start the exercise first.";
        }
      }
      body.append(el("tr", { class: u.held ? "held" : "", "data-inject": u.name },
        el("td", { class: "due" }, dueText, isFinite(due) && u.after ? el("span", { class: "meta" }, " after " + u.after) : null),
        el("td", { class: "what" },
          el("strong", {}, u.subject || u.name),
          u.held ? el("span", { class: "badge held-badge" }, "held") : null,
          el("span", { class: "meta block" }, "To " + (u.to || []).map(teamTitle).join(", ")),
          el("span", { class: "meta block" }, u.name)),
        el("td", { class: "cmds" }, sendButton, holdButton)));
    }
  }

  // renderProgress draws the team grid: for each team who is connected now and when each
  // was last active, its open decisions, its actions done, pending, overdue and done late (the
  // facilitator sees due states in every mode), and the plan actions triggered for it.
  function renderProgress(progress) {
    const box = clear($("#progress"));
    const room = {};
    for (const r of (state.ex && state.ex.room) || []) room[r.team] = r;
    const order = (state.ex && state.ex.teams ? state.ex.teams.map((t) => t.name) : []).concat(Object.keys(progress));
    const done = new Set();
    for (const team of order) {
      if (done.has(team)) continue;
      done.add(team);
      const r = room[team] || { people: [], open_decisions: [], done: 0, pending: 0, overdue: 0, late: 0 };
      const items = progress[team] || [];
      const list = el("ul", { class: "progress-list" });
      for (const p of items) {
        state.actions[p.action] = state.actions[p.action] || { title: p.title };
        const late = p.state === "done" && parseDuration(p.done_at) > parseDuration(p.deadline);
        list.append(el("li", { class: "pg pg-" + p.state, "data-action": p.action },
          el("span", { class: "badge st st-" + p.state }, p.state),
          el("span", { class: "pg-title" }, p.title || p.action),
          el("span", { class: "meta pg-meta" }, [
            p.state === "done" && p.done_at ? "done at " + formatOffset(p.done_at) : "",
            late ? spokenDuration(parseDuration(p.done_at) - parseDuration(p.deadline)) + " late" : "",
            p.state === "overdue" ? spokenDuration(state.clock.now() - parseDuration(p.deadline)) + " overdue" : "",
            p.state === "done" && p.by && p.by !== team ? "by " + teamTitle(p.by) + " (not the owner)" : "",
            p.deadline ? "due by " + formatOffset(p.deadline) : "",
          ].filter(Boolean).join(" · "))));
      }
      if (!items.length) list.append(el("li", { class: "hint" }, "No plan actions due yet."));
      const inPlay = !state.ex || !state.ex.teams_in_play || state.ex.teams_in_play.includes(team);
      const played = state.played.has(team) || r.marked_played;
      const joined = state.joined.has(team) || r.joined;
      const mark = el("button", { type: "button", class: "mark-played", "data-team": team, disabled: played || state.closed || null,
        title: played ? "The report counts this team as played." : state.closed ? "The exercise is closed." : null },
        played ? "Marked played" : "Mark played");
      mark.addEventListener("click", () => command("/teams/" + encodeURIComponent(team) + "/played", undefined, mark));
      const people = r.people || [];
      const here = people.length
        ? el("ul", { class: "people" }, ...people.map((p) => el("li", { class: "person", "data-name": p.name },
          el("span", { class: "person-name" }, p.name),
          p.connections > 1 ? el("span", { class: "meta" }, " ×" + p.connections) : null,
          el("span", { class: "meta person-active", "data-since": p.last_activity }, " · active " + agoText(p.last_activity)))))
        : el("p", { class: "nobody" }, joined ? "Nobody connected now." : "Nobody has joined this team.");
      const opened = (r.open_decisions || []).length;
      box.append(el("div", { class: "team-progress" + (people.length ? " present" : " empty") + (inPlay ? "" : " not-in-play"), "data-team": team, "data-people": people.length },
        el("h3", {}, el("span", { class: "team-title" }, teamTitle(team)), " ",
          inPlay ? null : el("span", { class: "badge" }, "not in play"),
          joined ? el("span", { class: "badge joined-badge" }, "joined") : null,
          played ? el("span", { class: "badge played-badge" }, "played") : null,
          el("span", { class: "cmd-group" }, mark)),
        el("p", { class: "team-counts" },
          el("span", { class: "count people-count" }, people.length === 1 ? "1 person here" : people.length + " people here"),
          el("span", { class: "count" + (opened ? " warn" : "") }, opened + (opened === 1 ? " decision open" : " decisions open")),
          el("span", { class: "count" }, r.done + " done"),
          el("span", { class: "count" }, r.pending + " pending"),
          el("span", { class: "count" + (r.overdue ? " bad" : "") }, r.overdue + " overdue"),
          el("span", { class: "count" + (r.late ? " warn" : "") }, r.late + " late")),
        here,
        list));
    }
  }

  // The people's "active … ago" reads on between polls.
  setInterval(() => {
    for (const node of document.querySelectorAll(".person-active[data-since]")) node.textContent = " · active " + agoText(node.dataset.since);
  }, 1000);

  function buildAdhoc(teams) {
    if (state.adhocBuilt || !teams.length) return;
    state.adhocBuilt = true;
    const box = clear($("#adhoc-teams"));
    for (const t of teams) {
      const id = "adhoc-team-" + t.name;
      box.append(el("div", { class: "option" },
        el("input", { type: "checkbox", id, value: t.name }),
        el("label", { for: id }, t.title || t.name)));
    }
    const select = clear($("#adhoc-channel"));
    for (const c of channels) select.append(el("option", { value: c }, channelLabel(c)));
  }

  // ---- the MSEL tab: every inject and where it stands ----

  for (const tab of document.querySelectorAll("[role=tab][data-tab]")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }

  function showTab(name) {
    for (const tab of document.querySelectorAll("[role=tab][data-tab]")) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    }
    if (name === "msel") loadMSEL();
  }

  const STATE_WORDS = { delivered: "delivered", skipped: "skipped", held: "held", upcoming: "upcoming", not_reached: "not reached" };

  let mselLoading = false;
  let mselShown = ""; // what the tab shows, so that a poll that changes nothing keeps its errors and inputs
  async function loadMSEL() {
    if (mselLoading) return;
    mselLoading = true;
    try {
      const injects = await api("GET", path("/injects"), state.auth.token);
      const key = JSON.stringify(injects) + (state.ex && state.ex.status);
      if (key === mselShown) return;
      mselShown = key;
      renderMSEL(injects);
    } catch (err) {
      say($("#msel-tab-status"), err.message, "error");
    } finally {
      mselLoading = false;
    }
  }

  // whenWords says when an inject comes due, as the scenario has it.
  function whenWords(i) {
    let words;
    if (i.has_at) words = "at " + formatOffset(i.written_at);
    else {
      const what = i.after_kind === "decision" ? "decision " + i.after + " is settled"
        : i.after_kind === "action" ? (actionTitle(i.after) || i.after) + " is first recorded"
          : "inject " + i.after + " is delivered";
      const delay = parseDuration(i.delay);
      words = (isFinite(delay) && delay > 0 ? spokenDuration(delay) + " after " : "when ") + what;
    }
    if (i.condition) words += ", only if " + conditionWords(i.condition);
    return "When: " + words;
  }

  // conditionWords reads the usual forms of a `when` condition (language.md) in words; what
  // it does not know stays as written.
  function conditionWords(expr) {
    return expr
      .replace(/!\s*action\.(\w+)\.done/g, (_, a) => actionTitle(a) + " is not done")
      .replace(/action\.(\w+)\.done/g, (_, a) => actionTitle(a) + " is done")
      .replace(/action\.(\w+)\.on_time/g, (_, a) => actionTitle(a) + " was done on time")
      .replace(/decision\.(\w+)\.choice\s*==\s*"([^"]*)"/g, (_, d, o) => "decision " + d + " was answered " + o)
      .replace(/decision\.(\w+)\.choice\s*!=\s*"([^"]*)"/g, (_, d, o) => "decision " + d + " was not answered " + o)
      .replace(/severity\.level\s*>=\s*(\d+)/g, "severity is at level $1 or above")
      .replace(/elapsed\s*>=\s*(\d+)/g, (_, n) => formatClock(Number(n)) + " has passed")
      .replace(/\s*&&\s*/g, " and ")
      .replace(/\s*\|\|\s*/g, " or ");
  }

  // rescheduleForm gives an upcoming inject a new due time, typed as on the clock: "1:30"
  // or "1:30:00" (T+), or "90m".
  function rescheduleForm(i, running, at) {
    const id = "resched-" + i.name.replace(/[^A-Za-z0-9_-]/g, "_");
    const input = el("input", { id, class: "resched-at", inputmode: "numeric", placeholder: "h:mm", size: "6",
      value: isFinite(at) ? formatClock(at).slice(2) : "", disabled: state.ex && (state.ex.status === "ended" || state.ex.status === "closed") || null });
    const button = el("button", { type: "submit", class: "reschedule" }, "Reschedule");
    const form = el("form", { class: "reschedule-form", "data-inject": i.name },
      el("label", { for: id }, "New due time T+"), input, button);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const due = dueFromClock(input.value.trim());
      command("/injects/" + encodeURIComponent(i.name) + "/reschedule", { due }, button).then((ok) => ok && loadMSEL());
    });
    return form;
  }

  // dueFromClock turns "1:30", "1:30:15" or a Go duration into a Go duration for the server,
  // which says what it accepts when it cannot read it.
  function dueFromClock(text) {
    const m = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
    if (!m) return text;
    return m[1] + "h" + m[2] + "m" + (m[3] || "0") + "s";
  }

  function renderMSEL(injects) {
    const body = clear($("#msel-rows"));
    const running = state.ex && (state.ex.status === "running" || state.ex.status === "paused");
    for (const i of injects) {
      const at = parseDuration(i.at);
      const stateText = STATE_WORDS[i.state] || i.state;
      const when = i.state === "delivered" ? "delivered at " + formatClock(at)
        : i.state === "skipped" ? "skipped at " + formatClock(at) + (i.reason ? " (" + i.reason + ")" : "")
          : isFinite(at) ? "due at " + formatClock(at) : "";
      const cmds = el("td", { class: "cmds" });
      if (i.state === "upcoming" || i.state === "held") {
        const send = el("button", { type: "button", class: "trigger", "data-inject": i.name, disabled: !running || null, title: running ? null : "Start the exercise first." }, "Send now");
        send.addEventListener("click", () => command("/injects/" + encodeURIComponent(i.name) + "/trigger", undefined, send).then(loadMSEL));
        const hold = el("button", { type: "button", class: "hold", "data-inject": i.name, disabled: !running || null, title: running ? null : "Start the exercise first." }, i.state === "held" ? "Release" : "Hold");
        hold.addEventListener("click", () => command("/injects/" + encodeURIComponent(i.name) + "/hold", { held: i.state !== "held" }, hold).then(loadMSEL));
        cmds.append(send, hold, rescheduleForm(i, running, at));
      }
      const expects = [];
      if ((i.triggers || []).length) expects.push("starts " + i.triggers.map(actionTitle).join(", "));
      if ((i.prompts || []).length) expects.push("asks for " + i.prompts.map(actionTitle).join(", "));
      if (i.decision) expects.push("decision: " + i.decision + (i.expected ? " (expected: " + i.expected + ")" : ""));
      body.append(el("tr", { class: "msel-row ms-" + i.state, "data-inject": i.name, "data-state": i.state },
        el("td", { class: "ms-state" }, el("span", { class: "badge ms-badge ms-" + i.state }, stateText), when ? el("span", { class: "meta block" }, when) : null),
        el("td", { class: "ms-what" },
          el("strong", {}, i.subject || i.name),
          el("span", { class: "meta block" }, channelLabel(i.channel) + " to " + (i.to || []).map(teamTitle).join(", ")),
          el("span", { class: "meta block ms-when" }, whenWords(i)),
          i.preview ? el("span", { class: "block ms-preview" }, i.preview) : null),
        el("td", { class: "ms-expects" }, expects.length ? expects.join("; ") : el("span", { class: "hint" }, "nothing"),
          i.notes ? el("span", { class: "block notes" }, "Notes: " + i.notes) : null),
        cmds));
    }
  }

  // ---- commands ----

  // command runs a command; its error shows beside the control that sent it.
  async function command(suffix, body, button) {
    if (button) button.disabled = true;
    const where = statusBeside(button);
    say(where, "");
    try {
      await api("POST", path(suffix), state.auth.token, body === undefined ? {} : body);
      return true;
    } catch (err) {
      say(where, err.message, "error");
      return false;
    } finally {
      if (button) button.disabled = false;
      refresh();
    }
  }

  // statusBeside is the status line beside a control: that of its group (.cmd-group, a
  // form, a table row), made on first use; the page's own without a control.
  function statusBeside(control) {
    if (!control) return $("#api-status");
    const group = control.closest(".cmd-group, form, td, .buttons") || control.parentElement;
    let node = group.querySelector(":scope > .cmd-status");
    if (!node) {
      node = el("p", { class: "status cmd-status", role: "alert", hidden: true });
      group.append(node);
    }
    return node;
  }

  for (const button of document.querySelectorAll("button[data-cmd]")) {
    const cmd = button.dataset.cmd;
    button.addEventListener("click", () => {
      if (cmd === "end" && button.dataset.armed !== "yes") {
        // Two steps instead of a modal confirm(): ending cannot be undone.
        button.dataset.armed = "yes";
        button.textContent = "Really end the exercise?";
        setTimeout(() => {
          button.dataset.armed = "";
          button.textContent = "End exercise";
        }, 5000);
        return;
      }
      if (cmd === "end") {
        button.dataset.armed = "";
        button.textContent = "End exercise";
      }
      command("/" + cmd, undefined, button);
    });
  }

  $("#speed-form").addEventListener("submit", (e) => {
    e.preventDefault();
    // The server's sentence says what it accepts; an empty field goes as null, which it
    // refuses with that sentence too.
    const speed = parseFloat($("#speed").value);
    command("/speed", { speed: Number.isNaN(speed) ? null : speed }, e.submitter);
  });

  $("#adhoc").addEventListener("submit", async (e) => {
    e.preventDefault();
    const to = Array.from(document.querySelectorAll("#adhoc-teams input:checked"), (i) => i.value);
    const status = $("#adhoc-status");
    if (!to.length) {
      say(status, "Choose at least one team to send the inject to.", "error");
      return;
    }
    const body = {
      to,
      channel: $("#adhoc-channel").value,
      from: $("#adhoc-from").value.trim(),
      subject: $("#adhoc-subject").value.trim(),
      body: $("#adhoc-body").value,
    };
    say(status, "sending…");
    try {
      await api("POST", path("/injects"), state.auth.token, body);
      say(status, "Sent to " + to.map(teamTitle).join(", ") + ".", "ok");
      $("#adhoc-subject").value = "";
      $("#adhoc-body").value = "";
    } catch (err) {
      say(status, err.message, "error");
    }
    refresh();
  });

  $("#observation").addEventListener("submit", async (e) => {
    e.preventDefault();
    const rating = document.querySelector("input[name=rating]:checked");
    const status = $("#obs-status");
    const body = {
      text: $("#obs-text").value.trim(),
      capability: $("#obs-capability").value.trim(),
      rating: rating ? rating.value : "",
    };
    say(status, "sending…");
    try {
      await api("POST", path("/observations"), state.auth.token, body);
      say(status, "Observation recorded.", "ok");
      $("#obs-text").value = "";
      if (rating) rating.checked = false;
    } catch (err) {
      say(status, err.message, "error");
    }
  });

  $("#responses-only").addEventListener("change", (e) => {
    $("#log").classList.toggle("responses-only", e.target.checked);
  });

  // ---- clock, severity, status ----

  function setClock(simSeconds, speed, status) {
    // Once the close has been seen, the exercise stays closed whatever a poll says.
    if (status && state.closed) status = "closed";
    state.clock.set(simSeconds, speed, status);
    if (status) {
      showStatus($("#status"), status, "not started");
      const started = status === "running" || status === "paused" || status === "ended" || status === "closed";
      const over = status === "ended" || status === "closed";
      const why = {
        start: started ? "The exercise has already started." : "",
        pause: status === "running" ? "" : over ? "The exercise has ended." : status === "paused" ? "The clock is already paused." : "The exercise has not started yet.",
        resume: status === "paused" ? "" : over ? "The exercise has ended." : status === "running" ? "The clock is already running." : "The exercise has not started yet: start it.",
        advance: status === "running" || status === "paused" ? "" : over ? "The exercise has ended." : "The exercise has not started yet.",
        end: over ? "The exercise has already ended." : "",
      };
      for (const [cmd, reason] of Object.entries(why)) {
        const button = $("#cmd-" + cmd);
        button.disabled = !!reason;
        if (reason) button.title = reason;
        else button.removeAttribute("title");
      }
      $("#ended").hidden = status !== "ended";
      $("#closed").hidden = status !== "closed";
      $("#cmd-close").hidden = status !== "ended";
    }
    tick();
  }

  function setSeverity(sev) {
    showSeverity($("#severity"), sev);
  }

  function tick() {
    $("#clock").textContent = formatClock(state.clock.now());
    $("#clock-frozen").hidden = !state.clock.frozen;
    $("#clock").classList.toggle("frozen", state.clock.frozen);
  }
  setInterval(tick, 500);

  // ---- the live log over the WebSocket ----

  const live = liveSocket(() => ({ type: "hello", token: state.auth.token, exercise: state.auth.exercise, since: state.lastSeq }), receive, () => {
    state.clock.freeze();
    tick();
  });

  function receive(msg) {
    if (msg.type === "welcome") {
      live.welcome();
      state.clock.thaw();
      state.welcomeSeq = msg.seq || 0;
      showConn("live", "ok");
      if (msg.plan) setPlan(msg.plan);
    } else if (msg.type === "event") {
      logEvent(msg);
    } else if (msg.type === "error" && !live.welcomed) {
      say($("#api-status"), msg.error, "error");
      stopLive();
    } else if (msg.type === "error") {
      say($("#api-status"), msg.error, "error");
    }
  }

  // stopLive stops following the exercise: the hello was refused, or the token no longer works.
  function stopLive() {
    live.stop();
    showConn("offline", "bad");
  }

  function setPlan(plan) {
    state.plan = plan;
    for (const t of plan.teams || []) state.teams[t.name] = Object.assign({}, state.teams[t.name], t);
    for (const a of plan.actions || []) state.actions[a.name] = a;
    for (const s of plan.severities || []) state.severities[s.name] = s;
    const caps = clear($("#capabilities"));
    const seen = new Set();
    for (const a of plan.actions || []) {
      if (a.capability && !seen.has(a.capability)) {
        seen.add(a.capability);
        caps.append(el("option", { value: a.capability }));
      }
    }
  }

  function logEvent(msg) {
    if (state.seen.has(msg.seq)) return;
    state.seen.add(msg.seq);
    document.dispatchEvent(new CustomEvent("ttx:event", { detail: msg })); // console-modules.js
    if (msg.seq > state.lastSeq) state.lastSeq = msg.seq;
    const live = msg.seq > state.welcomeSeq;
    if (msg.kind === "inject_delivered" && msg.inject && msg.inject.decision) {
      state.decisions[msg.inject.decision.name] = msg.inject.decision;
    }
    for (const q of (msg.inject && msg.inject.questions) || (msg.module && msg.module.questions) || []) state.questions[q.id] = q.text;
    if (msg.kind === "exercise_closed") {
      state.closed = true;
      setClock(NaN, undefined, "closed");
    }
    if (msg.kind === "team_joined") state.joined.add(msg.team);
    if (msg.kind === "team_marked_played") state.played.add(msg.team);
    if (msg.kind === "answer_recorded") showAnswer(msg);
    if (msg.kind === "team_joined" || msg.kind === "team_marked_played") refreshSoon();
    const item = el("li", { class: "log-item k-" + msg.kind + (RESPONSES.has(msg.kind) ? " response" : ""), "data-seq": msg.seq, "data-kind": msg.kind },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, kindLabel(msg.kind)),
      el("span", { class: "log-text" }, ...describe(msg)));
    $("#log").prepend(item);
    if (live) {
      const change = clockChange(msg);
      if (change) setClock(...change);
      else if (msg.kind === "severity_changed" && msg.severity) setSeverity(msg.severity);
      refreshSoon();
    }
  }

  function kindLabel(kind) {
    return {
      exercise_started: "started",
      exercise_ended: "ended",
      clock: "clock",
      inject_delivered: "inject",
      inject_skipped: "skipped",
      inject_held: "held",
      inject_released: "released",
      inject_rescheduled: "rescheduled",
      severity_changed: "severity",
      action_triggered: "due",
      action_recorded: "action",
      decision_answered: "decision",
      escalation: "escalation",
      note: "note",
      observation: "observation",
      module_started: "module",
      decision_defaulted: "default",
      answer_recorded: "answer",
      team_joined: "joined",
      team_marked_played: "played",
      feedback_recorded: "feedback",
      exercise_closed: "closed",
    }[kind] || kind;
  }

  // showAnswer adds a team's answer to the answers panel, newest first.
  function showAnswer(msg) {
    $("#answers-empty").hidden = true;
    $("#answers").prepend(el("li", { class: "log-item answer", "data-seq": msg.seq, "data-team": msg.team, "data-question": msg.question },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, teamTitle(msg.team)),
      el("span", { class: "log-text" },
        el("q", {}, state.questions[msg.question] || msg.question), " ",
        msg.name ? el("span", { class: "who" }, msg.name + ": ") : null,
        el("span", { class: "quote" }, msg.text || ""))));
  }

  function by(msg) {
    const parts = [el("strong", {}, teamTitle(msg.team))];
    if (msg.name) parts.push(" (", el("span", { class: "who" }, msg.name), ")");
    return parts;
  }

  function describe(msg) {
    switch (msg.kind) {
      case "inject_delivered": {
        const i = msg.inject || {};
        return [channelLabel(i.channel), " to ", (i.to || []).map(teamTitle).join(", "), ": ", el("strong", {}, i.subject || i.name || ""),
          i.notes ? el("span", { class: "meta block notes" }, "Controllers' notes: " + i.notes) : null];
      }
      case "inject_skipped":
      case "inject_held":
      case "inject_released":
        return [(msg.inject && msg.inject.name) || "", msg.reason ? ": " + msg.reason : ""];
      case "inject_rescheduled":
        return [(msg.inject && msg.inject.name) || "", " now due at " + formatOffset(msg.deadline)];
      case "severity_changed": {
        const first = !state.severitySeen;
        state.severitySeen = true;
        return [first ? "starts at " : "raised to ", el("span", { class: severityClass(msg.severity && msg.severity.level) }, (msg.severity && (msg.severity.title || msg.severity.name)) || "?")];
      }
      case "action_triggered":
        return [actionTitle(msg.action), " for ", teamTitle(msg.team), msg.deadline ? ", due by " + formatOffset(msg.deadline) : ""];
      case "action_recorded":
        return [...by(msg), " recorded ", el("strong", {}, actionTitle(msg.action))];
      case "decision_answered": {
        const d = state.decisions[msg.decision];
        const option = d && (d.options || []).find((o) => o.key === msg.option);
        return [...by(msg), " answered ", el("q", {}, d ? d.prompt : msg.decision || ""), ": ", el("strong", {}, option ? option.label : msg.option || "")];
      }
      case "escalation":
        return [...by(msg), " → ", el("strong", {}, teamTitle(msg.to)), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "note":
        return [...by(msg), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "observation":
        return [el("span", { class: "badge" }, msg.rating || "?"), " ", msg.capability ? capabilityTitle(msg.capability) + ": " : "", el("span", { class: "quote" }, msg.text || "")];
      case "clock":
        return [msg.clock || "", msg.clock === "speed" ? " " + msg.speed + "×" : "", msg.sim_time ? " at " + formatOffset(msg.sim_time) : ""];
      case "exercise_started":
        return ["the exercise started", msg.speed ? " at " + msg.speed + "×" : ""];
      case "exercise_ended":
        return ["the exercise ended", msg.reason ? ": " + msg.reason : ""];
      case "exercise_closed":
        return ["the hot wash was closed"];
      case "module_started":
        return ["module ", el("strong", {}, (msg.module && (msg.module.title || msg.module.name)) || ""),
          msg.module && msg.module.questions && msg.module.questions.length ? " with " + msg.module.questions.length + " questions" : ""];
      case "decision_defaulted": {
        const d = state.decisions[msg.decision];
        const option = d && (d.options || []).find((o) => o.key === msg.option);
        return [el("strong", {}, teamTitle(msg.team)), " did not answer ", el("q", {}, d ? d.prompt : msg.decision || ""), " in time: ", el("strong", {}, option ? option.label : msg.option || "")];
      }
      case "answer_recorded":
        return [...by(msg), " answered ", el("q", {}, state.questions[msg.question] || msg.question || ""), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "team_joined":
        return [el("strong", {}, teamTitle(msg.team)), " joined"];
      case "team_marked_played":
        return [el("strong", {}, teamTitle(msg.team)), " marked played"];
      case "feedback_recorded":
        return [...by(msg), " sent the feedback form"];
      default:
        return [msg.kind || ""];
    }
  }

  // ---- start ----

  if (state.auth && state.auth.token && state.auth.exercise) open();
  else showToken("");
})();
