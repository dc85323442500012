// play.js: the participant page. One WebSocket to /ws speaking design/protocol.md: hello with
// the team's join code, then the team's events in seq order; acts, decisions, escalations and
// notes sent with a ref and shown "sending…" until their ack. Unacked sends survive a reload
// and a dropped connection in sessionStorage and are resent with the same ref, which the
// server records once.
//
// Version 2 (protocol.md): in evaluation mode the page never says which plan actions the
// scenario started or when they fall due: the plan reads as the team's own document (its
// steps, owners, phases and the time the plan allows) and the team records what it did. In
// training mode the triggered actions and their deadlines show as hints. Decisions show their
// options in the order written, read-only for a team that does not decide; modules and injects
// put questions, answered in free text; after the end the feedback form is offered, once.
"use strict";

(() => {
  const { el, $, clear, store, say, parseDuration, formatClock, formatOffset, randomID, severityClass, renderInject,
    showSeverity, showStatus, titleOf, showConn, liveSocket, simClock, clockChange, spokenDuration } = ttx;

  // SEEN_MS is how long a new item must stay in view, on a visible page, to count as seen.
  const SEEN_MS = 1500;

  // The statements of HSEEP's participant feedback form, by the key protocol.md gives each.
  const FEEDBACK = [
    ["structured", "The exercise was well structured and organised."],
    ["realistic", "The scenario was realistic."],
    ["facilitated", "The facilitation kept the exercise on target."],
    ["right_people", "The right people took part."],
    ["understanding", "The exercise increased my understanding of our plan and resources."],
    ["decisions", "The exercise let us make the significant decisions."],
  ];

  const state = {
    join: store.get("play", null), // {code, name, participant}: participant is this person's id (protocol.md v2)
    welcomeSeq: 0, // events up to this seq are the replay; later ones are live
    lastSeq: 0, // highest seq shown in this page
    seen: new Set(), // seqs already in the feed
    team: "",
    plan: null,
    teams: {}, // name -> {name, title, tier}
    actions: {}, // name -> plan action
    severities: {}, // name -> {name, title, level}
    decisions: {}, // name -> the decision as delivered, with at: its delivery in simulated seconds
    triggered: {}, // action -> deadline in simulated seconds (training mode only)
    done: {}, // action -> {name, t} when done by this team
    answered: {}, // decision -> {option, name, defaulted}
    mode: "", // evaluation or training, from the welcome
    exercise: "", // the exercise's id
    records: [], // this team's action records, in log order: {action, name, t, seq}
    questions: {}, // question id -> text
    answers: {}, // question id -> [{text, name, t}] of this team, in log order
    module: null, // the module started last: {name, title, questions}
    closed: false, // the hot wash is over (exercise_closed, or the welcome's status)
    clock: simClock(),
    refPrefix: randomID(4),
    refCount: 0,
    busyTimer: null,
    pending: new Map(), // ref -> {ref, msg, label}
    title: "ttx: exercise", // the tab's title without the unread count
    pauseReason: "", // why the exercise is paused: "" for the facilitator, else the server's reason
    alerts: store.get("play.alerts", false), // the participant asked for a sound and a notification
  };

  // Every hello presents this tab's participant id, kept with the join in sessionStorage, so
  // that two people with one name are two participants and a reconnect's retries are still
  // recorded once (protocol.md v2, "Two people with one name").
  if (state.join && !state.join.participant) {
    state.join.participant = randomID(12);
    store.set("play", state.join);
  }
  const live = liveSocket(
    () => ({ type: "hello", code: state.join.code, name: state.join.name, participant: state.join.participant, since: state.lastSeq }),
    receive,
    offline,
  );

  // offline freezes the page's clock while the connection is down, and says so.
  function offline() {
    state.clock.freeze();
    tick();
  }

  // Restore unacked sends from before a reload: they are resent with their own refs.
  for (const p of store.get("play.pending", [])) {
    if (p && p.ref && p.msg) state.pending.set(p.ref, p);
  }

  function savePending() {
    store.set("play.pending", Array.from(state.pending.values()).map(({ ref, msg, label }) => ({ ref, msg, label })));
  }

  // ---- the join form ----

  function showJoin(message) {
    $("#game").hidden = true;
    $("#join-box").hidden = false;
    $(".bar-facts").hidden = true;
    const join = state.join || store.get("play", {}) || {};
    $("#join-code").value = join.code || "";
    $("#join-name").value = join.name || "";
    say($("#join-status"), message || "", message ? "error" : "");
    showConn("offline");
    (join.code ? $("#join-name") : $("#join-code")).focus();
  }

  $("#join").addEventListener("submit", (e) => {
    e.preventDefault();
    const code = $("#join-code").value.trim();
    const name = $("#join-name").value.trim();
    if (!code || !name) return;
    if (!state.join || state.join.code !== code || state.join.name !== name) {
      state.pending.clear();
      savePending();
    }
    const participant = state.join && state.join.code === code && state.join.name === name && state.join.participant;
    state.join = { code, name, participant: participant || randomID(12) };
    store.set("play", state.join);
    if (state.plan) {
      // This page already showed another exercise or team: start from a clean page.
      location.reload();
      return;
    }
    start();
  });

  // Back online, or back to a tab that slept: reconnect now rather than at the next retry.
  function reconnectNow() {
    if (state.join && !$("#game").hidden) live.reconnectNow();
  }
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reconnectNow();
  });

  $("#leave").addEventListener("click", () => {
    live.stop();
    store.remove("play");
    store.remove("play.pending");
    store.remove("play.seq");
    location.assign("/");
  });

  // ---- the connection ----

  function start() {
    $("#join-box").hidden = true;
    $("#game").hidden = false;
    $(".bar-facts").hidden = false;
    $("#me").textContent = state.join.name;
    live.start();
  }

  function receive(msg) {
    switch (msg.type) {
      case "welcome":
        welcome(msg);
        break;
      case "event":
        event(msg);
        break;
      case "ack":
        ack(msg);
        break;
      case "error":
        error(msg);
        break;
      case "status":
        // The server's word of a change no event of the feed carries: the close.
        if (msg.status === "closed") {
          state.closed = true;
          setStatus("closed");
        }
        break;
      default:
        break;
    }
  }

  function welcome(msg) {
    live.welcome();
    state.welcomeSeq = msg.seq || 0;
    state.team = msg.team || "";
    showConn("connected", "ok");
    const x = msg.exercise || {};
    state.exercise = x.id || "";
    if (x.status === "closed") state.closed = true;
    setMode(msg.mode || x.mode || "training");
    if (msg.plan && !state.plan) setPlan(msg.plan);
    buildFeedbackOnce();
    state.title = "ttx: " + (x.title || "exercise");
    showUnreadCount();
    $("#ex-title").textContent = x.title || "Exercise";
    $("#ex-title").title = x.title || "";
    state.pauseReason = x.pause_reason || "";
    state.clock.thaw();
    $("#team").textContent = teamTitle(state.team);
    $("#team").title = teamTitle(state.team);
    if (msg.name) {
      $("#me").textContent = msg.name;
      $("#me").title = msg.name;
    }
    setClock(parseDuration(x.sim_time), x.speed, x.status);
    if (x.severity) setSeverity(state.severities[x.severity] || { name: x.severity, title: x.severity, level: 1 });
    replayProgress();
    // Resend what was never acked, with the same refs: the server records each once.
    for (const p of state.pending.values()) {
      live.send(p.msg);
      markOutbox(p.ref, "sending", "sending…");
    }
  }

  function ack(msg) {
    const p = state.pending.get(msg.ref);
    if (!p) return;
    state.pending.delete(msg.ref);
    savePending();
    markOutbox(msg.ref, "acked", "recorded");
    if (p.msg.type === "choose") markAnswered(p.msg.decision, p.msg.option, state.join.name);
    if (p.msg.type === "act") markDone(p.msg.action, state.join.name, null);
    if (p.msg.type === "feedback") feedbackSent();
    const form = $('form[data-ref="' + CSS.escape(msg.ref) + '"]');
    if (form && p.msg.type === "answer") say(form.querySelector(".status"), "Answer recorded.", "ok");
  }

  function error(msg) {
    if (msg.ref) {
      const p = state.pending.get(msg.ref);
      if (p) {
        state.pending.delete(msg.ref);
        savePending();
      }
      markOutbox(msg.ref, "failed", "error: " + msg.error);
      return;
    }
    if (!live.welcomed) {
      // The hello was refused (a wrong code, an ended exercise): ask again, do not retry.
      live.stop();
      showJoin(msg.error || "The server refused to join.");
      return;
    }
    say($("#general-status"), msg.error, "error");
  }

  // ---- the plan ----

  function setPlan(plan) {
    state.plan = plan;
    for (const t of plan.teams || []) state.teams[t.name] = t;
    for (const s of plan.severities || []) state.severities[s.name] = s;
    for (const a of plan.actions || []) state.actions[a.name] = a;
    const select = clear($("#escalate-to"));
    for (const t of plan.teams || []) {
      if (t.name === state.team) continue;
      select.append(el("option", { value: t.name }, t.title || t.name));
    }
    renderActions();
  }

  // setMode shows the exercise's mode; in evaluation mode the plan reads as the team's own
  // document, with nothing about which of its steps the scenario has started.
  function setMode(mode) {
    state.mode = mode === "evaluation" ? "evaluation" : "training";
    const badge = $("#mode");
    badge.hidden = false;
    badge.textContent = state.mode === "evaluation" ? "Evaluation" : "Training";
    badge.className = "mode-badge mode-" + state.mode;
    badge.title = state.mode === "evaluation"
      ? "An evaluated exercise: your team works from its plan as it would for real."
      : "A training exercise: the page shows the steps of the plan as they become expected.";
    document.body.classList.toggle("mode-evaluation", state.mode === "evaluation");
    $("#actions-hint").textContent = state.mode === "evaluation"
      ? "Your plan: the steps it gives your team and the time it allows for each. Record a step when your team has done it."
      : "Record a step of the plan when your team has done it.";
  }

  function teamTitle(name) {
    return titleOf(state.teams, name);
  }

  function teamList(names) {
    return (names || []).map(teamTitle).join(", ");
  }

  // within says how long the plan allows for a step or a decision: "within 15 min".
  function within(d) {
    const seconds = parseDuration(d);
    if (!isFinite(seconds) || seconds <= 0) return "";
    return "within " + spokenDuration(seconds);
  }

  function actionTitle(name) {
    return titleOf(state.actions, name);
  }

  function renderActions() {
    const mine = clear($("#my-actions"));
    const others = clear($("#other-actions"));
    const plan = state.plan || { actions: [] };
    for (const a of plan.actions || []) {
      const own = a.owner === state.team;
      // Another team's step that is done by escalating to this team: nothing to press here.
      const toUs = a.escalate_to === state.team;
      const button = toUs ? null : el("button", {
        type: "button", class: own ? "primary" : "", "data-action": a.name,
        "aria-label": (a.escalate_to ? "Escalate to " + teamTitle(a.escalate_to) + ": " : "Record: ") + (a.title || a.name),
      }, a.escalate_to ? "Escalate…" : "Record");
      if (button) button.addEventListener("click", () => {
        if (a.escalate_to) {
          $("#escalate-to").value = a.escalate_to;
          $("#escalate-text").focus();
          return;
        }
        submit({ type: "act", action: a.name }, "Record: " + actionTitle(a.name));
      });
      const item = el("li", { class: "plan-action", id: "action-" + a.name, "data-action": a.name },
        el("div", { class: "action-text" },
          el("span", { class: "action-title" }, a.title || a.name),
          el("span", { class: "meta" }, (own && state.mode !== "evaluation" ? "" : teamTitle(a.owner) + " · ") + phaseLabel(a.phase) +
            (within(a.due) ? " · " + within(a.due) : "") +
            (toUs ? " · done when " + teamTitle(a.owner) + " escalates to your team"
              : a.escalate_to ? " · done by escalating to " + teamTitle(a.escalate_to) : "")),
          el("span", { class: "deadline" })),
        button);
      (own ? mine : others).append(item);
      updateAction(a.name);
    }
    if (!mine.children.length) mine.append(el("li", { class: "hint" }, "The plan gives your team no actions of its own."));
    renderRecords();
  }

  // renderRecords lists what the team has recorded, with the simulated time of each record.
  function renderRecords() {
    const list = clear($("#records"));
    for (const r of state.records) {
      list.append(el("li", { class: "record", "data-action": r.action },
        el("span", { class: "record-title" }, actionTitle(r.action)),
        el("span", { class: "meta" }, formatClock(r.t) + (r.name ? " · " + r.name : ""))));
    }
    if (!state.records.length) list.append(el("li", { class: "hint" }, "Nothing recorded yet."));
  }

  function phaseLabel(phase) {
    return (phase || "").replace(/_/g, " ");
  }

  function updateAction(name) {
    const item = document.getElementById("action-" + name);
    if (!item) return;
    const deadline = item.querySelector(".deadline");
    const button = item.querySelector("button");
    const done = state.done[name];
    // Evaluation mode: nothing of the action's trigger or deadline, whatever has arrived.
    const due = state.mode === "training" ? state.triggered[name] : undefined;
    item.classList.remove("done", "overdue", "due");
    if (done) {
      item.classList.add("done");
      deadline.textContent = "done" + (done.name ? " by " + done.name : "") + (done.t !== null && done.t !== undefined ? " at " + formatClock(done.t) : "");
      if (button && (!state.actions[name] || !state.actions[name].escalate_to)) button.disabled = true;
    } else if (due !== undefined) {
      const overdue = state.clock.now() > due;
      item.classList.add(overdue ? "overdue" : "due");
      deadline.textContent = (overdue ? "overdue: was due by " : "due by ") + formatClock(due);
    } else {
      deadline.textContent = "";
    }
  }

  function markDone(action, name, t) {
    if (state.done[action] && state.done[action].t !== null) return;
    state.done[action] = { name, t };
    updateAction(action);
  }

  function markAnswered(decision, option, name) {
    if (!state.answered[decision]) state.answered[decision] = { option, name };
    queueMicrotask(showDecisionChip);
    for (const form of document.querySelectorAll("form.decision")) {
      if (form.dataset.decision === decision) showAnswered(form);
    }
  }

  function showAnswered(form) {
    const a = state.answered[form.dataset.decision];
    if (!a) return;
    const d = state.decisions[form.dataset.decision] || { options: [] };
    const option = (d.options || []).find((o) => o.key === a.option);
    for (const input of form.querySelectorAll("input, button")) input.disabled = true;
    form.classList.add("answered");
    const radio = form.querySelector('input[value="' + CSS.escape(a.option) + '"]');
    if (radio) radio.checked = true;
    const label = option ? option.label : a.option;
    say(form.querySelector(".status"), a.defaulted ? "No answer in time: recorded as " + label + "."
      : "Answered: " + label + (a.name ? " (" + a.name + ")" : ""), a.defaulted ? "error" : "ok");
    const clock = form.querySelector(".decision-clock");
    if (clock) clock.hidden = true;
  }

  // ---- the clock, severity and status ----

  function setClock(simSeconds, speed, status) {
    state.clock.set(simSeconds, speed, status);
    if (status) setStatus(status);
    tick();
  }

  function setStatus(status) {
    // Once the close has been seen, the exercise stays closed whatever the clock says.
    if (state.closed) status = "closed";
    showStatus($("#status"), status, "waiting to start");
    if (status === "paused" && state.pauseReason) $("#status").textContent = "paused: the server restarted";
    const closed = status === "closed";
    const ended = status === "ended" || closed;
    $("#ended").hidden = status !== "ended";
    $("#closed").hidden = !closed;
    // After the end the server refuses actions, decisions, escalations and notes: say so by
    // disabling their controls. Answers and the feedback form are taken until the close.
    if (ended) {
      for (const control of document.querySelectorAll(".closes-at-end textarea, .closes-at-end select, .closes-at-end button, form.decision input, form.decision button")) {
        control.disabled = true;
      }
    }
    if (closed) {
      for (const control of document.querySelectorAll("form.answer-form textarea, form.answer-form button, #feedback input, #feedback textarea, #feedback button")) {
        control.disabled = true;
      }
    }
    $("#feedback-box").hidden = !(ended && (status === "ended" || feedbackWasSent()));
  }

  function setSeverity(sev) {
    showSeverity($("#severity"), sev);
  }

  function tick() {
    $("#clock").textContent = formatClock(state.clock.now());
    const frozen = $("#clock-frozen");
    if (frozen) frozen.hidden = !state.clock.frozen;
    $("#clock").classList.toggle("frozen", state.clock.frozen);
    for (const name of Object.keys(state.triggered)) {
      if (!state.done[name]) updateAction(name);
    }
    for (const form of document.querySelectorAll("form.decision[data-deadline]")) showDecisionClock(form);
  }
  setInterval(tick, 500);

  // ---- events ----

  function event(msg) {
    if (state.seen.has(msg.seq)) return; // a replay after a reconnect: already shown
    state.seen.add(msg.seq);
    if (msg.seq > state.lastSeq) {
      state.lastSeq = msg.seq;
      store.set("play.seq", state.lastSeq);
    }
    const live = msg.seq > state.welcomeSeq;
    const t = parseDuration(msg.t);
    apply(msg, t, live);
    // Evaluation mode shows nothing of a plan action's trigger, should one ever arrive.
    if (msg.kind === "action_triggered" && state.mode !== "training") return;
    const item = render(msg, t);
    item.dataset.seq = msg.seq;
    item.dataset.kind = msg.kind;
    $("#feed").prepend(item);
    $("#feed-empty").hidden = true;
    if (live && !ownEcho(msg)) markUnread(item, msg);
    replayProgress();
    showDecisionChip();
  }

  // ownEcho reports whether msg is this participant's own response coming back.
  function ownEcho(msg) {
    return msg.team === state.team && msg.name && state.join && msg.name === state.join.name;
  }

  // A phone's header collapses to what matters once the page is scrolled.
  window.addEventListener("scroll", () => document.body.classList.toggle("scrolled", window.scrollY > 120), { passive: true });

  // ---- what just happened: unread marks, the tab's count, sound and notification ----

  const seenObserver = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const item = entry.target;
      clearTimeout(item._seenTimer);
      if (entry.isIntersecting && document.visibilityState === "visible") {
        item._seenTimer = setTimeout(() => markSeen(item), SEEN_MS);
      }
    }
  }, { threshold: 0.5 }) : null;

  // markUnread marks a live item new until it has been in view on a visible page for a moment.
  function markUnread(item, msg) {
    item.classList.add("unread");
    item.prepend(el("span", { class: "unread-mark" }, "new"));
    if (seenObserver) seenObserver.observe(item);
    showUnreadCount();
    if (msg.kind === "inject_delivered") alertArrival(msg.inject || {});
  }

  function markSeen(item) {
    if (!item.classList.contains("unread")) return;
    item.classList.remove("unread");
    const mark = item.querySelector(".unread-mark");
    if (mark) mark.remove();
    if (seenObserver) seenObserver.unobserve(item);
    showUnreadCount();
  }

  // Coming back to the tab re-checks what is in view.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !seenObserver) return;
    for (const item of document.querySelectorAll("#feed .unread")) {
      seenObserver.unobserve(item);
      seenObserver.observe(item);
    }
  });

  // showUnreadCount puts the number of unread items in the tab's title: "(2) ttx: …".
  function showUnreadCount() {
    const n = document.querySelectorAll("#feed .unread").length;
    document.title = (n ? "(" + n + ") " : "") + state.title;
    const count = $("#unread-count");
    if (count) {
      count.hidden = n === 0;
      count.textContent = n === 1 ? "1 new" : n + " new";
    }
  }

  // The opt-in alerts: a short tone and, while the tab is hidden, a browser notification.
  const alertsBox = $("#alerts");
  if (alertsBox) {
    alertsBox.checked = !!state.alerts;
    alertsBox.addEventListener("change", () => {
      state.alerts = alertsBox.checked;
      store.set("play.alerts", state.alerts);
      if (state.alerts && "Notification" in window && Notification.permission === "default") {
        Notification.requestPermission().catch(() => {});
      }
      if (state.alerts) beep();
    });
  }

  function alertArrival(inject) {
    if (!state.alerts) return;
    beep();
    if ("Notification" in window && Notification.permission === "granted" && document.visibilityState !== "visible") {
      try {
        new Notification("New inject: " + (inject.subject || "exercise"), { body: teamTitle(state.team), tag: "ttx-" + state.exercise });
      } catch (_) {}
    }
  }

  let audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.3);
    } catch (_) {}
  }

  // showDecisionChip keeps a "decision needed" chip in the header while one of this team's
  // decisions is open; it jumps to the first.
  function showDecisionChip() {
    const chip = $("#decision-chip");
    if (!chip) return;
    const open = Array.from(document.querySelectorAll("form.decision.decides")).filter((f) => !state.answered[f.dataset.decision]);
    const ended = state.clock.status === "ended" || state.clock.status === "closed";
    chip.hidden = open.length === 0 || ended;
    chip.textContent = open.length > 1 ? open.length + " decisions needed" : "Decision needed";
    chip.onclick = () => {
      const first = open[0];
      if (!first) return;
      first.scrollIntoView({ block: "center" });
      const input = first.querySelector("input");
      if (input) input.focus();
    };
  }

  // replayProgress keeps the feed aria-busy while the replay after a welcome is arriving, so
  // that screen readers do not read out the whole history. The replay has no end marker (the
  // last events of the log may be another team's), so it counts as over when the feed has
  // caught up with the welcome's seq or nothing has arrived for a moment.
  function replayProgress() {
    clearTimeout(state.busyTimer);
    const feed = $("#feed");
    if (state.lastSeq >= state.welcomeSeq) {
      feed.setAttribute("aria-busy", "false");
      return;
    }
    feed.setAttribute("aria-busy", "true");
    state.busyTimer = setTimeout(() => feed.setAttribute("aria-busy", "false"), 400);
  }

  // apply folds an event into the page's state. Only live events move the clock and status:
  // the welcome already says where they stand after the replay.
  function apply(msg, t, live) {
    if (live && msg.kind === "clock" && (msg.clock === "paused" || msg.clock === "resumed")) {
      state.pauseReason = msg.clock === "paused" ? msg.reason || "" : "";
    }
    if (live) {
      const change = clockChange(msg);
      if (change) setClock(...change);
      else if (isFinite(t)) setClock(t);
    }
    switch (msg.kind) {
      case "severity_changed":
        if (live && msg.severity) setSeverity(msg.severity);
        break;
      case "action_triggered":
        if (msg.action && state.mode === "training") {
          state.triggered[msg.action] = parseDuration(msg.deadline);
          updateAction(msg.action);
        }
        break;
      case "action_recorded":
        if (msg.team === state.team) {
          state.done[msg.action] = { name: msg.name, t };
          updateAction(msg.action);
          state.records.push({ action: msg.action, name: msg.name, t, seq: msg.seq });
          renderRecords();
        }
        break;
      case "decision_defaulted":
        if (msg.team === state.team && !state.answered[msg.decision]) {
          state.answered[msg.decision] = { option: msg.option, name: "", defaulted: true };
          markAnswered(msg.decision, msg.option, "");
        }
        break;
      case "exercise_closed":
        state.closed = true;
        setStatus("closed");
        break;
      case "module_started":
        if (msg.module) {
          for (const q of msg.module.questions || []) state.questions[q.id] = q.text;
          state.module = msg.module;
          renderModule();
        }
        break;
      case "answer_recorded":
        if (msg.team === state.team && msg.question) {
          (state.answers[msg.question] = state.answers[msg.question] || []).push({ text: msg.text || "", name: msg.name, t });
          renderAnswers(msg.question);
        }
        break;
      case "decision_answered":
        if (msg.team === state.team) {
          state.answered[msg.decision] = state.answered[msg.decision] || { option: msg.option, name: msg.name };
          markAnswered(msg.decision, msg.option, msg.name);
        }
        break;
      case "inject_delivered":
        if (msg.inject && msg.inject.decision) {
          const d = msg.inject.decision;
          state.decisions[d.name] = Object.assign({}, d, { options: d.options || [], at: t });
        }
        for (const q of (msg.inject && msg.inject.questions) || []) state.questions[q.id] = q.text;
        break;
      default:
        break;
    }
  }

  // pauseWords says who paused the clock: the facilitator, or the server when it restarted.
  function pauseWords(reason) {
    if (reason === "server restarted" || reason === "server stopped") return "Paused: the server restarted. The facilitator resumes when everyone is back.";
    return "The facilitator paused the clock.";
  }

  function line(kind, when, ...content) {
    return el("li", { class: "item " + kind },
      el("span", { class: "when" }, when),
      el("span", { class: "line" }, ...content));
  }

  function who(name, team) {
    const parts = [];
    if (name) parts.push(el("strong", { class: "who" }, name));
    if (team && team !== state.team) parts.push(" (" + teamTitle(team) + ")");
    if (team && team === state.team && !name) parts.push(el("strong", {}, "Your team"));
    return parts;
  }

  function render(msg, t) {
    const when = formatClock(t);
    switch (msg.kind) {
      case "inject_delivered": {
        const item = el("li", { class: "item inject-item" });
        const inject = msg.inject || {};
        const card = renderInject(inject, msg.t, teamTitle);
        if (inject.decision) card.append(decisionForm(inject.decision, msg.seq, t));
        if ((inject.questions || []).length) {
          card.append(el("div", { class: "inject-questions" }, el("h4", {}, "Questions for your team"),
            ...inject.questions.map(questionBox)));
        }
        item.append(card);
        return item;
      }
      case "severity_changed": {
        const sev = msg.severity || {};
        const first = !state.severitySeen;
        state.severitySeen = true;
        return line("system severity", when, first ? "Severity: " : "Severity raised to ",
          el("span", { class: severityClass(sev.level) }, sev.title || sev.name || "?"));
      }
      case "action_triggered":
        return line("system triggered", when, msg.team === state.team ? "Now due for your team: " : "Now due for " + teamTitle(msg.team) + ": ",
          el("strong", {}, actionTitle(msg.action)), msg.deadline ? " — by " + formatOffset(msg.deadline) : "");
      case "action_recorded":
        return line("response action", when, ...who(msg.name, msg.team), " recorded ", el("strong", {}, actionTitle(msg.action)));
      case "decision_answered": {
        const d = state.decisions[msg.decision] || { options: [] };
        const option = (d.options || []).find((o) => o.key === msg.option);
        return line("response decision", when, ...who(msg.name, msg.team), " answered ",
          el("q", {}, d.prompt || msg.decision), ": ", el("strong", {}, option ? option.label : msg.option));
      }
      case "escalation": {
        const outgoing = msg.team === state.team;
        const item = el("li", { class: "item escalation " + (outgoing ? "outgoing" : "incoming") });
        item.append(
          el("div", { class: "esc-head" },
            el("span", {}, outgoing ? "Escalation to " + teamTitle(msg.to) : "Escalation from " + teamTitle(msg.team)),
            msg.name ? el("span", { class: "who" }, " · " + msg.name) : null,
            el("span", { class: "when" }, when)),
          el("p", { class: "esc-text" }, msg.text || ""));
        return item;
      }
      case "note":
        return el("li", { class: "item note" },
          el("div", { class: "esc-head" }, el("span", {}, "Note"), msg.name ? el("span", { class: "who" }, " · " + msg.name) : null, el("span", { class: "when" }, when)),
          el("p", { class: "note-text" }, msg.text || ""));
      case "clock": {
        const what = {
          paused: pauseWords(msg.reason),
          resumed: "The clock is running again.",
          speed: "The clock now runs at " + (msg.speed || "?") + "× real time.",
          advanced: "The clock jumped ahead to " + formatOffset(msg.sim_time || msg.t) + ".",
        }[msg.clock] || "The clock changed.";
        // Pauses matter to the room; jumps and speed changes are shown quietly.
        return line("system clock" + (msg.clock === "paused" || msg.clock === "resumed" ? "" : " quiet"), when, what);
      }
      case "exercise_started":
        return line("system", when, "The exercise has started.");
      case "exercise_ended":
        return line("system", when, "The exercise has ended.", msg.reason ? " (" + msg.reason + ")" : "");
      case "exercise_closed":
        return line("system", when, "The facilitator closed the exercise: the hot wash is over.");
      case "module_started": {
        const m = msg.module || {};
        const n = (m.questions || []).length;
        return line("system module", when, "Module: ", el("strong", {}, m.title || m.name || ""),
          n ? " — " + n + (n === 1 ? " question" : " questions") + " for your team under Respond" : "");
      }
      case "decision_defaulted": {
        const d = state.decisions[msg.decision] || { options: [] };
        const option = (d.options || []).find((o) => o.key === msg.option);
        return line("response decision", when, "No answer in time to ", el("q", {}, d.prompt || msg.decision),
          ": recorded as ", el("strong", {}, option ? option.label : msg.option));
      }
      case "answer_recorded":
        return line("response answer", when, ...who(msg.name, msg.team), " answered ",
          el("q", {}, state.questions[msg.question] || msg.question), ": ", el("span", { class: "answer-text" }, msg.text || ""));
      case "observation":
        return line("system", when, "Observation: ", msg.text || "");
      case "inject_skipped":
        return line("system", when, "Skipped inject ", (msg.inject && msg.inject.name) || "", msg.reason ? ": " + msg.reason : "");
      default:
        return line("system", when, msg.kind || "event");
    }
  }

  // decisionForm shows a decision: its options in the order written; for a team outside
  // decided_by, read-only with who decides; with a due, the time left to answer.
  function decisionForm(d, seq, t) {
    const decidedBy = d.decided_by || [];
    const decides = !decidedBy.length || decidedBy.includes(state.team);
    const form = el("form", { class: "decision" + (decides ? " decides" : " read-only"), "data-decision": d.name });
    const fieldset = el("fieldset", { disabled: decides ? null : true }, el("legend", {}, d.prompt || "Decision"));
    for (const o of d.options || []) {
      const key = o.key || o.name;
      const id = "d-" + seq + "-" + key;
      fieldset.append(el("div", { class: "option" },
        el("input", { type: "radio", id, name: "decision-" + seq, value: key, required: true, disabled: decides ? null : true }),
        el("label", { for: id }, o.label || o.text || key)));
    }
    form.append(fieldset);
    if (!decides) {
      form.append(el("p", { class: "hint decided-by" }, "Decided by " + teamList(decidedBy) + ": your team sees this decision but does not make it."),
        el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true }));
      if (state.answered[d.name]) queueMicrotask(() => showAnswered(form));
      return form;
    }
    const allowed = parseDuration(d.due);
    if (isFinite(allowed) && allowed > 0 && isFinite(t)) {
      form.dataset.deadline = String(t + allowed);
      const option = d.default ? (d.options || []).find((o) => (o.key || o.name) === d.default) : null;
      form.append(el("p", { class: "decision-clock" },
        el("span", { class: "decision-allowed" }, "Answer " + within(d.due)), " ",
        el("span", { class: "decision-left" }),
        d.default ? el("span", { class: "hint block" }, "With no answer in time, " + (option ? option.label || option.text : d.default) + " is recorded.") : null));
      queueMicrotask(() => showDecisionClock(form));
    }
    form.append(el("button", { type: "submit", class: "primary" }, "Submit answer"),
      el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) {
        say(form.querySelector(".status"), "Choose an option first.", "error");
        return;
      }
      const label = chosen.labels && chosen.labels[0] ? chosen.labels[0].textContent : chosen.value;
      const ref = submit({ type: "choose", decision: d.name, option: chosen.value }, "Answer: " + label);
      form.dataset.ref = ref;
      say(form.querySelector(".status"), "sending…");
    });
    if (state.answered[d.name]) queueMicrotask(() => showAnswered(form));
    if (state.clock.status === "ended" || state.clock.status === "closed") for (const control of form.querySelectorAll("input, button")) control.disabled = true;
    return form;
  }

  // showDecisionClock shows the time left to answer a decision with a due, until it is
  // answered or defaulted.
  function showDecisionClock(form) {
    const left = form.querySelector(".decision-left");
    if (!left || state.answered[form.dataset.decision]) return;
    const seconds = parseFloat(form.dataset.deadline) - state.clock.now();
    left.textContent = seconds > 0 ? "(" + spokenDuration(Math.ceil(seconds)) + " left)" : "(time is up)";
    form.classList.toggle("time-short", seconds > 0 && seconds <= 60);
  }

  // ---- questions and answers ----

  // questionBox shows one question with the team's answers so far and a box for another.
  function questionBox(q) {
    const id = "q-" + q.id.replace(/[^A-Za-z0-9_-]/g, "_") + "-" + randomID(3);
    const form = el("form", { class: "answer-form", "data-question": q.id },
      el("label", { for: id }, "Your team's answer"),
      el("textarea", { id, rows: "3", required: true, maxlength: "4000" }),
      el("button", { type: "submit" }, "Send answer"),
      el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const box = form.querySelector("textarea");
      const text = box.value.trim();
      if (!text) return;
      form.dataset.ref = submit({ type: "answer", question: q.id, text }, "Answer: " + text);
      say(form.querySelector(".status"), "sending…");
      box.value = "";
    });
    if (state.clock.status === "closed") for (const control of form.querySelectorAll("textarea, button")) control.disabled = true;
    const box = el("div", { class: "question", "data-question": q.id },
      el("p", { class: "q-text" }, q.text),
      el("ul", { class: "answers" }),
      form);
    queueMicrotask(() => renderAnswers(q.id));
    return box;
  }

  function renderAnswers(question) {
    for (const box of document.querySelectorAll('.question[data-question="' + CSS.escape(question) + '"]')) {
      const list = clear(box.querySelector("ul.answers"));
      for (const a of state.answers[question] || []) {
        list.append(el("li", { class: "answer" },
          el("span", { class: "answer-text" }, a.text),
          el("span", { class: "meta" }, (a.name ? a.name + " · " : "") + formatClock(a.t))));
      }
    }
  }

  function renderModule() {
    const m = state.module;
    $("#module-box").hidden = false;
    $("#module-title").textContent = "Module: " + (m.title || m.name);
    const box = clear($("#module-questions"));
    if (!(m.questions || []).length) box.append(el("p", { class: "hint" }, "This module puts no questions to your team."));
    for (const q of m.questions || []) box.append(questionBox(q));
  }

  // ---- the feedback form (the hot wash) ----

  function feedbackKey() {
    return "play.feedback." + state.exercise + "." + state.team + "." + (state.join ? state.join.name : "");
  }

  function feedbackWasSent() {
    return !!store.get(feedbackKey(), false);
  }

  function feedbackSent() {
    store.set(feedbackKey(), true);
    $("#feedback").hidden = true;
    $("#feedback-done").hidden = false;
  }

  function buildFeedback() {
    const form = $("#feedback");
    for (const [key, statement] of FEEDBACK) {
      const fieldset = el("fieldset", { class: "rating", "data-rating": key }, el("legend", {}, statement));
      const scale = el("div", { class: "scale" });
      for (let n = 1; n <= 5; n++) {
        const id = "fb-" + key + "-" + n;
        scale.append(el("span", { class: "option" },
          el("input", { type: "radio", id, name: "fb-" + key, value: String(n) }),
          el("label", { for: id, title: ["", "strongly disagree", "disagree", "neither", "agree", "strongly agree"][n] }, String(n))));
      }
      fieldset.append(scale);
      form.append(fieldset);
    }
    for (const [key, label] of [["strengths", "Strengths of the exercise"], ["improvements", "Areas for improvement"], ["comment", "Any other comment"]]) {
      form.append(el("label", { for: "fb-" + key }, label), el("textarea", { id: "fb-" + key, rows: "3", maxlength: "4000" }));
    }
    form.append(el("button", { type: "submit", class: "primary" }, "Send feedback"),
      el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const ratings = {};
      for (const [key] of FEEDBACK) {
        const chosen = form.querySelector('input[name="fb-' + key + '"]:checked');
        if (chosen) ratings[key] = parseInt(chosen.value, 10);
      }
      const text = (key) => $("#fb-" + key).value.trim();
      form.dataset.ref = submit({ type: "feedback", ratings, strengths: text("strengths"), improvements: text("improvements"), comment: text("comment") }, "Feedback form");
      say(form.querySelector(".status"), "sending…");
    });
    if (feedbackWasSent()) feedbackSent();
  }

  // ---- sending ----

  function nextRef() {
    state.refCount++;
    return state.refPrefix + "-" + state.refCount;
  }

  // submit sends a participant message with a fresh ref, keeps it until acked and lists it
  // in the outbox. It returns the ref.
  function submit(body, label) {
    const ref = nextRef();
    const msg = Object.assign({ ref }, body);
    state.pending.set(ref, { ref, msg, label });
    savePending();
    addOutbox(ref, label);
    if (!live.send(msg)) markOutbox(ref, "sending", "sending… (waiting for the connection)");
    return ref;
  }

  function addOutbox(ref, label) {
    const list = $("#outbox");
    list.prepend(el("li", { class: "out sending", "data-ref": ref },
      el("span", { class: "out-label" }, label),
      el("span", { class: "out-state" }, "sending…")));
    while (list.children.length > 20) list.lastChild.remove();
  }

  function markOutbox(ref, cls, text) {
    let item = $('#outbox li[data-ref="' + CSS.escape(ref) + '"]');
    if (!item) {
      const p = state.pending.get(ref);
      addOutbox(ref, p ? p.label : ref);
      item = $('#outbox li[data-ref="' + CSS.escape(ref) + '"]');
    }
    item.className = "out " + cls;
    item.querySelector(".out-state").textContent = text;
    // A decision, answer or feedback form shows the fate of what it sent.
    const form = $('form[data-ref="' + CSS.escape(ref) + '"]');
    if (form && cls === "failed") {
      say(form.querySelector(".status"), text, "error");
    }
  }

  $("#escalate").addEventListener("submit", (e) => {
    e.preventDefault();
    const to = $("#escalate-to").value;
    const text = $("#escalate-text").value.trim();
    if (!to || !text) return;
    submit({ type: "escalate", to, text }, "Escalation to " + teamTitle(to) + ": " + text);
    $("#escalate-text").value = "";
  });

  $("#note").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("#note-text").value.trim();
    if (!text) return;
    submit({ type: "note", text }, "Note: " + text);
    $("#note-text").value = "";
  });

  // ---- start ----

  // The feedback form is built once; welcome says whose it is.
  const buildFeedbackOnce = (() => {
    let built = false;
    return () => {
      if (!built) buildFeedback();
      built = true;
    };
  })();

  // Messages that were pending before a reload show in the outbox straight away.
  for (const p of state.pending.values()) addOutbox(p.ref, p.label);

  if (state.join && state.join.code && state.join.name) start();
  else showJoin("");
})();
