// Progressive enhancement of the chat form: ask over fetch, keep the
// conversation in the page and send it as history for follow-up questions.
// The answer HTML comes from the server's template (already escaped there).
(function () {
  "use strict";
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  const log = document.getElementById("log");
  if (!form || !input || !log || !window.fetch) return;

  const filterInputs = { sources: "f-source", published_from: "f-from", published_to: "f-to" };
  const history = [];

  // The filter form's values as the API's filters (null when none is set), and as a permalink's query.
  function filters() {
    const out = {};
    for (const [key, id] of Object.entries(filterInputs)) {
      const el = document.getElementById(id);
      const value = el ? el.value.trim() : "";
      if (value) out[key] = key === "sources" ? [value] : value;
    }
    return Object.keys(out).length ? out : null;
  }
  const queryNames = { sources: "source", published_from: "from", published_to: "to" };
  form.querySelectorAll('input[type="hidden"][name="h"]').forEach((el) => history.push({ question: el.value }));

  function message(cls, text) {
    const div = document.createElement("div");
    div.className = "msg " + cls;
    div.textContent = text;
    log.appendChild(div);
    return div;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    const hint = log.querySelector(".hint");
    if (hint) hint.remove();
    const pending = message("pending", "Searching the archive…");
    const asked = filters();
    input.value = "";
    input.disabled = true;
    try {
      const response = await fetch("/ui/answer", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(Object.assign({ question: question, history: history.slice(-10) }, asked ? { filters: asked } : {})),
      });
      if (!response.ok) {
        let text = "Something went wrong (" + response.status + ").";
        try { text = (await response.json()).error.message; } catch (e) { /* keep the generic text */ }
        pending.remove();
        message("error", text).setAttribute("role", "alert");
        return;
      }
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const turn = template.content.querySelector(".turn");
      pending.replaceWith(template.content);
      history.push({ question: question });
      // the permalink names the standalone question, so it reproduces a follow-up too
      const url = new URL(window.location.href);
      url.searchParams.set("q", (turn && turn.dataset.resolved) || question);
      for (const [key, name] of Object.entries(queryNames)) {
        const value = asked && asked[key];
        if (value) url.searchParams.set(name, Array.isArray(value) ? value[0] : value);
        else url.searchParams.delete(name);
      }
      window.history.replaceState(null, "", url.pathname + url.search);
    } catch (err) {
      pending.remove();
      message("error", "The server could not be reached.").setAttribute("role", "alert");
    } finally {
      input.disabled = false;
      input.focus();
      window.scrollTo(0, document.body.scrollHeight);
    }
  });
})();
