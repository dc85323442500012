// console-modules.js: the console's modules panel (issue 12). The scenario's modules as
// sections of the timeline, each with the injects that fall in it (delivered, and still to
// come); the "next module" control (POST /api/exercises/:id/next-module, the advance to its
// start); the current module's questions with every team's answers as they come. It reads
// what console.js hands it: each GET /api/exercises/:id ("ttx:exercise") and each live event
// ("ttx:event"), so it must load before console.js.
"use strict";

(() => {
  const { el, $, clear, store, api, say, formatOffset, parseDuration, titleOf } = ttx;

  const st = {
    ex: null,
    seen: new Set(),
    delivered: [], // {name, subject, t} of the injects delivered, in log order
    answers: {}, // question id -> answer_recorded events, in log order
  };

  document.addEventListener("ttx:exercise", (e) => {
    st.ex = e.detail;
    draw();
  });

  document.addEventListener("ttx:event", (e) => {
    const m = e.detail;
    if (st.seen.has(m.seq)) return;
    st.seen.add(m.seq);
    if (m.kind === "inject_delivered" && m.inject) {
      st.delivered.push({ name: m.inject.name, subject: m.inject.subject || m.inject.name, t: parseDuration(m.t) });
    } else if (m.kind === "answer_recorded") {
      (st.answers[m.question] = st.answers[m.question] || []).push(m);
    } else {
      return;
    }
    draw();
  });

  $("#cmd-next-module").addEventListener("click", async () => {
    const auth = store.get("facilitator", null);
    const button = $("#cmd-next-module");
    if (!auth) return;
    button.disabled = true;
    say($("#modules-status"), "");
    try {
      await api("POST", "/api/exercises/" + encodeURIComponent(auth.exercise) + "/next-module", auth.token, {});
    } catch (err) {
      say($("#modules-status"), err.message, "error");
      button.disabled = false;
    }
  });

  function teamTitle(name) {
    const byName = {};
    for (const t of (st.ex && st.ex.teams) || []) byName[t.name] = t;
    return titleOf(byName, name);
  }

  // draw shows the modules: each a section from its start to the next one's (the last to the
  // scenario's end), marked done, current or to come.
  function draw() {
    const ex = st.ex;
    const panel = $("#modules-panel");
    const modules = (ex && ex.modules) || [];
    panel.hidden = modules.length === 0;
    if (!modules.length) return;
    const list = clear($("#modules"));
    const end = parseDuration(ex.duration);
    modules.forEach((m, i) => {
      const from = parseDuration(m.at);
      const to = i + 1 < modules.length ? parseDuration(modules[i + 1].at) : end;
      const current = m.name === ex.current_module;
      const state = current ? "current" : m.started ? "done" : "to come";
      const injects = el("ul", { class: "module-injects" });
      for (const d of st.delivered) {
        if (d.t >= from && (d.t < to || (i + 1 === modules.length))) injects.append(el("li", { "data-inject": d.name }, ttx.formatClock(d.t), " ", d.subject, " ", el("span", { class: "meta" }, "delivered")));
      }
      for (const u of ex.upcoming || []) {
        const due = parseDuration(u.due);
        if (isFinite(due) && due >= from && due < to) injects.append(el("li", { "data-inject": u.name }, formatOffset(u.due), " ", u.subject || u.name, " ", el("span", { class: "meta" }, u.held ? "held" : "to come")));
      }
      if (!injects.children.length) injects.append(el("li", { class: "hint" }, "No inject in this module."));
      list.append(el("li", { class: "module-section" + (current ? " current" : ""), "data-module": m.name, "data-state": state },
        el("h3", {}, m.title || m.name),
        el("p", { class: "meta" }, "From " + formatOffset(m.at) + " · " + state + " · " + (m.questions || []).length + " question" + ((m.questions || []).length === 1 ? "" : "s")),
        injects));
    });
    const next = modules.find((m) => !m.started);
    const button = $("#cmd-next-module");
    button.textContent = next ? "Next module: " + (next.title || next.name) : "No module left";
    button.disabled = !next || !(ex.status === "running" || ex.status === "paused");
    drawQuestions(modules.find((m) => m.name === ex.current_module));
  }

  // drawQuestions shows the current module's questions, each with every team's answers.
  function drawQuestions(module) {
    const box = clear($("#module-questions"));
    if (!module) {
      box.append(el("p", { class: "hint" }, "No module has started yet."));
      return;
    }
    box.append(el("h3", {}, "Now: " + (module.title || module.name)));
    if (!(module.questions || []).length) box.append(el("p", { class: "hint" }, "This module puts no question."));
    for (const q of module.questions || []) {
      const answers = el("ul", { class: "mq-answers" });
      for (const a of st.answers[q.id] || []) {
        answers.append(el("li", { "data-team": a.team, "data-seq": a.seq },
          el("strong", {}, teamTitle(a.team)), a.name ? " (" + a.name + ")" : "", ": ",
          el("span", { class: "quote" }, a.text || ""), " ", el("span", { class: "meta" }, formatOffset(a.t))));
      }
      if (!answers.children.length) answers.append(el("li", { class: "hint" }, "No answer yet."));
      box.append(el("div", { class: "mq", "data-question": q.id }, el("p", { class: "mq-text" }, q.text), answers));
    }
  }
})();
