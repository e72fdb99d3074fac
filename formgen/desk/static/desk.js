// formgen desk: the little interactivity the pages need, shipped in the package (no CDN).
// Every write carries the page's CSRF token; an error comes back as {"error": "错误：…"}.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function showError(text) {
    var box = document.getElementById("fetch-error");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }

  // fetch with the CSRF header; resolves to the JSON body, rejects with the one Chinese line
  function call(url, options) {
    options = options || {};
    options.headers = Object.assign({"X-CSRF-Token": csrf, "X-Requested-With": "fetch", "Accept": "application/json"},
                                    options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return {error: "错误：服务器没有正常应答（" + r.status + "）"}; })
        .then(function (body) {
          if (!r.ok || body.error) { throw new Error(body.error || ("错误：" + r.status)); }
          return body;
        });
    });
  }

  function post(url, data) {
    var body = data instanceof FormData ? data : new URLSearchParams(data || {});
    return call(url, {method: "POST", body: body});
  }

  // the job indicator in the top bar: how many background jobs are running
  function pollIndicator() {
    var el = document.getElementById("job-indicator");
    if (!el || el.hidden) { return; }
    call("/api/jobs").then(function (body) {
      el.dataset.active = String(body.active);
      el.textContent = body.active ? "后台任务进行中（" + body.active + "）" : "无后台任务";
      setTimeout(pollIndicator, body.active ? 1500 : 6000);
    }).catch(function () { setTimeout(pollIndicator, 10000); });
  }

  // a job's live pane: progress bar, file by file lines, summary; onDone when it ends
  function watchJob(jobId, pane, onDone) {
    var since = 0;
    var bar = pane.querySelector(".progress > div");
    var status = pane.querySelector("[data-job-status]");
    var log = pane.querySelector(".log");
    pane.hidden = false;
    function tick() {
      call("/api/jobs/" + jobId + "?since=" + since).then(function (j) {
        j.lines.forEach(function (line) {
          var div = document.createElement("div");
          div.className = line.level;
          div.textContent = line.text;
          log.appendChild(div);
          log.scrollTop = log.scrollHeight;
        });
        since = j.line_count;
        if (bar && j.state !== "queued" && j.state !== "running") { bar.style.transition = "none"; }
        if (bar) { bar.style.width = (j.total ? Math.round(100 * j.done / j.total) : (j.state === "done" ? 100 : 5)) + "%"; }
        if (status) {
          var what = {queued: "排队中", running: "进行中", done: "已完成", failed: "未完成"}[j.state] || j.state;
          status.textContent = j.label + "：" + what + (j.total ? "（" + j.done + " / " + j.total + "）" : "") +
            (j.current ? " " + j.current : "") + (j.by ? " · " + j.by + " 发起" : "");
        }
        if (j.state === "queued" || j.state === "running") { setTimeout(tick, 700); return; }
        j.summary.forEach(function (text) {
          var div = document.createElement("div");
          div.className = "summary";
          div.textContent = text;
          log.appendChild(div);
        });
        if (j.error) { showError(j.error); }
        pane.dataset.state = j.state;
        if (onDone) { onDone(j); }
      }).catch(function (e) { showError(e.message); setTimeout(tick, 3000); });
    }
    tick();
  }

  // a form whose work runs in the background worker (form[data-job-pane]): posted by fetch, its job
  // shown live in that pane, the page reloaded when it is done; a job still running is picked up on load
  function jobForms() {
    document.querySelectorAll("form[data-job-pane]").forEach(function (form) {
      var pane = document.getElementById(form.dataset.jobPane);
      if (!pane) { return; }
      function watch(id) {
        pane.querySelector(".log").textContent = "";
        watchJob(id, pane, function (j) { if (j.state === "done") { location.reload(); } });
      }
      if (pane.dataset.job) { watch(pane.dataset.job); }
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        showError("");
        post(form.action, new FormData(form)).then(function (body) { watch(body.job); })
          .catch(function (err) { showError(err.message); });
      });
    });
  }

  // The browser's own file picker speaks the browser's language (English in a Chromium without its
  // language packs): each visible one becomes a Chinese button with the chosen names beside it.
  function filePickers() {
    document.querySelectorAll('input[type="file"]:not([hidden])').forEach(function (input) {
      var button = document.createElement("button"), names = document.createElement("span");
      button.type = "button";
      button.textContent = "选择文件…";
      names.className = "muted small";
      names.textContent = "未选择文件";
      button.addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () {
        var list = Array.prototype.map.call(input.files, function (f) { return f.name; });
        names.textContent = list.length ? list.join("、") : "未选择文件";
      });
      input.hidden = true;
      input.after(button, names);
    });
  }

  window.desk = {call: call, post: post, watchJob: watchJob, showError: showError, csrf: csrf};
  document.addEventListener("DOMContentLoaded", filePickers);
  document.addEventListener("DOMContentLoaded", jobForms);
  document.addEventListener("DOMContentLoaded", pollIndicator);
})();
